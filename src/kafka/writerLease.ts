import type { Consumer } from 'kafkajs';
import { kafkaCall, type KafkaConnection } from './kafkaConnection.js';

export interface WriterLeaseOptions {
  /** The lease's consumer group (one per model: the learners that may write it). */
  groupId: string;
  /** The lease topic: one partition, whose holder is the writer. */
  topic: string;
  /** A holder that stops heartbeating loses the lease after this long. */
  sessionTimeoutMs: number;
}

/**
 * One writer per model: every learner joins the lease group on the one-partition lease topic, and
 * Kafka's group coordinator assigns that partition to exactly one member, the writer. The others
 * stay in the group holding nothing (hot standbys: they have not restored, trained or joined the
 * interactions group) until a rebalance hands them the partition: the writer left (drain) or
 * stopped heartbeating for a session timeout (crash, SIGKILL, a partition from the brokers).
 * A writer that a rebalance leaves without the partition has lost the lease (`onLost`): it must
 * stop writing at once, since another learner is, or is about to be, the writer.
 */
export class WriterLease {
  private consumer: Consumer | null = null;
  private held = false;
  private lost: ((reason: string) => void) | null = null;
  private acquired: (() => void) | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly options: WriterLeaseOptions,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Join the lease group; resolves true once this learner holds the lease, false when `signal`
   * aborts first. `waiting` is called every `waitingEveryMs` meanwhile (say what it waits for).
   * @throws KafkaAdapterError when the group cannot be joined.
   */
  async acquire(signal: AbortSignal | undefined, waiting: () => void, waitingEveryMs = 10_000): Promise<boolean> {
    const consumer = this.connection.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(this.options.sessionTimeoutMs / 10)),
      maxWaitTimeInMs: 1000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    const holds = new Promise<void>((resolve) => (this.acquired = resolve));
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assignment = e.payload.memberAssignment as Record<string, number[]>;
      const now = (assignment[this.options.topic] ?? []).length > 0;
      if (now && !this.held) {
        this.held = true;
        this.acquired?.();
      } else if (!now && this.held) {
        this.held = false;
        this.lost?.('a rebalance gave the lease to another learner');
      }
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart && this.held) {
        this.held = false;
        this.lost?.(`the lease consumer stopped: ${e.payload.error.message}`);
      }
    });
    await kafkaCall('cannot join the writer lease group', () => consumer.connect());
    await kafkaCall(`cannot subscribe to the lease topic ${this.options.topic}`, () =>
      consumer.subscribe({ topic: this.options.topic, fromBeginning: false }),
    );
    await kafkaCall('cannot start the writer lease consumer', () => consumer.run({ autoCommit: false, eachMessage: async () => {} }));
    const timer = setInterval(() => {
      if (!this.held) waiting();
    }, waitingEveryMs);
    timer.unref();
    try {
      return await new Promise<boolean>((resolve) => {
        if (signal?.aborted) return resolve(false);
        signal?.addEventListener('abort', () => resolve(false), { once: true });
        void holds.then(() => resolve(true));
      });
    } finally {
      clearInterval(timer);
    }
  }

  /** Called once if the lease is lost after it was held. */
  onLost(listener: (reason: string) => void): void {
    this.lost = listener;
  }

  /** Leave the lease group (a standby takes over at once, not after a session timeout). */
  async release(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.lost = null;
    this.held = false;
    if (consumer) await this.connection.release(consumer);
  }
}
