import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTopology } from '../../src/cli/kafkaCommands.js';
import { loadConfig } from '../../src/config/config.js';
import { SyntheticWorld } from '../../src/sources/syntheticSource.js';
import { Rng } from '../../src/util/random.js';
import { useTestBackend } from '../helpers/backend.js';
import { hostileRecords } from '../helpers/hostileRecords.js';
import { hostileRequests, sendRaw } from '../helpers/hostileRequests.js';
import { kafkaLearnerFlags, rawKafka, readAll } from '../helpers/kafka.js';
import { LearnerProcess, waitForCommitted } from '../helpers/learnerProcess.js';
await useTestBackend();
const MALFORMED = Number(process.env.MICSTREAM_FAULTS_FUZZ_RECORDS ?? 10_000);
const VALID = Number(process.env.MICSTREAM_FAULTS_FUZZ_VALID ?? 20_000);
const REQUESTS = Number(process.env.MICSTREAM_FAULTS_FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.MICSTREAM_FAULTS_SEED ?? 11);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tally = (xs) => {
    const out = {};
    for (const x of xs)
        out[String(x)] = (out[String(x)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};
/** The learner's counter of invalid events per reason, read from /metrics. */
async function invalidByReason(learner) {
    const { body } = await learner.get('/metrics');
    const out = {};
    for (const m of body.matchAll(/^micstream_events_invalid_total\{reason="([a-z_]+)"\} (\S+)$/gm))
        if (Number(m[2]) > 0)
            out[m[1]] = Number(m[2]);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
const title = `fuzz: ${MALFORMED} malformed records among ${VALID} valid events, then ${REQUESTS} hostile HTTP requests; ` +
    'all dead-lettered with reasons, no 5xx, no crash';
test(title, async (t) => {
    const rng = new Rng(SEED);
    const prefix = `fuzz${Date.now().toString(36)}-`;
    const topic = `${prefix}interactions`;
    const args = kafkaLearnerFlags(prefix, ['--no-publish-index']);
    assert.equal(await runTopology(loadConfig({ argv: args, env: {} }).config, 'apply', () => { }), 0);
    // The stream: valid synthetic events keyed by user (their order kept), the malformed records unkeyed between them.
    const valid = [...new SyntheticWorld({ users: 800, items: 600, clusters: 8, events: VALID, seed: SEED }).events()];
    const hostile = hostileRecords(MALFORMED, rng, Date.now());
    const messages = valid.map((e) => ({ key: e.userId, value: JSON.stringify(e) }));
    for (const h of hostile)
        messages.splice(rng.int(messages.length + 1), 0, { key: null, value: h.value });
    const producer = rawKafka().producer();
    await producer.connect();
    try {
        // Small sends: some records are near a megabyte in total per batch otherwise (oversize kinds).
        for (let i = 0; i < messages.length; i += 100)
            await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 100) });
    }
    finally {
        await producer.disconnect();
    }
    const expectedReasons = tally(hostile.map((h) => h.reason));
    const learner = new LearnerProcess(args);
    try {
        await learner.waitFor((l) => String(l.msg).startsWith('kafka: joined group'), 120_000, 'group join');
        await waitForCommitted(learner, `${prefix}learner`, topic, messages.length, 600_000);
        assert.equal(await learner.metric('micstream_events_trained_total'), VALID, 'every valid event trained');
        assert.deepEqual(await invalidByReason(learner), expectedReasons, 'every malformed record counted under its reason');
        const dlq = await readAll(`${prefix}interactions-dlq`, MALFORMED, 120_000);
        assert.equal(dlq.length, MALFORMED, 'every malformed record in the dead-letter topic, once');
        assert.deepEqual(tally(dlq.map((m) => m.headers['micstream-reason'])), expectedReasons, 'with the reason its kind must get');
        for (const m of dlq)
            assert.ok((m.headers['micstream-message'] ?? '').length > 0 && m.headers['micstream-source-topic'] === topic);
        t.diagnostic(`dead-lettered by reason: ${JSON.stringify(expectedReasons)}`);
        // The recall API under hostile requests, with the trained index live.
        for (let waited = 0; (await learner.get('/readyz')).status !== 200; waited += 500) {
            assert.ok(waited < 60_000, 'ready within a minute of the end of the stream');
            await sleep(500);
        }
        const port = Number(new URL(await learner.url()).port);
        const requests = hostileRequests(REQUESTS, rng, valid[0].userId, valid[0].itemId);
        const outcomes = [];
        const started = Date.now();
        let next = 0;
        await Promise.all(Array.from({ length: 16 }, async () => {
            while (next < requests.length) {
                const r = requests[next++];
                outcomes.push({ kind: r.kind, outcome: await sendRaw(port, r.bytes) });
            }
        }));
        const byOutcome = tally(outcomes.map((o) => o.outcome));
        t.diagnostic(`${REQUESTS} hostile requests in ${Date.now() - started} ms: ${JSON.stringify(byOutcome)}`);
        const fiveXX = outcomes.filter((o) => typeof o.outcome === 'number' && o.outcome >= 500);
        assert.deepEqual(tally(fiveXX.map((o) => `${o.kind} ${o.outcome}`)), {}, 'no 5xx');
        const unanswered = outcomes.filter((o) => o.outcome === 'timeout' || o.outcome === 'refused');
        assert.deepEqual(tally(unanswered.map((o) => `${o.kind} ${o.outcome}`)), {}, 'every connection answered or closed by the server in time');
        // Broken framing may be closed without an answer by the HTTP parser; a request Node parses always gets one.
        const closed = tally(outcomes.filter((o) => o.outcome === 'closed').map((o) => o.kind));
        for (const kind of Object.keys(closed))
            assert.ok(['random_bytes', 'bad_framing', 'bad_header', 'header_bomb', 'many_headers', 'absolute_target'].includes(kind), `${kind} closed unanswered`);
        assert.ok(outcomes.filter((o) => o.outcome === 200).length > 0 && outcomes.some((o) => o.outcome === 400 || o.outcome === 404));
        assert.equal((await learner.get('/healthz')).status, 200, 'alive after all of it');
        const answer = await learner.get(`/v1/recall/u2i?user=${encodeURIComponent(valid[0].userId)}&k=10`);
        assert.equal(answer.status, 200, 'and still answering');
        assert.equal(JSON.parse(answer.body).results.length, 10);
        learner.kill('SIGTERM');
        assert.equal(await learner.exited, 0, 'a clean drain at the end');
    }
    finally {
        learner.kill('SIGKILL');
    }
});
//# sourceMappingURL=fuzz.test.js.map