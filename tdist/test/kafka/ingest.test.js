import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTrain } from '../../src/cli/train.js';
import { memoryLogger } from '../../src/log/logger.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { kafkaConnection } from '../../src/kafka/connectionFromConfig.js';
import { produceRecords } from '../../src/kafka/recordProducer.js';
import { applyTopology, loadTopology } from '../../src/kafka/topology.js';
import { kafkaTestConfig, lagOf, REPO, PLAIN_KAFKA_LEARNER } from '../helpers/kafka.js';
const quiet = () => { };
test('topology: check validates, apply creates then reports no drift, and fixes config drift', async () => {
    const config = kafkaTestConfig();
    assert.equal(await runTopology(config, 'check', quiet), 0);
    const lines = [];
    assert.equal(await runTopology(config, 'apply', (l) => lines.push(l)), 0);
    assert.match(lines.join('\n'), /create topic .*interactions/);
    lines.length = 0;
    assert.equal(await runTopology(config, 'apply', (l) => lines.push(l)), 0);
    assert.equal(lines.join('\n'), 'no drift: the cluster matches the topology');
    // Drift: a topology that wants a longer retention and more partitions.
    const topology = loadTopology(`${REPO}topology/topics.json`, config.topicPrefix);
    const changed = {
        topics: topology.topics.map((t) => t.role === 'interactions' ? { ...t, partitions: t.partitions + 2, config: { ...t.config, 'retention.ms': '123456789' } } : t),
    };
    const conn = kafkaConnection(config);
    try {
        const dry = await applyTopology(conn, changed, true);
        assert.equal(dry.partitionsRaised.length, 1);
        assert.equal(dry.configChanged.length, 1);
        await applyTopology(conn, changed, false);
        const again = await applyTopology(conn, changed, true);
        assert.deepEqual([again.created, again.partitionsRaised, again.configChanged], [[], [], []]);
    }
    finally {
        await conn.close();
    }
});
test('100,000 events from Kafka are all applied by train, committed offsets reach the end, and a restart resumes without re-reading', async (t) => {
    const config = kafkaTestConfig([...PLAIN_KAFKA_LEARNER, '--index-refresh-steps', '200']);
    await runTopology(config, 'apply', quiet);
    const topic = `${config.topicPrefix}interactions`;
    assert.equal(await runReplay({ ...config, maxEvents: 100000, syntheticEvents: 100000 }, quiet, null), 0);
    const first = await runTrain({ ...config, maxEvents: 100000 }, memoryLogger().logger);
    t.diagnostic(`first run: ${first.summary.trainedEvents} events in ${first.summary.seconds.toFixed(1)} s (${first.summary.eventsPerSecond.toFixed(0)}/s), ` +
        `peak in flight ${first.summary.peakInFlight}`);
    assert.equal(first.summary.trainedEvents, 100000);
    assert.equal(first.summary.invalidEvents, 0);
    await first.close();
    const afterFirst = await lagOf(config.kafkaGroupId, topic);
    assert.equal(afterFirst.committed, 100000, `committed ${JSON.stringify(afterFirst.partitions)}`);
    assert.equal(afterFirst.committed, afterFirst.end);
    // 1,000 new events by new users; a restarted learner must read exactly those.
    const conn = kafkaConnection(config);
    await produceRecords(conn, Array.from({ length: 1000 }, (_, i) => ({ userId: `new-u${i % 50}`, itemId: `i${i % 300}`, timestamp: Date.now() + i })), { topic, batchSize: 500 });
    await conn.close();
    const second = await runTrain({ ...config, maxEvents: 1000 }, memoryLogger().logger);
    assert.equal(second.summary.trainedEvents, 1000);
    const users = [...second.learner.entities.features.knownUsers()];
    assert.ok(users.length > 0 && users.every((u) => u.startsWith('new-')), 'only the new events were read');
    await second.close();
    const afterSecond = await lagOf(config.kafkaGroupId, topic);
    assert.equal(afterSecond.committed, 101000);
});
//# sourceMappingURL=ingest.test.js.map