import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
import { Metrics } from '../src/metrics/metrics.js';
import { RecallServer } from '../src/serve/recallServer.js';
import { RecallService } from '../src/serve/recallService.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
let learner;
let server;
const events = [...new SyntheticWorld({ users: 100, items: 80, clusters: 4, events: 1500, seed: 8 }).events()];
before(() => {
    learner = new OnlineLearner({ seed: 3 });
    const metrics = new Metrics(new Instrumentation(), { defaultMetrics: false });
    // Never listens: every request below goes through inject(), the handler the socket uses.
    server = new RecallServer({
        host: '127.0.0.1',
        port: 0,
        service: new RecallService(learner),
        registry: metrics.registry,
        isReady: () => learner.snapshot !== null,
    });
});
after(() => {
    learner.dispose();
});
async function get(url, init) {
    const res = await server.inject({ method: init?.method ?? 'GET', url });
    let body = null;
    try {
        body = JSON.parse(res.body);
    }
    catch {
        body = null;
    }
    return { status: res.status, body, text: res.body, headers: res.headers };
}
test('before the first index: alive but not ready, recall answers 503', async () => {
    assert.equal((await get('/healthz')).status, 200);
    assert.equal((await get('/readyz')).status, 503);
    const r = await get('/v1/recall/u2i?user=u1');
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, 'MICSTREAM_ERR_INDEX_NOT_READY');
});
test('the three channels answer for known ids; U2I excludes seen items, U2U/I2I exclude the query', async () => {
    for (let i = 0; i < events.length; i += 256)
        await learner.learnMany(events.slice(i, i + 256));
    await learner.refreshIndex();
    assert.equal((await get('/readyz')).status, 200);
    const user = events[0].userId;
    const item = events[0].itemId;
    const u2i = await get(`/v1/recall/u2i?user=${user}&k=10`);
    assert.equal(u2i.status, 200);
    assert.equal(u2i.body.channel, 'u2i');
    assert.equal(u2i.body.results.length, 10);
    assert.equal(u2i.body.indexVersion, 1);
    const seen = learner.seenItems(user);
    for (const r of u2i.body.results)
        assert.ok(!seen.has(r.id), 'seen item recalled');
    const u2u = await get(`/v1/recall/u2u?user=${user}&k=5`);
    assert.equal(u2u.status, 200);
    assert.equal(u2u.body.results.length, 5);
    assert.ok(u2u.body.results.every((r) => r.id !== user));
    const i2i = await get(`/v1/recall/i2i?item=${item}`);
    assert.equal(i2i.status, 200);
    assert.equal(i2i.body.results.length, 20, 'default k = 20');
    assert.ok(i2i.body.results.every((r) => r.id !== item));
    assert.ok(i2i.body.results.every((r) => r.score <= 1.0001 && r.score >= -1.0001));
    const merged = await get(`/v1/recall/merged?user=${user}&k=10`);
    assert.equal(merged.status, 200);
    assert.equal(merged.body.channel, 'merged');
    assert.equal(merged.body.results.length, 10);
    for (const r of merged.body.results) {
        assert.ok(!seen.has(r.id), 'seen item in merged recall');
        assert.ok(r.channels.length > 0 && r.channels.every((c) => ['u2i', 'u2u', 'i2i'].includes(c)), JSON.stringify(r));
    }
    // Default weights (U2I 1, I2I 0.1): the fused head is mostly U2I's.
    assert.ok(merged.body.results.filter((r) => r.channels.includes('u2i')).length >= 5);
});
test('unknown ids are 404, bad parameters 400, other methods 405, unknown routes 404 — with a message', async () => {
    const cases = [
        ['/v1/recall/u2i?user=nobody&strict=true', 404, 'MICSTREAM_ERR_UNKNOWN_ID'],
        ['/v1/recall/i2i?item=nothing', 404, 'MICSTREAM_ERR_UNKNOWN_ID'],
        ['/v1/recall/u2i', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2i?user=u1&k=0', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2i?user=u1&k=1001', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2i?user=u1&k=abc', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2i?user=u1&k=-3', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2i?user=u1&k=2.5', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/i2i?user=u1', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/u2u?user=u1&user=u2', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        [`/v1/recall/u2u?user=${'x'.repeat(300)}`, 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/x2y?user=u1', 404, 'MICSTREAM_ERR_NOT_FOUND'],
        ['/v1/recall/merged?user=nobody&strict=true', 404, 'MICSTREAM_ERR_UNKNOWN_ID'],
        ['/v1/recall/u2u?user=nobody', 404, 'MICSTREAM_ERR_UNKNOWN_ID'],
        ['/v1/recall/merged?item=i1', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['/v1/recall/merged?user=u1&k=0', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        // Targets that are not a path: absolute (one with an impossible port), scheme-relative, asterisk.
        ['http://x:99999/healthz', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['http://[::1/v1/recall/u2i', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['http://localhost/healthz', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['*', 400, 'MICSTREAM_ERR_BAD_REQUEST'],
        ['//', 404, 'MICSTREAM_ERR_NOT_FOUND'],
        ['//evil.example/v1/recall/u2i?user=u1', 404, 'MICSTREAM_ERR_NOT_FOUND'],
    ];
    for (const [path, status, code] of cases) {
        const r = await get(path);
        assert.equal(r.status, status, path);
        assert.equal(r.body.error.code, code, path);
        assert.ok(r.body.error.message.length > 5, path);
    }
    // Without strict, a user the model does not know gets the learner's generic list (200).
    const stranger = await get('/v1/recall/u2i?user=nobody&k=5');
    assert.equal(stranger.status, 200);
    assert.ok(['trending', 'popular'].includes(stranger.body.fallback), JSON.stringify(stranger.body));
    assert.equal(stranger.body.results.length, 5);
    const post = await get('/v1/recall/u2i?user=u1', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.body.error.code, 'MICSTREAM_ERR_METHOD');
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal((await get('/healthz')).status, 200, 'still alive after bad requests');
});
test('/metrics serves Prometheus text', async () => {
    const r = await get('/metrics');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('micstream_events_trained_total'));
});
test('a bug inside a request is a 500 with the catalogue code, reported once, and its message is not leaked', async () => {
    const reported = [];
    const broken = new RecallServer({
        host: '127.0.0.1',
        port: 0,
        service: {
            recall: () => {
                throw new TypeError('secret internals');
            },
        },
        registry: new Metrics(new Instrumentation(), { defaultMetrics: false }).registry,
        isReady: () => true,
        onInternalError: (e) => reported.push(e),
    });
    const r = await broken.inject({ method: 'GET', url: '/v1/recall/u2i?user=u1' });
    assert.equal(r.status, 500);
    const body = JSON.parse(r.body);
    assert.equal(body.error.code, 'MICSTREAM_ERR_INTERNAL');
    assert.ok(!r.body.includes('secret'));
    assert.equal(reported.length, 1);
});
test('the socket serves what inject answers (GET and HEAD)', async () => {
    const addr = await server.listen();
    try {
        const res = await fetch(`http://127.0.0.1:${addr.port}/healthz`);
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ok' });
        const head = await fetch(`http://127.0.0.1:${addr.port}/readyz`, { method: 'HEAD' });
        assert.equal(head.status, (await server.inject({ method: 'HEAD', url: '/readyz' })).status);
        assert.equal(await head.text(), '');
    }
    finally {
        await server.close();
    }
});
test('socket limits: connections beyond --max-connections are closed at once, and a client that never finishes its headers loses its socket', async () => {
    const metrics = new Metrics(new Instrumentation(), { defaultMetrics: false });
    const capped = new RecallServer({
        host: '127.0.0.1',
        port: 0,
        maxConnections: 2,
        headersTimeoutMs: 300,
        service: new RecallService(learner),
        registry: metrics.registry,
        isReady: () => true,
    });
    const addr = await capped.listen();
    const open = () => new Promise((resolve, reject) => {
        const s = connect(addr.port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
    });
    const closed = (s) => new Promise((resolve) => s.once('close', () => resolve(Date.now())));
    const sockets = [];
    try {
        // Two slow clients: each sends half a request and stops.
        for (let i = 0; i < 2; i++) {
            const s = await open();
            s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
            // Read what comes (the server's 408): a socket that never reads never sees its end.
            s.resume();
            sockets.push(s);
        }
        const slowClosed = sockets.map(closed);
        // A third connection is over the cap: the server drops it without an answer.
        const third = await open();
        sockets.push(third);
        let answered = '';
        third.on('data', (d) => (answered += String(d)));
        third.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
        await closed(third);
        assert.equal(answered, '', 'no answer over the cap');
        // The slow ones lose their sockets to the header timeout (checked every <= 300 ms).
        const started = Date.now();
        const times = await Promise.all(slowClosed);
        for (const t of times)
            assert.ok(t - started < 3000, `slow client held its socket ${t - started} ms`);
        // With the slots free again, a normal request is answered.
        const res = await fetch(`http://127.0.0.1:${addr.port}/healthz`);
        assert.equal(res.status, 200);
    }
    finally {
        for (const s of sockets)
            s.destroy();
        await capped.close();
        metrics.close();
    }
});
//# sourceMappingURL=server.test.js.map