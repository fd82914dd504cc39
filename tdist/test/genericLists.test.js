import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntityState } from '../src/learner/entityState.js';
import { GenericListSelector } from '../src/learner/genericLists.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import { RecallService } from '../src/serve/recallService.js';
import { RecallServer } from '../src/serve/recallServer.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
import { Metrics } from '../src/metrics/metrics.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
const ev = (userId, itemId, timestamp) => ({ userId, itemId, timestamp });
const OPTIONS = { historyLength: 5, logQHalfLifeEvents: 4, popularityFeature: false };
test('trending follows the decayed frequencies, popular the lifetime counts', () => {
    const s = new EntityState(OPTIONS);
    // 'old' is bought 6 times early, 'new' 3 times at the end: lifetime favours old, a 4-event half-life favours new.
    const events = [
        ...Array.from({ length: 6 }, (_, i) => ev(`u${i}`, 'old', i)),
        ...Array.from({ length: 3 }, (_, i) => ev(`v${i}`, 'new', 10 + i)),
    ];
    s.beginBatch(events);
    s.commitBatch(events, 1);
    assert.deepEqual(s.popularItems(5), ['old', 'new']);
    assert.deepEqual(s.trendingItems(5), ['new', 'old']);
    assert.deepEqual(s.popularItems(1), ['old']);
    const restored = EntityState.fromData(OPTIONS, JSON.parse(JSON.stringify(s.toData())));
    assert.deepEqual(restored.popularItems(5), s.popularItems(5), 'lifetime counts survive a restore');
});
test('GenericListSelector: first-time users test the lists before they learn; the better list is chosen once the evidence is in', () => {
    const s = new EntityState(OPTIONS);
    const selector = new GenericListSelector(s, { checkK: 1, minChecks: 10, halfLifeChecks: 1000 });
    const train = (events, step) => {
        selector.test(events);
        s.beginBatch(events);
        s.commitBatch(events, step);
    };
    // Lifetime favourite 'old' (8 events), currently trending 'new' (the last 6 of a 4-event half-life).
    train([...Array.from({ length: 8 }, (_, i) => ev(`a${i}`, 'old', i)), ...Array.from({ length: 6 }, (_, i) => ev(`b${i}`, 'new', 20 + i))], 1);
    assert.equal(selector.refresh().kind, 'trending', 'trending until enough checks');
    // New users keep choosing the lifetime favourite; a returning user's event is not a check.
    train([ev('a0', 'x', 30), ...Array.from({ length: 12 }, (_, i) => ev(`c${i}`, 'old', 31 + i))], 2);
    const stats = selector.stats();
    assert.equal(stats.checks, 12);
    assert.ok(stats.hitRates[1] > stats.hitRates[0], JSON.stringify(stats));
    const list = selector.refresh();
    assert.equal(list.kind, 'popular');
    assert.equal(list.items[0], 'old');
});
test('every user gets an answer: a user without a vector gets the generic list (seen items excluded), unless strict', async () => {
    const dim = 4;
    const users = new BruteForceIndex(dim);
    users.add(['known'], Float32Array.from([1, 0, 0, 0]));
    const items = new BruteForceIndex(dim);
    items.add(['i1', 'i2', 'i3'], Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]));
    const snap = {
        version: 2,
        createdAt: 0,
        trainedEvents: 9,
        users,
        items,
        generic: { kind: 'trending', items: ['i3', 'i2', 'i1'] },
    };
    const service = new RecallService({ snapshot: snap, seenItems: (u) => new Set(u === 'returning' ? ['i3'] : []) });
    const cold = service.recall('u2i', 'stranger', 2);
    assert.equal(cold.fallback, 'trending');
    assert.deepEqual(cold.results, [
        { id: 'i3', score: 1 },
        { id: 'i2', score: 0.5 },
    ]);
    // Known to the stream (seen items) but not yet in the index: the generic list without what it saw.
    assert.deepEqual(service.recall('merged', 'returning', 5).results.map((r) => r.id), ['i2', 'i1']);
    assert.equal(service.recall('u2i', 'known', 1).fallback, undefined, 'a user with a vector gets the model');
    assert.throws(() => service.recall('u2i', 'stranger', 2, { strict: true }), /unknown user/);
    assert.throws(() => service.recall('u2u', 'stranger', 2), /unknown user/, 'U2U has no generic answer');
    // The ranking evaluation uses: ids as served, null where the API answers 404.
    assert.deepEqual(service.served('u2i', 'stranger', 2), ['i3', 'i2']);
    assert.equal(service.served('u2u', 'stranger', 2), null);
    assert.equal(new RecallService({ snapshot: null, seenItems: () => new Set() }).served('u2i', 'x', 2), null, 'not ready: nothing');
    const server = new RecallServer({
        host: '127.0.0.1',
        port: 0,
        service,
        registry: new Metrics(new Instrumentation(), { defaultMetrics: false }).registry,
        isReady: () => true,
    });
    const get = async (url) => {
        const r = await server.inject({ method: 'GET', url });
        return { status: r.status, body: JSON.parse(r.body) };
    };
    assert.equal((await get('/v1/recall/u2i?user=stranger&k=3')).body.fallback, 'trending');
    assert.equal((await get('/v1/recall/u2i?user=stranger&strict=true')).status, 404);
    assert.equal((await get('/v1/recall/u2i?user=stranger&strict=1')).status, 404);
    assert.equal((await get('/v1/recall/u2i?user=stranger&strict=false')).status, 200);
    assert.equal((await get('/v1/recall/u2i?user=stranger&strict=maybe')).status, 400);
});
test("the learner's live snapshot serves each step's trending list and prior without a re-encoding (same version)", async () => {
    const learner = new OnlineLearner({ seed: 1, indexKind: 'exact', popularityPrior: 'auto' });
    try {
        const first = Array.from({ length: 32 }, (_, i) => ev(`u${i % 8}`, `i${i % 5}`, 1000 + i));
        await learner.learnMany(first);
        const snap = await learner.refreshIndex();
        // A burst on an item first trained after the refresh: it has no vector yet, but trends now.
        const burst = Array.from({ length: 40 }, (_, i) => ev(`w${i}`, 'hot', 2000 + i));
        await learner.learnMany(burst);
        const live = learner.snapshot;
        assert.equal(live.version, snap.version, 'no new version: the vectors did not change');
        assert.equal(live.users, snap.users, 'the same indexes');
        assert.equal(live.generic?.items[0], 'hot');
        assert.equal(live.prior?.trending[0], 'hot');
        const q = Math.log(learner.entities.itemFrequency.probability('hot'));
        assert.ok(Math.abs(live.prior.logQ.get('hot') - q) < 1e-12, 'log q as of this step');
        const service = new RecallService(learner);
        assert.equal(service.recall('u2i', 'nobody', 3).results[0].id, 'hot', 'a user without a vector gets it at once');
    }
    finally {
        await learner.close();
    }
});
//# sourceMappingURL=genericLists.test.js.map