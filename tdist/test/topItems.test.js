import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopItems } from '../src/learner/topItems.js';
import { EntityState, TOP_ITEMS_KEPT } from '../src/learner/entityState.js';
import { DecayedFrequencyEstimator } from '../src/model/frequencyEstimator.js';
import { Rng } from '../src/util/random.js';
/** The exact top-n by key of the ids that have one (the oracle the incremental list must match). */
function bruteTop(keys, n) {
    return [...keys.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([id]) => id);
}
test('TopItems matches a full sort after every offer of growing keys, evictions and re-entries included', () => {
    const rng = new Rng(7);
    const keys = new Map();
    const top = new TopItems(10, () => keys.entries());
    for (let i = 0; i < 5000; i++) {
        // Continuous keys (no ties), growing by random amounts: ids leave the list and come back.
        const id = `i${Math.floor(rng.next() * 200)}`;
        const key = (keys.get(id) ?? 0) + rng.next();
        keys.set(id, key);
        top.offer(id, key);
        if (i % 97 === 0)
            assert.deepEqual(top.top(10), bruteTop(keys, 10), `after offer ${i}`);
    }
    assert.deepEqual(top.top(3), bruteTop(keys, 3));
    assert.deepEqual(top.top(50), bruteTop(keys, 10), 'never more than capacity');
});
test('TopItems: an id that reached a tied key first ranks first; invalidate rebuilds from every id; restore continues the same', () => {
    const counts = new Map();
    const top = new TopItems(3, () => counts.entries());
    const bump = (id) => {
        counts.set(id, (counts.get(id) ?? 0) + 1);
        top.offer(id, counts.get(id));
    };
    ['a', 'b', 'b', 'c', 'a'].forEach(bump);
    // a and b both at 2: b got there first.
    assert.deepEqual(top.top(3), ['b', 'a', 'c']);
    const copy = new TopItems(3, () => counts.entries());
    copy.restore(JSON.parse(JSON.stringify(top.toData())));
    bump('d');
    bump('d');
    bump('d');
    copy.offer('d', 1);
    copy.offer('d', 2);
    copy.offer('d', 3);
    assert.deepEqual(copy.top(3), top.top(3));
    assert.deepEqual(top.top(3), ['d', 'b', 'a']);
    counts.delete('d');
    top.invalidate();
    top.offer('zz', 99); // ignored while stale: the rebuild reads every id
    assert.deepEqual(top.top(3), ['a', 'b', 'c'], 'rebuild ties keep the ids order');
    assert.throws(() => new TopItems(0, () => []), RangeError);
});
test('rankKey orders ids as probability does, and grows only when the id is observed', () => {
    const f = new DecayedFrequencyEstimator(50);
    const rng = new Rng(3);
    const ids = Array.from({ length: 30 }, (_, i) => `x${i}`);
    for (let step = 0; step < 40; step++) {
        const before = new Map(ids.map((id) => [id, f.rankKey(id)]));
        const batch = Array.from({ length: 16 }, () => ids[Math.floor(rng.next() * rng.next() * ids.length)]);
        f.observe(batch);
        for (const id of ids) {
            if (batch.includes(id))
                assert.ok(f.rankKey(id) > before.get(id), `${id} grew`);
            else
                assert.equal(f.rankKey(id), before.get(id), `${id} unchanged`);
        }
        const byProbability = [...ids].filter((id) => f.probability(id) > 0).sort((a, b) => f.probability(b) - f.probability(a));
        const byKey = [...ids].filter((id) => f.probability(id) > 0).sort((a, b) => f.rankKey(b) - f.rankKey(a));
        for (let r = 0; r < byKey.length; r++)
            assert.ok(Math.abs(f.probability(byKey[r]) - f.probability(byProbability[r])) < 1e-12, `rank ${r} at step ${step}`);
    }
    assert.equal(f.rankKey('unseen'), Number.NEGATIVE_INFINITY);
});
test('EntityState keeps trending and popular exact step by step (against a scan), through prunes, expiry and a restore', () => {
    const options = { historyLength: 5, logQHalfLifeEvents: 300, popularityFeature: false };
    let s = new EntityState(options);
    const rng = new Rng(11);
    const scan = (key, ids, n) => [...ids]
        .map((id, order) => ({ id, order, k: key(id) }))
        .filter((e) => e.k > Number.NEGATIVE_INFINITY)
        .sort((a, b) => b.k - a.k || a.order - b.order)
        .slice(0, n)
        .map((e) => e.id);
    const lifetime = new Map();
    let t = 0;
    for (let step = 1; step <= 1200; step++) {
        // Popularity moves through a catalogue larger than the kept lists.
        const centre = (step * 3) % 3000;
        const events = Array.from({ length: 8 }, () => ({
            userId: `u${Math.floor(rng.next() * 500)}`,
            itemId: `i${(centre + Math.floor(rng.next() * rng.next() * 1500)) % 3000}`,
            timestamp: ++t,
        }));
        s.beginBatch(events);
        s.commitBatch(events, step);
        for (const e of events)
            lifetime.set(e.itemId, (lifetime.get(e.itemId) ?? 0) + 1);
        if (step === 600) {
            s.forgetItem([...lifetime.keys()][0]);
            lifetime.delete([...lifetime.keys()][0]);
        }
        if (step === 700)
            s = EntityState.fromData(options, JSON.parse(JSON.stringify(s.toData())));
        if (step % 150 === 0 || step === 1000 || step === 1001) {
            const trending = s.trendingItems(TOP_ITEMS_KEPT);
            const expected = scan((id) => s.itemFrequency.rankKey(id), lifetime.keys(), TOP_ITEMS_KEPT);
            assert.deepEqual(trending, expected, `trending at step ${step}`);
            const popular = s.popularItems(50);
            // Ties may order differently from the scan; the counts must not.
            assert.deepEqual(popular.map((id) => lifetime.get(id)), scan((id) => lifetime.get(id), lifetime.keys(), 50).map((id) => lifetime.get(id)), `popular at step ${step}`);
        }
    }
});
//# sourceMappingURL=topItems.test.js.map