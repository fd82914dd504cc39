import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Instrumentation } from '../metrics/instrumentation.js';
import { kafkaCall, type KafkaConnection } from './kafkaConnection.js';

/** One message of the recall topic, as the reader hands it over. */
export interface RecallMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * Reads the recall topic from the beginning of what is retained, with a group of its own per
 * process (every recall server sees every version), and hands each message to `onMessage`.
 */
export class RecallTopicReader {
  private consumer: Consumer | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly topic: string,
    private readonly instrumentation: Instrumentation,
    private readonly groupPrefix = 'micstream-serve',
  ) {}

  async start(onMessage: (message: RecallMessage) => void): Promise<void> {
    const consumer = this.connection.consumer({
      groupId: `${this.groupPrefix}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1048576,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) =>
      this.instrumentation.emit('consumer.crash', { error: e.payload.error, restart: Boolean(e.payload.restart) }),
    );
    await kafkaCall('cannot connect the recall-topic consumer', () => consumer.connect());
    await kafkaCall(`cannot subscribe to ${this.topic}`, () => consumer.subscribe({ topic: this.topic, fromBeginning: true }));
    await kafkaCall('cannot start reading the recall topic', () =>
      consumer.run({
        autoCommit: true,
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {}))
            if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
          onMessage({ key: message.key?.toString('utf8') ?? '', value: message.value ?? Buffer.alloc(0), headers });
        },
      }),
    );
  }

  async stop(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    if (c) await this.connection.release(c);
  }
}
