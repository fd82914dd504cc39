import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { loadConfig } from '../../src/config/config.js';
import { useTestBackend } from '../helpers/backend.js';
import { kafkaLearnerFlags, rawKafka } from '../helpers/kafka.js';
import { LearnerProcess, waitForCommitted } from '../helpers/learnerProcess.js';
await useTestBackend();
const REFRESH_MS = 3000;
const EVENTS = 5000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
test('idle refresh: after the last event the learner process serves what it trained within --index-refresh-ms, and reports nothing unserved', async (t) => {
    const prefix = `idle${Date.now().toString(36)}-`;
    const topic = `${prefix}interactions`;
    // Refreshes by time only: a step count that is never reached.
    const args = kafkaLearnerFlags(prefix, [
        '--no-publish-index',
        '--index-refresh-steps',
        '1000000',
        '--index-refresh-ms',
        String(REFRESH_MS),
    ]);
    const config = loadConfig({ argv: args, env: {} }).config;
    assert.equal(await runTopology(config, 'apply', () => { }), 0);
    assert.equal(await runReplay({ ...config, maxEvents: EVENTS, syntheticEvents: EVENTS }, () => { }, null), 0);
    const learner = new LearnerProcess(args);
    try {
        await learner.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
        await waitForCommitted(learner, `${prefix}learner`, topic, EVENTS, 300_000);
        // Let the refresh of the first stream happen, so that the last one below starts a fresh interval.
        await sleep(REFRESH_MS + 1000);
        // The last events of the stream: a user nobody has seen, on items the model knows. Then nothing more.
        const producer = rawKafka().producer();
        await producer.connect();
        const messages = Array.from({ length: 12 }, (_, i) => ({
            key: 'probe-user',
            value: JSON.stringify({ userId: 'probe-user', itemId: `i${i}`, timestamp: Date.UTC(2026, 0, 2) + i }),
        }));
        await producer.send({ topic, acks: -1, messages });
        await producer.disconnect();
        const producedAt = Date.now();
        let servedAfter = Number.NaN;
        for (;;) {
            const res = await learner.get('/v1/recall/u2i?user=probe-user&k=10&strict=true');
            if (res.status === 200) {
                servedAfter = Date.now() - producedAt;
                break;
            }
            assert.equal(res.status, 404, `unknown until indexed, not an error: ${res.body}`);
            assert.ok(Date.now() - producedAt < 4 * REFRESH_MS, `probe user not served within ${4 * REFRESH_MS} ms of its last event`);
            await sleep(100);
        }
        t.diagnostic(`the last events were served ${servedAfter} ms after they were produced (--index-refresh-ms ${REFRESH_MS})`);
        // Trained within a batch wait, then indexed when the index is REFRESH_MS old: the refresh interval plus a build, not more.
        assert.ok(servedAfter <= REFRESH_MS + 2500, `served ${servedAfter} ms after the last event`);
        assert.equal(await learner.metric('micstream_index_unserved_events'), 0, 'nothing trained is left unserved');
        const age = await learner.metric('micstream_index_age_seconds');
        await sleep(2 * REFRESH_MS);
        // Idle with nothing new: no refresh is needed, and the age grows (it is not reset by empty refreshes) while unserved stays 0.
        assert.equal(await learner.metric('micstream_index_unserved_events'), 0);
        assert.ok((await learner.metric('micstream_index_age_seconds')) >= age);
        learner.kill('SIGTERM');
        assert.equal(await learner.exited, 0);
    }
    finally {
        learner.kill('SIGKILL');
    }
});
//# sourceMappingURL=idleRefresh.test.js.map