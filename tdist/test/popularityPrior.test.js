import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import { u2iRanking } from '../src/index/indexSnapshot.js';
import { priorCandidates, priorFromData, priorSegment, priorToData, rankWithPrior, } from '../src/index/popularityPrior.js';
import { EntityState } from '../src/learner/entityState.js';
import { PopularityPriorProbe } from '../src/learner/popularityPriorProbe.js';
import { RecallService } from '../src/serve/recallService.js';
import { mergedRecall } from '../src/index/mergedRecall.js';
const ev = (userId, itemId, timestamp) => ({ userId, itemId, timestamp });
const unit = (...xs) => {
    const n = Math.hypot(...xs);
    return Float32Array.from(xs, (x) => x / n);
};
/** Items: 'near' next to the user's direction but rare, 'hot' further away but trending, 'cold' far and rare. */
function world(beta) {
    const items = new BruteForceIndex(2);
    items.add(['near', 'hot', 'cold'], Float32Array.from([...unit(1, 0.1), ...unit(1, 0.6), ...unit(-1, 0)]));
    const users = new BruteForceIndex(2);
    users.add(['u'], unit(1, 0));
    const prior = {
        temperature: 0.1,
        beta: { new: beta, short: beta, medium: beta, long: beta },
        logQ: new Map([
            ['near', Math.log(0.001)],
            ['hot', Math.log(0.5)],
        ]),
        floor: Math.log(0.0005),
        trending: ['hot', 'missing'],
    };
    return { snap: { version: 1, createdAt: 0, trainedEvents: 0, users, items, prior }, prior };
}
test('priorSegment: none, 1-4, 5-19, 20 or more trained items', () => {
    assert.deepEqual([0, 1, 4, 5, 19, 20, 500].map(priorSegment), ['new', 'short', 'short', 'medium', 'medium', 'long', 'long']);
});
test('rankWithPrior: cos + beta * tau * log q, items without an estimate at the floor (worked numbers)', () => {
    const { prior } = world(1);
    const candidates = [
        { id: 'near', score: 0.99 },
        { id: 'hot', score: 0.86 },
        { id: 'cold', score: -1 },
    ];
    const ranked = rankWithPrior(candidates, prior, 0.5, 3);
    const expect = (cos, logq) => cos + 0.5 * 0.1 * logq;
    assert.deepEqual(ranked.map((n) => n.id), ['hot', 'near', 'cold']);
    assert.ok(Math.abs(ranked[0].score - expect(0.86, Math.log(0.5))) < 1e-9);
    assert.ok(Math.abs(ranked[1].score - expect(0.99, Math.log(0.001))) < 1e-9);
    assert.ok(Math.abs(ranked[2].score - expect(-1, Math.log(0.0005))) < 1e-9, 'cold has no estimate: the floor');
    assert.deepEqual(rankWithPrior(candidates, prior, 0, 2).map((n) => n.id), ['near', 'hot'], 'beta 0 is the cosine order');
});
test('priorCandidates: the cosine neighbours plus trending items with a vector, without the excluded ones', () => {
    const { snap, prior } = world(1);
    const q = unit(1, 0);
    assert.deepEqual(priorCandidates(snap.items, q, new Set(), prior, 1).map((n) => n.id), ['near', 'hot'], "trending 'hot' joins the single nearest item; 'missing' has no vector");
    const hot = priorCandidates(snap.items, q, new Set(), prior, 1)[1];
    assert.ok(Math.abs(hot.score - (unit(1, 0.6)[0] * 1 + 0)) < 1e-6, 'a trending candidate carries its cosine');
    assert.deepEqual(priorCandidates(snap.items, q, new Set(['hot']), prior, 3).map((n) => n.id), ['near', 'cold']);
});
test('u2iRanking serves the prior of the user segment; beta 0 or no prior is the plain index query', () => {
    const q = unit(1, 0);
    assert.deepEqual(u2iRanking(world(0).snap, q, 2, new Set()).map((n) => n.id), ['near', 'hot']);
    assert.deepEqual(u2iRanking(world(1).snap, q, 2, new Set()).map((n) => n.id), ['hot', 'near']);
    const { snap } = world(1);
    const onlyLong = { ...snap, prior: { ...snap.prior, beta: { new: 0, short: 0, medium: 0, long: 1 } } };
    const seen = (n) => new Set(Array.from({ length: n }, (_, i) => `s${i}`));
    assert.equal(u2iRanking(onlyLong, q, 1, seen(3))[0].id, 'near', 'a short history: beta 0');
    assert.equal(u2iRanking(onlyLong, q, 1, seen(25))[0].id, 'hot', 'a long history: beta 1');
    // The API and the merged channel answer the same ranking.
    const service = new RecallService({ snapshot: snap, seenItems: () => new Set() });
    assert.deepEqual(service.recall('u2i', 'u', 2).results.map((n) => n.id), ['hot', 'near']);
    const merged = mergedRecall({ snapshot: snap, seenItems: () => new Set(), usersWithoutItems: new Set() }, 'u', 1);
    assert.equal(merged[0].id, 'hot');
});
test('a prior survives its JSON form (the published artifact) and malformed data is refused with a reason', () => {
    const { prior } = world(0.75);
    const back = priorFromData(JSON.parse(JSON.stringify(priorToData(prior))));
    assert.deepEqual(back, prior);
    const bad = [
        [null, /not an object/],
        [{ ...priorToData(prior), temperature: 0 }, /temperature/],
        [{ ...priorToData(prior), beta: { new: 1 } }, /beta/],
        [{ ...priorToData(prior), logQ: [['a', 'x']] }, /logQ/],
        [{ ...priorToData(prior), trending: [1] }, /trending/],
        [{ ...priorToData(prior), floor: null }, /floor/],
    ];
    for (const [data, message] of bad)
        assert.throws(() => priorFromData(data), message);
});
test("PopularityPriorProbe: returning users' events test each beta before they are learned; each segment serves the best", () => {
    const entities = new EntityState({ historyLength: 5, logQHalfLifeEvents: 1000, popularityFeature: false });
    let current = null;
    const probe = new PopularityPriorProbe({ mode: 'auto', temperature: 0.1, gapMs: 100, eventsPerCheck: 1, minChecks: 5, checkK: 1 }, entities, () => current
        ? { snapshot: current.snapshot, query: (u) => current.snapshot.users.vector(u), seenItems: (u) => entities.seenItems(u) }
        : null);
    const learn = (events, step) => {
        probe.test(events);
        entities.beginBatch(events);
        entities.commitBatch(events, step);
    };
    assert.equal(probe.build().beta.long, 0, 'beta 0 before any evidence');
    const live = { snapshot: world(0).snap };
    current = live;
    // Users with 25 trained items (the 'long' segment) come back and pick the trending item.
    const history = (u) => Array.from({ length: 25 }, (_, i) => ev(u, `h${i}`, i));
    const users = Array.from({ length: 8 }, (_, i) => `r${i}`);
    learn(users.flatMap(history), 1);
    for (const u of users)
        live.snapshot.users.add([u], unit(1, 0));
    learn(users.map((u, i) => ev(u, 'hot', 1000 + i)), 2);
    const stats = probe.stats();
    assert.equal(stats.segments.long.checks, 8);
    assert.ok(stats.segments.long.hitRates[4] > stats.segments.long.hitRates[0], JSON.stringify(stats.segments.long));
    assert.equal(probe.betas().long, 0.25, 'the smallest beta that ranks the trending item first (ties keep the smaller)');
    assert.equal(probe.betas().short, 0.25, 'a segment without checks of its own follows all checks pooled');
    // Events inside a session (previous event < gapMs ago) are not checks.
    learn(users.map((u, i) => ev(u, 'near', 1010 + i)), 3);
    assert.equal(probe.stats().segments.long.checks, 8);
    const fixed = new PopularityPriorProbe({ mode: 0.5, temperature: 0.1 }, entities, () => null);
    assert.deepEqual(Object.values(fixed.build().beta), [0.5, 0.5, 0.5, 0.5]);
    assert.equal(new PopularityPriorProbe({ mode: 'off', temperature: 0.1 }, entities, () => null).build(), null);
    assert.throws(() => new PopularityPriorProbe({ mode: -1, temperature: 0.1 }, entities, () => null), RangeError);
});
test('the prior the learner builds: log q of every item with an estimate, a floor below the rarest, trending best first', () => {
    const entities = new EntityState({ historyLength: 5, logQHalfLifeEvents: 1000, popularityFeature: false });
    const events = [ev('a', 'x', 1), ev('b', 'x', 2), ev('c', 'x', 3), ev('a', 'y', 4)];
    entities.beginBatch(events);
    entities.commitBatch(events, 1);
    const prior = new PopularityPriorProbe({ mode: 'auto', temperature: 0.2 }, entities, () => null).build();
    assert.equal(prior.temperature, 0.2);
    assert.deepEqual(prior.trending, ['x', 'y']);
    assert.ok(Math.abs(prior.logQ.get('x') - Math.log(entities.itemFrequency.probability('x'))) < 1e-12);
    assert.ok(prior.floor < prior.logQ.get('y'));
});
//# sourceMappingURL=popularityPrior.test.js.map