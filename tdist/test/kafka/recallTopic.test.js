import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runTrain } from '../../src/cli/train.js';
import { memoryLogger } from '../../src/log/logger.js';
import { runReplay, runTopology } from '../../src/cli/kafkaCommands.js';
import { RecallService } from '../../src/serve/recallService.js';
import { kafkaConnection } from '../../src/kafka/connectionFromConfig.js';
import { kafkaTestConfig, readAll } from '../helpers/kafka.js';
import { IndexPublisher } from '../../src/publish/indexPublisher.js';
import { RecallIndexAssembler } from '../../src/publish/recallIndexAssembler.js';
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
test('the learner publishes chunked, checksummed index versions; a separate serve process serves them and keeps the previous version when a newer ' +
    'one is corrupt', async (t) => {
    // Small chunks so that every channel spans several messages.
    const config = kafkaTestConfig([
        '--source',
        'kafka',
        '--model',
        'dssm',
        '--holdout-fraction',
        '0',
        '--index-chunk-bytes',
        '16384',
        '--prequential-sample-rate',
        '0',
        '--u2i-user-blend',
        '0.5',
    ]);
    await runTopology(config, 'apply', () => { });
    await runReplay({ ...config, maxEvents: 6000 }, () => { }, null);
    const run = await runTrain({ ...config, maxEvents: 6000 }, memoryLogger().logger);
    assert.ok(run.summary.publishedIndexes >= 1);
    await run.close();
    const recallTopic = `${config.topicPrefix}recall-index`;
    const serve = spawn(process.execPath, [
        MAIN,
        'serve',
        '--kafka-brokers',
        config.kafkaBrokers,
        '--topic-prefix',
        config.topicPrefix,
        '--topology',
        config.topology,
        '--port',
        '0',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let url = '';
    const waitFor = (pattern, timeoutMs = 60000) => new Promise((resolve, reject) => {
        const found = lines.map((l) => pattern.exec(l)).find(Boolean);
        if (found)
            return resolve(found);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${lines.join('\n')}`)), timeoutMs);
        const onLine = (line) => {
            const m = pattern.exec(line);
            if (m) {
                clearTimeout(timer);
                rl.off('line', onLine);
                resolve(m);
            }
        };
        rl.on('line', onLine);
    });
    const rl = createInterface({ input: serve.stdout });
    rl.on('line', (l) => lines.push(l));
    try {
        // The serve process logs JSON lines (stdout is not a terminal).
        url = (await waitFor(/"url":"([^"]+)".*"msg":"recall server listening"/))[1];
        // Wait until the newest published version is live.
        const versions = [...new Set((await readAll(recallTopic, 10000, 8000)).map((m) => Number(m.headers['micstream-version'])))].sort((a, b) => a - b);
        const newest = versions.at(-1);
        await waitFor(new RegExp(`"version":${newest},.*"msg":"serving index version"`));
        const userId = run.learner.snapshot.users.ids()[0];
        const itemId = run.learner.snapshot.items.ids()[0];
        for (const path of [`/v1/recall/u2i?user=${userId}&k=5`, `/v1/recall/u2u?user=${userId}&k=5`, `/v1/recall/i2i?item=${itemId}&k=5`]) {
            const res = await fetch(`${url}${path}`);
            assert.equal(res.status, 200, path);
            const body = (await res.json());
            assert.equal(body.indexVersion, newest);
            assert.equal(body.results.length, 5);
        }
        // U2I at the recall server excludes the user's seen items, like the learner does.
        const u2i = (await (await fetch(`${url}/v1/recall/u2i?user=${userId}&k=50`)).json());
        const seen = run.learner.seenItems(userId);
        assert.ok(u2i.results.every((r) => !seen.has(r.id)));
        // ... and queries with the same blended user vectors (the u2iQueries channel), not the U2U ones.
        assert.equal(run.learner.publishable().version, newest, 'the learner published its last snapshot');
        assert.ok(run.learner.snapshot.u2iQueries, 'blend 0.5 gives U2I its own query vectors');
        assert.deepEqual(u2i.results.map((r) => r.id), run.learner.recallItemsForUser(userId, 50).map((n) => n.id));
        // The merged channel reads the published seen items (their order picks the I2I triggers): same answer as in the learner.
        const merged = (await (await fetch(`${url}/v1/recall/merged?user=${userId}&k=20`)).json());
        assert.deepEqual(merged.results, new RecallService(run.learner).recall('merged', userId, 20).results);
        // U2U at the recall server fuses the published co-consumption table with the user index at the published weight.
        assert.ok(run.learner.publishable().coconsumption, 'the co-consumption table is published');
        const u2u = (await (await fetch(`${url}/v1/recall/u2u?user=${userId}&k=20`)).json());
        assert.deepEqual(u2u.results, new RecallService(run.learner).recall('u2u', userId, 20).results);
        // A newer version with one flipped byte in one chunk: rejected, the previous one stays live.
        const all = await readAll(recallTopic, 10000, 8000);
        const source = all.filter((m) => Number(m.headers['micstream-version']) === newest);
        const corruptVersion = newest + 1;
        let flipped = false;
        const copy = source.map((m) => {
            const headers = { ...m.headers, 'micstream-version': String(corruptVersion) };
            let value = Buffer.from(m.value);
            if (m.headers['micstream-kind'] === 'manifest' ||
                m.headers['micstream-kind'] === 'channel-manifest' ||
                m.headers['micstream-kind'] === 'version-manifest') {
                value = Buffer.from(value.toString().replace(`"version":${newest}`, `"version":${corruptVersion}`));
            }
            else if (!flipped && m.headers['micstream-channel'] === 'items' && value.length > 100) {
                value[value.length - 7] = value[value.length - 7] ^ 0xff;
                flipped = true;
            }
            return { key: m.key.replace(`v${newest}/`, `v${corruptVersion}/`), value, headers };
        });
        assert.ok(flipped);
        const conn = kafkaConnection(config);
        const producer = await conn.producer();
        await producer.send({ topic: recallTopic, messages: copy });
        await conn.close();
        const rejected = await waitFor(new RegExp(`"event":"recall.rejected","version":${corruptVersion},"reason":"([^"]*)"`));
        t.diagnostic(`rejected: ${rejected[1]}`);
        assert.match(rejected[1], /checksum/);
        const after = (await (await fetch(`${url}/v1/recall/i2i?item=${itemId}&k=5`)).json());
        assert.equal(after.indexVersion, newest, 'the previous version stays live');
    }
    finally {
        serve.kill('SIGINT');
        await new Promise((r) => serve.once('exit', r));
    }
});
test('a version larger than the topic allows in one produce request is published one chunk per request and assembles whole', async () => {
    const config = kafkaTestConfig();
    await runTopology(config, 'apply', () => { });
    const topic = `${config.topicPrefix}recall-index`;
    // Seen items of ~6 MB: seven chunks at the default chunk size, more than the topic's max.message.bytes (2 MiB) taken together.
    const users = Array.from({ length: 3000 }, (_, u) => `user-${u}`);
    const items = Array.from({ length: 400 }, (_, i) => `item-with-a-long-identifier-${i}`);
    const seen = Object.fromEntries(users.map((u, n) => [u, items.slice(n % 7, 60 + (n % 7))]));
    const vectors = (n) => Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i));
    const index = {
        version: 1_000_000 + Math.floor(Math.random() * 1000),
        trainedEvents: 1,
        dim: 4,
        users: { ids: users, vectors: vectors(users.length) },
        items: { ids: items, vectors: vectors(items.length) },
        seen,
        writerEpoch: 7,
    };
    const payload = Buffer.byteLength(JSON.stringify(seen));
    assert.ok(payload > 3 * config.indexChunkBytes, `seen payload ${payload} B spans several chunks`);
    const connection = kafkaConnection(config);
    try {
        await new IndexPublisher(connection, topic, config.indexChunkBytes).publish(index);
    }
    finally {
        await connection.close();
    }
    const assembler = new RecallIndexAssembler();
    let assembled = null;
    for (const m of await readAll(topic, 10000, 8000))
        assembled = assembler.accept(m) ?? assembled;
    assert.ok(assembled, 'the version assembles');
    assert.equal(assembled.version, index.version);
    assert.deepEqual(assembled.seen, seen);
    assert.deepEqual(assembled.users.ids, users);
    assert.equal(assembled.writerEpoch, 7);
});
//# sourceMappingURL=recallTopic.test.js.map