import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaSource } from '../src/kafka/kafkaSource.js';
import { FlowGate } from '../src/sources/flowGate.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
/**
 * The part of a kafkajs consumer that KafkaSource drives, recording pauses and resumes; the test
 * plays kafkajs' runner by calling eachMessage itself. (The real-broker version of this scenario
 * is test/kafka/brokerOutage.test.ts; this one hits the exact interleaving every time.)
 */
function recordingConsumer() {
    const pausedParts = new Set();
    const calls = [];
    let eachMessage = null;
    const consumer = {
        events: { GROUP_JOIN: 'group_join', END_BATCH_PROCESS: 'end_batch', CRASH: 'crash' },
        on: () => () => { },
        connect: async () => { },
        subscribe: async () => { },
        run: async (config) => {
            eachMessage = config.eachMessage;
        },
        pause: (topics) => {
            calls.push('pause');
            for (const t of topics)
                pausedParts.add(t.topic);
        },
        resume: (topics) => {
            calls.push('resume');
            for (const t of topics)
                pausedParts.delete(t.topic);
        },
        paused: () => [...pausedParts].map((topic) => ({ topic, partitions: [0] })),
        commitOffsets: async () => { },
        disconnect: async () => { },
    };
    const connection = { consumer: () => consumer, release: async () => { } };
    return { connection, calls, pausedParts, each: () => eachMessage };
}
test('partitions paused for backpressure are resumed when the wait for credits ends in an error (broker gone mid-wait)', { timeout: 20000 }, async () => {
    const fake = recordingConsumer();
    const gate = new FlowGate(1);
    const source = new KafkaSource(fake.connection, { topic: 'events', groupId: 'g', fromBeginning: true, commitIntervalMs: 60000, restartBackoffMs: 1000 }, gate, new Instrumentation());
    const seen = [];
    const subscription = source.records().subscribe((r) => seen.push(r));
    while (!fake.each())
        await new Promise((r) => setTimeout(r, 5));
    const each = fake.each();
    const ok = async () => { };
    await each({ topic: 'events', partition: 0, message: { offset: '0', value: Buffer.from('a') }, heartbeat: ok });
    assert.equal(seen.length, 1, 'the first record takes the only credit');
    // The gate is full: the next message pauses the partitions and waits, heart-beating about once a
    // second; the broker is gone, so the heartbeat fails and kafkajs gets the error.
    const brokerGone = new Error('KafkaJSConnectionError: Connection error: connect ECONNREFUSED');
    await assert.rejects(each({
        topic: 'events',
        partition: 0,
        message: { offset: '1', value: Buffer.from('b') },
        heartbeat: async () => Promise.reject(brokerGone),
    }), brokerGone);
    assert.deepEqual(fake.calls, ['pause', 'resume'], 'the pause must not outlive the failed wait');
    assert.equal(fake.pausedParts.size, 0, 'kafkajs delivers nothing from a paused partition: left paused, the consumer would stall for good');
    // kafkajs fetches the unresolved message again once the broker is back; with a free credit it flows.
    gate.release();
    await each({ topic: 'events', partition: 0, message: { offset: '1', value: Buffer.from('b') }, heartbeat: ok });
    assert.deepEqual(seen.map((r) => r.position.offset), ['0', '1']);
    subscription.unsubscribe();
    await source.stop();
});
//# sourceMappingURL=kafkaSourcePause.test.js.map