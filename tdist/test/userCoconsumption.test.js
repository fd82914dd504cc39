import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserCoconsumption } from '../src/index/userCoconsumption.js';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import { coconsumptionFromData, coconsumptionToData, itemsThroughNeighbours, similarUsers, } from '../src/index/userNeighbours.js';
import { U2UFusionProbe, U2U_FUSION_WEIGHTS } from '../src/learner/u2uFusionProbe.js';
import { Rng } from '../src/util/random.js';
const ev = (userId, itemId, timestamp = 0) => ({ userId, itemId, timestamp });
test('co-consumption: neighbours by shared window items over sqrt(|window u| |window v|) (worked numbers)', () => {
    const c = new UserCoconsumption({ window: 3, usersPerItem: 10 });
    // u: a b c; v: a b; w: c d; x: d (shares nothing with u).
    c.learn([ev('u', 'a'), ev('u', 'b'), ev('u', 'c'), ev('v', 'a'), ev('v', 'b'), ev('w', 'c'), ev('w', 'd'), ev('x', 'd')]);
    const u = c.neighbours('u', 10);
    assert.deepEqual(u.map((n) => n.id), ['v', 'w']);
    assert.ok(Math.abs(u[0].score - 2 / Math.sqrt(3 * 2)) < 1e-12);
    assert.ok(Math.abs(u[1].score - 1 / Math.sqrt(3 * 2)) < 1e-12);
    assert.equal(c.neighbours('nobody', 10), null);
    assert.deepEqual(c.neighbours('x', 10).map((n) => n.id), ['w']);
    // The window is 3 distinct items: u's a drops out when d comes, and v no longer shares a with u.
    c.learn([ev('u', 'd')]);
    const after = c.neighbours('u', 10);
    assert.deepEqual(after.map((n) => n.id).sort(), ['v', 'w', 'x']);
    assert.ok(Math.abs(after.find((n) => n.id === 'v').score - 1 / Math.sqrt(3 * 2)) < 1e-12);
    // A re-seen item moves to the newest end instead of taking a second place.
    c.learn([ev('u', 'b'), ev('u', 'e')]);
    // u's window is now d b e (c is out): x shares d (1 / sqrt(3 x 1)), w shares d and v shares b (1 / sqrt(3 x 2), met in that order).
    const moved = c.neighbours('u', 10);
    assert.deepEqual(moved.map((n) => n.id), ['x', 'w', 'v']);
    assert.ok(Math.abs(moved[0].score - 1 / Math.sqrt(3)) < 1e-12 && Math.abs(moved[1].score - 1 / Math.sqrt(6)) < 1e-12);
    c.forgetUser('w');
    assert.ok(!c.neighbours('u', 10).some((n) => n.id === 'w'), 'a forgotten user is not answered');
    assert.deepEqual(c.neighbours('u', 1).length, 1, 'n caps the answer');
});
test('co-consumption memory stays bounded per id on a long stream, and the state round-trips exactly', () => {
    const c = new UserCoconsumption({ window: 5, usersPerItem: 7 });
    const rng = new Rng(11);
    const events = [];
    for (let t = 0; t < 20000; t++)
        events.push(ev(`u${Math.floor(rng.next() * 300)}`, `i${Math.floor(rng.next() * rng.next() * 400)}`, t));
    c.learn(events.slice(0, 15000));
    const data = c.toData();
    for (const [, items] of data.windows)
        assert.ok(items.length <= 5);
    for (const [, users] of data.usersOf)
        assert.ok(users.length <= 7);
    // Through JSON, as the artifact and checkpoints carry it.
    const restored = UserCoconsumption.fromData(JSON.parse(JSON.stringify(data)));
    c.learn(events.slice(15000));
    restored.learn(events.slice(15000));
    for (const u of ['u0', 'u17', 'u150', 'u299'])
        assert.deepEqual(restored.neighbours(u, 20), c.neighbours(u, 20));
    assert.deepEqual([...restored.users()], [...c.users()]);
});
test('co-consumption state: malformed data is refused with what is wrong', () => {
    const good = new UserCoconsumption({ window: 2, usersPerItem: 2 });
    good.learn([ev('u', 'a')]);
    const data = good.toData();
    assert.throws(() => UserCoconsumption.fromData({ ...data, windows: [[0, [9]]] }), /id 9 out of range/);
    assert.throws(() => UserCoconsumption.fromData({ ...data, usersOf: 'x' }), /usersOf must be an array/);
    assert.throws(() => UserCoconsumption.fromData({ ...data, options: { window: 0, usersPerItem: 2 } }), /window must be an integer/);
});
test('similarUsers: the index alone without a source; fused with one; co-consumption answers a user without a vector; a published copy the same', () => {
    // Towers: u is nearest to a, then b; co-consumption: u shares items with c only.
    const users = new BruteForceIndex(2);
    users.add(['u', 'a', 'b', 'c', 'cold'], Float32Array.from([1, 0, 0.99, Math.sqrt(1 - 0.99 ** 2), 0.9, Math.sqrt(1 - 0.81), 0, 1, 1, 0]));
    const table = new UserCoconsumption({ window: 5, usersPerItem: 5 });
    table.learn([ev('u', 'p'), ev('u', 'q'), ev('c', 'p'), ev('c', 'q'), ev('fresh', 'q'), ev('a', 'r'), ev('b', 's')]);
    const without = new Set(['cold']);
    assert.deepEqual(similarUsers({ users }, 'u', 2, without).map((n) => n.id), ['a', 'b'], 'the user index alone; never the user, never a user without items');
    const towersFirst = { weight: 0, table };
    const coFirst = { weight: 1, table };
    assert.deepEqual(similarUsers({ users, coconsumption: towersFirst }, 'u', 3, without).map((n) => n.id), ['a', 'b', 'c']);
    assert.deepEqual(similarUsers({ users, coconsumption: coFirst }, 'u', 2, without).map((n) => n.id), ['c', 'fresh']);
    assert.deepEqual(similarUsers({ users, coconsumption: coFirst }, 'fresh', 2, without).map((n) => n.id), ['u', 'c'], 'a user trained after the last refresh (no vector yet) is answered from co-consumption (u and c tie; u was met first)');
    assert.equal(similarUsers({ users, coconsumption: coFirst }, 'nobody', 2, without), null);
    const published = coconsumptionFromData(JSON.parse(JSON.stringify(coconsumptionToData({ weight: 0.5, table }))));
    for (const id of ['u', 'a', 'c', 'fresh'])
        assert.deepEqual(similarUsers({ users, coconsumption: published }, id, 3, without), similarUsers({ users, coconsumption: { weight: 0.5, table } }, id, 3, without));
    assert.throws(() => coconsumptionFromData({ weight: 2, table: table.toData() }), /weight/);
    assert.throws(() => coconsumptionFromData({ weight: 0.5 }), /table/);
});
test("itemsThroughNeighbours: summed neighbour scores, the user's own items out, ties by id", () => {
    const seen = new Map([
        ['n1', ['x', 'y']],
        ['n2', ['y', 'z', 'w']],
    ]);
    const ranked = itemsThroughNeighbours([
        { id: 'n1', score: 0.5 },
        { id: 'n2', score: 0.4 },
    ], (u) => seen.get(u) ?? [], new Set(['w']), 3);
    assert.deepEqual(ranked, ['y', 'x', 'z']);
});
test('U2UFusionProbe: items through the neighbours test each weight before the event is learned; the better weight is served', () => {
    // Towers put every user nearest to t, whose only item is never next (cos 0.8 to t, 0.64 to each other);
    // co-consumption meets the users who share 'a', and the earlier ones had 'b' after it.
    const n = 30;
    const users = new BruteForceIndex(n + 1);
    const ids = ['t', ...Array.from({ length: n }, (_, i) => `u${i}`)];
    const vectors = new Float32Array(ids.length * (n + 1));
    vectors[0] = 1;
    for (let i = 1; i <= n; i++)
        [vectors[i * (n + 1)], vectors[i * (n + 1) + i]] = [0.8, 0.6];
    users.add(ids, vectors);
    const table = new UserCoconsumption({ window: 5, usersPerItem: 50 });
    const seen = new Map();
    const learn = (events) => {
        table.learn(events);
        for (const e of events)
            seen.set(e.userId, (seen.get(e.userId) ?? new Set()).add(e.itemId));
    };
    learn([ev('t', 'junk')]);
    const seenItems = (u) => seen.get(u) ?? new Set();
    const probe = new U2UFusionProbe({ mode: 'auto', eventsPerCheck: 1, checkK: 1, minChecks: 10, initial: 0 }, () => ({
        users,
        table,
        seenItems,
    }));
    assert.equal(probe.weight, 0, 'the initial weight until the evidence is in');
    for (let i = 0; i < n; i++) {
        learn([ev(`u${i}`, 'a', 2 * i)]);
        const batch = [ev(`u${i}`, 'b', 2 * i + 1)];
        probe.test(batch);
        learn(batch);
    }
    const stats = probe.stats();
    assert.ok(stats.checks >= 10, JSON.stringify(stats));
    assert.equal(stats.hitRates[0], 0, 'towers alone never hit (t comes first and t has only junk)');
    assert.ok(stats.hitRates[U2U_FUSION_WEIGHTS.length - 1] > 0.8, JSON.stringify(stats));
    assert.ok(probe.weight > 0, `served ${probe.weight}`);
    const copy = new U2UFusionProbe({ mode: 'auto' }, () => null);
    copy.restore(probe.toData());
    assert.deepEqual(copy.stats(), stats);
    assert.equal(new U2UFusionProbe({ mode: 'off' }, () => null).weight, null);
    assert.equal(new U2UFusionProbe({ mode: 0.75 }, () => null).weight, 0.75);
    assert.throws(() => new U2UFusionProbe({ mode: -1 }, () => null), RangeError);
});
//# sourceMappingURL=userCoconsumption.test.js.map