import { Observable } from 'rxjs';
import { kafkaCall } from './kafkaConnection.js';
import { Backoff } from '../util/retry.js';
import { OffsetTracker } from '../sources/offsetTracker.js';
const HEARTBEAT_WHILE_PAUSED_MS = 1000;
/**
 * A consumer-group member as an RxJS Observable of raw records, at least once. Call `stop()` once
 * the pipeline has finished (unsubscribing only stops the flow of records):
 * - offsets are committed only for records whose fate is final (`ack`, called by the pipeline
 *   after the training step that applied them, or after the dead letter has them), never ahead
 *   of an earlier unfinished record of the same partition;
 * - backpressure: when the FlowGate is full the assigned partitions are paused, and resumed once
 *   credits return (the consumer keeps heart-beating meanwhile);
 * - rebalances and restarts bump an epoch so that stale acknowledgements cannot commit records
 *   that another member (or the new consumer) will deliver again;
 * - a consumer that crashes for good (e.g. the broker is gone longer than the retries) is
 *   re-created with exponential backoff and jitter, resuming from the committed offsets.
 */
export class KafkaSource {
    connection;
    options;
    gate;
    instrumentation;
    tracker = new OffsetTracker();
    epoch = 0;
    consumer = null;
    commitTimer = null;
    committing = null;
    stopped = false;
    /** Unsubscribed: emit nothing more, but keep the consumer so late acknowledgements still commit. */
    detached = false;
    paused = false;
    assigned = [];
    restarts = 0;
    /**
     * Per partition, the offset below which every record is learned (a restored checkpoint's, then the
     * finished prefix whenever a rebalance drops the tracker): records redelivered below it are skipped.
     */
    floors = new Map();
    skippedCount = 0;
    constructor(connection, options, gate, instrumentation) {
        this.connection = connection;
        this.options = options;
        this.gate = gate;
        this.instrumentation = instrumentation;
        this.raiseFloors(options.resumeAt ?? []);
    }
    /** Records emitted and not yet acknowledged. */
    get pending() {
        return this.tracker.pendingCount;
    }
    get restartCount() {
        return this.restarts;
    }
    /** Records redelivered below a partition's learned floor and skipped (not trained twice). */
    get skipped() {
        return this.skippedCount;
    }
    raiseFloors(offsets) {
        raiseOffsets(this.floors, offsets);
    }
    /**
     * The offsets to record in a checkpoint taken now: per partition, one past the longest finished
     * prefix, or the learned floor where nothing was finished since.
     */
    checkpointOffsets() {
        return [...raiseOffsets(new Map(this.floors), this.tracker.committable()).values()];
    }
    /**
     * Commit the offsets of a checkpoint that is durable ('checkpoint' commits). One request at a
     * time, as `commit`; a failure is reported and the next checkpoint commits newer offsets.
     */
    async commitCheckpoint(offsets) {
        while (this.committing)
            await this.committing;
        const consumer = this.consumer;
        if (!consumer || offsets.length === 0)
            return;
        const request = kafkaCall('cannot commit offsets', () => consumer.commitOffsets([...offsets])).then(() => this.instrumentation.emit('consumer.commit', { offsets: offsets.length }));
        this.committing = request.catch(() => undefined);
        try {
            await request;
        }
        finally {
            this.committing = null;
        }
    }
    /** The adapter the pipeline uses to read positions and acknowledge records. */
    adapter = {
        raw: (r) => r.raw,
        position: (r) => r.position,
        ack: (records) => {
            for (const r of records)
                if (r.epoch === this.epoch)
                    this.tracker.done(r.position.topic, r.position.partition, r.position.offset);
        },
    };
    /** The stream of records. Subscribing starts the consumer; unsubscribing commits what is done and stops it. */
    records() {
        return new Observable((subscriber) => {
            this.stopped = false;
            this.detached = false;
            const backoff = new Backoff({ initialDelayMs: this.options.restartBackoffMs, maxDelayMs: 30_000 });
            const start = async () => {
                const consumer = this.connection.consumer({
                    groupId: this.options.groupId,
                    allowAutoTopicCreation: false,
                    heartbeatInterval: 1000,
                    // A fetch waits at most this long for data: leaving the group waits for the fetch in flight,
                    // so kafkajs's 5 s default made every drain 3-5 s longer.
                    maxWaitTimeInMs: 1000,
                    ...(this.options.sessionTimeoutMs !== undefined ? { sessionTimeout: this.options.sessionTimeoutMs } : {}),
                    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
                });
                this.consumer = consumer;
                this.epoch++;
                this.raiseFloors(this.tracker.committable());
                this.tracker.retain([]);
                consumer.on(consumer.events.GROUP_JOIN, (e) => {
                    const assignment = e.payload.memberAssignment;
                    this.assigned = Object.entries(assignment).flatMap(([topic, parts]) => parts.map((partition) => ({ topic, partition })));
                    this.epoch++;
                    this.raiseFloors(this.tracker.committable());
                    this.tracker.retain([]);
                    if (this.paused) {
                        // Pauses outlive a rebalance in kafkajs: lift them, the gate is checked again per message.
                        this.paused = false;
                        consumer.resume(consumer.paused());
                    }
                    this.instrumentation.emit('consumer.rebalance', { partitions: this.assigned.length });
                });
                consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
                    this.instrumentation.emit('consumer.lag', {
                        topic: e.payload.topic,
                        partition: e.payload.partition,
                        lag: Number(e.payload.offsetLag),
                    });
                });
                consumer.on(consumer.events.CRASH, (e) => {
                    const restart = Boolean(e.payload.restart);
                    this.instrumentation.emit('consumer.crash', { error: e.payload.error, restart });
                    if (restart || this.stopped || this.consumer !== consumer)
                        return;
                    // kafkajs gave up: build a new consumer after a backoff with jitter; it resumes from the committed offsets.
                    this.restarts++;
                    setTimeout(() => {
                        void this.connection.release(consumer);
                        if (!this.stopped)
                            start().catch(retry);
                    }, backoff.next()).unref();
                });
                try {
                    await kafkaCall('cannot connect the consumer', () => consumer.connect());
                    await kafkaCall(`cannot subscribe to ${this.options.topic}`, () => consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning }));
                }
                catch (err) {
                    await this.connection.release(consumer);
                    throw err;
                }
                await kafkaCall('cannot start consuming', () => consumer.run({
                    autoCommit: false,
                    partitionsConsumedConcurrently: 1,
                    eachMessage: async ({ topic, partition, message, heartbeat }) => {
                        if (this.detached)
                            return;
                        const floor = this.floors.get(`${topic}\u0000${partition}`);
                        if (floor && BigInt(message.offset) < BigInt(floor.offset)) {
                            this.skippedCount++;
                            return;
                        }
                        try {
                            while (!this.gate.tryAcquire()) {
                                if (!this.paused) {
                                    this.paused = true;
                                    consumer.pause(this.pauseTarget(topic));
                                    this.instrumentation.emit('consumer.paused', { partitions: this.assigned.length });
                                }
                                await Promise.race([this.gate.available(), sleep(HEARTBEAT_WHILE_PAUSED_MS)]);
                                if (this.stopped)
                                    return;
                                // A rebalance or a lost broker surfaces here as an error: let it propagate, so
                                // kafkajs rejoins or retries now and this (unemitted, unresolved) message is
                                // fetched again afterwards.
                                await heartbeat();
                            }
                        }
                        catch (err) {
                            // Only this handler resumes paused partitions, and kafkajs delivers nothing from a
                            // paused partition: leaving them paused here would stall the consumer for good (the
                            // broker-outage test caught it: heartbeats failing while the gate was full left every
                            // partition paused with the gate empty). Resume; the refetched message waits again.
                            this.resumeAll(consumer, topic);
                            throw err;
                        }
                        this.resumeAll(consumer, topic);
                        backoff.reset();
                        const epoch = this.epoch;
                        this.tracker.track(topic, partition, message.offset);
                        subscriber.next({ raw: message.value ?? Buffer.alloc(0), position: { topic, partition, offset: message.offset }, epoch });
                    },
                }));
            };
            const retry = (err) => {
                this.instrumentation.emit('consumer.crash', { error: err, restart: false });
                if (this.stopped)
                    return;
                this.restarts++;
                setTimeout(() => {
                    if (!this.stopped)
                        start().catch(retry);
                }, backoff.next()).unref();
            };
            start().catch(retry);
            if (this.options.commits !== 'checkpoint')
                this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs);
            return () => {
                // The pipeline may still be training records already emitted: keep the consumer (and
                // the commit timer) until stop(), but take nothing more from the topic.
                this.detached = true;
                const c = this.consumer;
                if (c && this.assigned.length)
                    c.pause(groupByTopic(this.assigned));
            };
        });
    }
    /** What pause and resume act on: the assigned partitions, or the whole topic before an assignment is known. */
    pauseTarget(topic) {
        return this.assigned.length ? groupByTopic(this.assigned) : [{ topic }];
    }
    resumeAll(consumer, topic) {
        if (!this.paused)
            return;
        this.paused = false;
        consumer.resume(this.pauseTarget(topic));
        this.instrumentation.emit('consumer.resumed', { partitions: this.assigned.length });
    }
    /**
     * Commit every offset whose records are done. Failed commits are retried on the next call.
     * One commit request at a time: while the broker is away kafkajs keeps retrying a request, and
     * an older request that lands after a newer one would move the group's offset backwards
     * (seen in the outage test: a partition stayed committed 1,590 records short, for good, because
     * the tracker believed the newer offset was committed).
     */
    async commit() {
        if (this.committing)
            return this.committing;
        const run = async () => {
            const consumer = this.consumer;
            if (!consumer)
                return;
            const commits = this.tracker.takeCommits();
            if (commits.length === 0)
                return;
            try {
                await kafkaCall('cannot commit offsets', () => consumer.commitOffsets(commits));
                this.instrumentation.emit('consumer.commit', { offsets: commits.length });
            }
            catch {
                this.tracker.restore(commits);
            }
        };
        this.committing = run().finally(() => {
            this.committing = null;
        });
        return this.committing;
    }
    /** Stop consuming: final commit of finished records ('interval' commits), then leave the group. */
    async stop() {
        if (this.stopped)
            return;
        this.stopped = true;
        if (this.commitTimer)
            clearInterval(this.commitTimer);
        this.commitTimer = null;
        if (this.committing)
            await this.committing.catch(() => undefined);
        if (this.options.commits !== 'checkpoint')
            await this.commit();
        const consumer = this.consumer;
        this.consumer = null;
        if (consumer)
            await this.connection.release(consumer);
    }
}
/** Per partition, the higher of the offset held and each offset given (a copy goes in). @returns `held`. */
function raiseOffsets(held, offsets) {
    for (const o of offsets) {
        const key = `${o.topic}\u0000${o.partition}`;
        const current = held.get(key);
        if (!current || BigInt(o.offset) > BigInt(current.offset))
            held.set(key, { ...o });
    }
    return held;
}
function groupByTopic(parts) {
    const by = new Map();
    for (const p of parts)
        by.set(p.topic, [...(by.get(p.topic) ?? []), p.partition]);
    return [...by].map(([topic, partitions]) => ({ topic, partitions }));
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
//# sourceMappingURL=kafkaSource.js.map