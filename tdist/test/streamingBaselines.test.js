import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowPopularity, StreamingCooccurrence } from '../src/eval/streamingBaselines.js';
const ev = (userId, itemId, timestamp = 0) => ({ userId, itemId, timestamp });
test('sliding-window popularity counts only the last W events and leaves out what the user saw', async () => {
    const pop = new SlidingWindowPopularity(4);
    await pop.learnMany([ev('u1', 'a'), ev('u2', 'a'), ev('u3', 'a'), ev('u1', 'b'), ev('u2', 'b'), ev('u3', 'c')]);
    // Window: a, b, b, c -> b (2), a (1), c (1; counted after a).
    assert.deepEqual(pop.rank('new', 3), ['b', 'a', 'c']);
    assert.deepEqual(pop.rank('u1', 3), ['c'], 'u1 saw a and b');
    await pop.learnMany([ev('u4', 'c'), ev('u4', 'd'), ev('u5', 'd'), ev('u6', 'd')]);
    assert.deepEqual(pop.rank('new', 2), ['d', 'c']);
});
test('streaming co-occurrence: pairs with the user’s recent items both ways, cosine-normalised, seen items left out', async () => {
    const co = new StreamingCooccurrence(2);
    await co.learnMany([ev('u1', 'a'), ev('u1', 'b'), ev('u2', 'a'), ev('u2', 'c'), ev('u3', 'a'), ev('u3', 'b')]);
    // co(a,b) = 2, co(a,c) = 1; degrees a 3, b 2, c 1. A user who saw a: b 2/sqrt(6) = 0.816, c 1/sqrt(3) = 0.577.
    await co.learnMany([ev('u9', 'a')]);
    assert.deepEqual(co.rank('u9', 5), ['b', 'c']);
    assert.equal(co.rank('stranger', 5), null, 'no history, no ranking');
    // History is bounded: u1's items beyond the last 2 no longer pair.
    await co.learnMany([ev('u1', 'x'), ev('u1', 'y'), ev('u1', 'z')]);
    assert.ok(!co.rank('u1', 10).includes('a') && !co.rank('u1', 10).includes('x'), 'seen items are left out');
});
//# sourceMappingURL=streamingBaselines.test.js.map