import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowPopularity, StreamingCooccurrence, StreamingUserCF } from '../src/eval/streamingBaselines.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';

const ev = (userId: string, itemId: string, timestamp = 0): InteractionEvent => ({ userId, itemId, timestamp });

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
  assert.ok(!co.rank('u1', 10)!.includes('a') && !co.rank('u1', 10)!.includes('x'), 'seen items are left out');
});

test('streaming co-occurrence answers I2I: the items most co-occurring with the query, cosine-normalised, never the item itself', async () => {
  const co = new StreamingCooccurrence(2);
  await co.learnMany([ev('u1', 'a'), ev('u1', 'b'), ev('u2', 'a'), ev('u2', 'c'), ev('u3', 'a'), ev('u3', 'b'), ev('u9', 'a')]);
  // co(a,b) = 2, co(a,c) = 1; degrees a 4, b 2, c 1: b 2/sqrt(8) = 0.71 over c 1/sqrt(4) = 0.5.
  assert.deepEqual(co.similarItems('a', 5), ['b', 'c']);
  assert.deepEqual(co.similarItems('c', 5), ['a']);
  assert.deepEqual(co.similarItems('a', 1), ['b'], 'cut at k');
  assert.equal(co.similarItems('never-co-occurred', 5), null);
});

test('sliding-window popularity answers I2I with the window’s top items but the query item', async () => {
  const pop = new SlidingWindowPopularity(10);
  await pop.learnMany([ev('u1', 'a'), ev('u2', 'a'), ev('u3', 'b'), ev('u4', 'c')]);
  assert.deepEqual(pop.similarItems('a', 2), ['b', 'c']);
  assert.deepEqual(pop.similarItems('z', 2), ['a', 'b']);
  assert.deepEqual(pop.popular(new Set(['b']), 5), ['a', 'c']);
});

test('streaming User-CF pools the items of the users who shared the user’s recent items, and falls back to popularity', async () => {
  const cf = new StreamingUserCF(10, 100);
  await cf.learnMany([ev('u1', 'a'), ev('u1', 'b'), ev('u2', 'a'), ev('u2', 'b'), ev('u2', 'c'), ev('u3', 'd'), ev('u3', 'e')]);
  assert.deepEqual(cf.neighbourItems('u1', 5), ['c'], 'u2 shares a and b; only c is new to u1');
  // Window counts: a 2, b 2, c 1, d 1, e 1 (ties in the order first counted).
  assert.deepEqual(cf.neighbourItems('stranger', 3), ['a', 'b', 'c'], 'no history: popularity');
  assert.deepEqual(cf.neighbourItems('u3', 3), ['a', 'b', 'c'], 'no user shares d or e: popularity without what u3 saw');
});

test('streaming User-CF weighs neighbours by overlap and remembers only the last consumers of each item', async () => {
  const stream = [
    ev('u2', 'a'),
    ev('u2', 'b'),
    ev('u2', 'x'),
    ev('u3', 'a'),
    ev('u3', 'y'),
    ev('u3', 'z'),
    ev('u3', 'w'),
    ev('u1', 'a'),
    ev('u1', 'b'),
  ];
  const all = new StreamingUserCF(10, 100);
  await all.learnMany(stream);
  // u2 shares a and b (2/sqrt(2*3) = 0.82), u3 shares a (1/sqrt(2*4) = 0.35): x first.
  assert.deepEqual(all.neighbourItems('u1', 5), ['x', 'w', 'y', 'z']);
  const lastOnly = new StreamingUserCF(10, 100, 20, 1);
  await lastOnly.learnMany(stream);
  // a's last consumer before u1 was u3, b's was u2; u1 itself then replaces both, so nobody is left to share.
  assert.deepEqual(lastOnly.neighbourItems('u1', 2), ['x', 'y'], 'falls back to popularity without u1’s items');
});
