import { AssignerProtocol } from 'kafkajs';
import { kafkaCall } from './kafkaConnection.js';
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
    connection;
    options;
    consumer = null;
    held = false;
    joinedAt = Number.POSITIVE_INFINITY;
    lost = null;
    acquired = null;
    constructor(connection, options) {
        this.connection = connection;
        this.options = options;
    }
    get isHeld() {
        return this.held;
    }
    /**
     * Join the lease group; resolves true once this learner holds the lease, false when `signal`
     * aborts first. `waiting` is called every `waitingEveryMs` meanwhile (say what it waits for).
     * @throws KafkaAdapterError when the group cannot be joined.
     */
    async acquire(signal, waiting, waitingEveryMs = 10_000) {
        this.joinedAt = Date.now();
        const consumer = this.connection.consumer({
            groupId: this.options.groupId,
            partitionAssigners: [this.stickyAssigner],
            allowAutoTopicCreation: false,
            sessionTimeout: this.options.sessionTimeoutMs,
            heartbeatInterval: Math.max(100, Math.floor(this.options.sessionTimeoutMs / 10)),
            maxWaitTimeInMs: 1000,
            retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
        });
        this.consumer = consumer;
        const holds = new Promise((resolve) => (this.acquired = resolve));
        consumer.on(consumer.events.GROUP_JOIN, (e) => {
            const assignment = e.payload.memberAssignment;
            const now = (assignment[this.options.topic] ?? []).length > 0;
            if (now && !this.held) {
                this.held = true;
                this.acquired?.();
            }
            else if (!now && this.held) {
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
        // From the start: joining itself waits for the group's rebalance (a dead holder's session to time out).
        const timer = setInterval(() => {
            if (!this.held)
                waiting();
        }, waitingEveryMs);
        timer.unref();
        try {
            // Joining waits inside kafkajs for the rebalance: a stop signal must not wait for it.
            const joined = (async () => {
                await kafkaCall('cannot join the writer lease group', () => consumer.connect());
                await kafkaCall(`cannot subscribe to the lease topic ${this.options.topic}`, () => consumer.subscribe({ topic: this.options.topic, fromBeginning: false }));
                await kafkaCall('cannot start the writer lease consumer', () => consumer.run({ autoCommit: false, eachMessage: async () => { } }));
                await holds;
                return true;
            })();
            const stopped = new Promise((resolve) => {
                if (signal?.aborted)
                    return resolve(false);
                signal?.addEventListener('abort', () => resolve(false), { once: true });
            });
            const held = await Promise.race([joined, stopped]);
            if (!held)
                joined.catch(() => { }); // (the caller releases the consumer; a join cut short may still fail)
            return held;
        }
        finally {
            clearInterval(timer);
        }
    }
    /**
     * The lease group's assignor: the partition stays with the member that holds it (each member
     * says so in its join metadata), so a standby joining never takes it from a live writer (Kafka's
     * round-robin would hand it to whichever member id sorts first); with no holder, the member that
     * has waited longest gets it.
     */
    stickyAssigner = () => leaseAssigner(() => ({ held: this.held, since: this.joinedAt }));
    /** Called once if the lease is lost after it was held. */
    onLost(listener) {
        this.lost = listener;
    }
    /** Leave the lease group (a standby takes over at once, not after a session timeout). */
    async release() {
        const consumer = this.consumer;
        this.consumer = null;
        this.lost = null;
        this.held = false;
        if (consumer)
            await this.connection.release(consumer);
    }
}
const ASSIGNER = 'MicstreamWriterLease';
/** The sticky lease assignor (see WriterLease), over each member's claim as it joins. */
export function leaseAssigner(claim) {
    return {
        name: ASSIGNER,
        version: 1,
        protocol: ({ topics }) => ({
            name: ASSIGNER,
            metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.from(JSON.stringify(claim())) }),
        }),
        assign: async ({ members, topics }) => {
            const holder = leaseHolder(members);
            return members.map((m) => ({
                memberId: m.memberId,
                memberAssignment: AssignerProtocol.MemberAssignment.encode({
                    version: 1,
                    assignment: m.memberId === holder ? Object.fromEntries(topics.map((t) => [t, [0]])) : {},
                    userData: Buffer.alloc(0),
                }),
            }));
        },
    };
}
/** The member the lease goes to: one that holds it, else the one waiting longest (ties: the lowest member id). */
export function leaseHolder(members) {
    const claims = members.map((m) => {
        let c = { held: false, since: Number.POSITIVE_INFINITY };
        try {
            const parsed = JSON.parse(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData.toString() ?? '');
            c = { held: parsed.held === true, since: typeof parsed.since === 'number' ? parsed.since : Number.POSITIVE_INFINITY };
        }
        catch {
            // (a member without a readable claim: it comes last)
        }
        return { id: m.memberId, ...c };
    });
    claims.sort((a, b) => Number(b.held) - Number(a.held) || a.since - b.since || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return claims[0]?.id;
}
//# sourceMappingURL=writerLease.js.map