import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTrain } from '../../src/cli/train.js';
import { memoryLogger } from '../../src/log/logger.js';
import { runTopology } from '../../src/cli/kafkaCommands.js';
import { kafkaConnection } from '../../src/kafka/connectionFromConfig.js';
import { produceRecords } from '../../src/kafka/recordProducer.js';
import { SyntheticWorld } from '../../src/sources/syntheticSource.js';
import { kafkaTestConfig, lagOf, readAll, PLAIN_KAFKA_LEARNER } from '../helpers/kafka.js';
test('1,000 malformed messages mixed into the stream all reach the dead-letter topic with reasons and positions; nothing is lost', async (t) => {
    const config = kafkaTestConfig([...PLAIN_KAFKA_LEARNER]);
    await runTopology(config, 'apply', () => { });
    const topic = `${config.topicPrefix}interactions`;
    const valid = [...new SyntheticWorld({ users: 400, items: 300, clusters: 6, events: 9000, seed: 3 }).events()].map((e) => JSON.stringify(e));
    const kinds = [
        ['{"userId": "u1", "itemId": ', 'not_json'],
        ['[1, 2, 3]', 'not_object'],
        ['{"itemId": "i1", "timestamp": 1}', 'missing_field'],
        ['{"userId": 42, "itemId": "i1", "timestamp": 1}', 'wrong_type'],
        ['{"userId": "u", "itemId": "i", "timestamp": 1, "extra": true}', 'unknown_field'],
        [JSON.stringify({ userId: 'u'.repeat(1000), itemId: 'i', timestamp: 1 }), 'string_too_long'],
        [JSON.stringify({ userId: 'u', itemId: 'i', timestamp: 1, type: 'x'.repeat(70 * 1024) }), 'oversize'],
        ['\u0000\u0001binary', 'not_json'],
    ];
    const records = [];
    const expected = new Map();
    valid.forEach((v, i) => {
        records.push(v);
        if (i % 9 === 0 && records.length - valid.length < 1000) {
            const [raw, reason] = kinds[(i / 9) % kinds.length];
            records.push(raw);
            expected.set(reason, (expected.get(reason) ?? 0) + 1);
        }
    });
    const malformed = records.length - valid.length;
    assert.equal(malformed, 1000);
    const conn = kafkaConnection(config);
    // Unkeyed text records: spread over all partitions.
    await produceRecords(conn, records, { topic, batchSize: 500 });
    await conn.close();
    const run = await runTrain({ ...config, maxEvents: records.length }, memoryLogger().logger);
    t.diagnostic(`trained ${run.summary.trainedEvents}, invalid ${run.summary.invalidEvents}: ${JSON.stringify(run.summary.invalidByReason)}`);
    assert.equal(run.summary.trainedEvents, valid.length, 'every valid event trained');
    assert.equal(run.summary.invalidEvents, 1000);
    assert.deepEqual(run.summary.invalidByReason, Object.fromEntries([...expected].sort()));
    await run.close();
    const dlq = await readAll(`${config.topicPrefix}interactions-dlq`, 1000);
    assert.equal(dlq.length, 1000, 'all malformed records are in the dead-letter topic');
    const byReason = new Map();
    for (const m of dlq) {
        byReason.set(m.headers['micstream-reason'], (byReason.get(m.headers['micstream-reason']) ?? 0) + 1);
        assert.equal(m.headers['micstream-source-topic'], topic);
        assert.ok(/^\d+$/.test(m.headers['micstream-source-offset']) && /^\d+$/.test(m.headers['micstream-source-partition']));
        assert.ok(m.headers['micstream-message'].length > 0);
    }
    assert.deepEqual(Object.fromEntries([...byReason].sort()), Object.fromEntries([...expected].sort()));
    assert.ok(dlq.some((m) => m.value.toString() === '\u0000\u0001binary'), 'original bytes kept');
    const lag = await lagOf(config.kafkaGroupId, topic);
    assert.equal(lag.committed, records.length, 'offsets committed past valid and dead-lettered records alike');
});
//# sourceMappingURL=deadLetter.test.js.map