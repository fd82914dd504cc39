import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HitRateAtK, NdcgAtK, RecallAtK, Rolling } from '../src/measure/metric.js';
import { FINITE_RUN_HOLDOUT_FRACTION, HoldoutSet, holdoutFractionFor } from '../src/measure/holdout.js';
import { PrequentialEvaluator } from '../src/measure/prequential.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { DEFAULT_CONFIG } from '../src/config/config.js';

const none = new Set<string>();

test('the metric contract on worked numbers: Recall, HR and NDCG at K, revert, and a rolling window', () => {
  // Targets {b, c}; ranking [b, d, c]: at K=2 one hit of two, at K=3 both.
  const o = { targets: new Set(['b', 'c']), ranked: ['b', 'd', 'c'] };
  const r2 = new RecallAtK(2);
  const r3 = new RecallAtK(3);
  const hr = new HitRateAtK(2);
  const nd = new NdcgAtK(3);
  for (const m of [r2, r3, hr, nd]) m.update(o);
  assert.equal(r2.get(), 0.5);
  assert.equal(r3.get(), 1);
  assert.equal(hr.get(), 1);
  // DCG = 1/log2(2) + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3)
  assert.ok(Math.abs(nd.get() - 1.5 / (1 + 1 / Math.log2(3))) < 1e-12);
  // A model that could not rank scores 0 and still counts; a repeated id is credited once.
  r2.update({ targets: new Set(['e']), ranked: null });
  assert.equal(r2.count, 2);
  assert.equal(r2.get(), 0.25);
  r2.revert({ targets: new Set(['e']), ranked: null });
  assert.equal(r2.get(), 0.5);
  const dup = new RecallAtK(3);
  dup.update({ targets: new Set(['a', 'b']), ranked: ['a', 'a', 'x'] });
  assert.equal(dup.get(), 0.5);
  assert.ok(r2.biggerIsBetter && nd.biggerIsBetter);
  // Rolling over the last two queries: hits 1, 0, 1 -> the window sees 0, 1.
  const rolling = new Rolling(new HitRateAtK(1), 2);
  for (const ranked of [['a'], ['x'], ['a']]) rolling.update({ targets: new Set(['a']), ranked });
  assert.equal(rolling.get(), 0.5);
  assert.equal(rolling.count, 2);
  assert.throws(() => new RecallAtK(0), RangeError);
});

test('u2iMetrics on a hand-computed case: seen items excluded, users without test items skipped, unrankable users count', () => {
  // u1 trained on a; test items {a, b, c}: a is train-seen, so targets {b, c}; ranking [b, d] at K=2 -> 0.5.
  // u2 test {e}, ranking [e, a] -> 1. u3 only a seen test item -> skipped. u9 cannot be ranked -> 0.
  const seen: Record<string, Set<string>> = { u1: new Set(['a']), u3: new Set(['a']) };
  const r = u2iMetrics({
    testItems: new Map([
      ['u1', new Set(['a', 'b', 'c'])],
      ['u2', new Set(['e'])],
      ['u3', new Set(['a'])],
      ['u9', new Set(['e'])],
    ]),
    trainSeen: (u) => seen[u] ?? none,
    ks: [2],
    rank: (u) => (u === 'u1' ? ['b', 'd'] : u === 'u9' ? null : ['e', 'a']),
  });
  assert.equal(r.users, 3);
  assert.ok(Math.abs(r.recall[2]! - 0.5) < 1e-12);
});

const ev = (userId: string, itemId: string, timestamp: number): InteractionEvent => ({ userId, itemId, timestamp });

test('HoldoutSet: deterministic selection near the fraction, hits counted against random', () => {
  const h = new HoldoutSet(0.2, 1);
  const all = Array.from({ length: 5000 }, (_, i) => ev(`u${i % 50}`, `i${i}`, i));
  const chosen = all.filter((e) => h.selects(e));
  assert.ok(chosen.length > 900 && chosen.length < 1100, `${chosen.length}`);
  assert.deepEqual(
    chosen,
    all.filter((e) => new HoldoutSet(0.2, 1).selects(e)),
  );
  const small = new HoldoutSet(1, 1);
  small.add(ev('u1', 'a', 1));
  small.add(ev('u1', 'b', 2));
  small.add(ev('u2', 'zzz', 3)); // unknown item: skipped
  const r = small.evaluate({ k: 1, rank: () => ['a'], trainSeen: () => none, isKnownItem: (i) => i !== 'zzz', catalogueSize: 4 });
  assert.equal(r.events, 2);
  assert.equal(r.skipped, 1);
  assert.equal(r.hitRate, 0.5);
  assert.equal(r.randomHitRate, 0.25);
});

test('PrequentialEvaluator: unrankable users are misses, windows close on schedule', () => {
  const p = new PrequentialEvaluator({ k: 2, sampleRate: 1, seed: 0, windowEvents: 2 });
  const hits = p.check([ev('u1', 'a', 1), ev('u1', 'c', 2), ev('u2', 'a', 3)], (u) => (u === 'u1' ? ['a', 'b'] : null));
  assert.deepEqual(hits, [true, false, false]);
  p.flush();
  assert.equal(p.trialCount, 3);
  assert.ok(Math.abs(p.hitRate - 1 / 3) < 1e-12);
  assert.deepEqual(
    p.windows.map((w) => [w.endEvent, w.trials, w.hitRate]),
    [
      [2, 2, 0.5],
      [3, 1, 0],
    ],
  );
});

import { u2iMetrics, i2iHitRate, u2uRecall } from '../src/measure/channelMetrics.js';
import { PopularityRanker, CosineNeighbours } from '../src/eval/baselines.js';
import { temporalSplit, consecutivePairs } from '../src/eval/temporalSplit.js';

test('u2iMetrics: hand-computed Recall and NDCG, duplicates counted once, K beyond the catalogue', () => {
  // Targets {a, c}; ranking [a, b, c]: K=2 -> recall 1/2, DCG = 1, IDCG = 1 + 1/log2(3) -> 0.6131.
  // K=3 -> recall 1, DCG = 1 + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) = 1.6309 -> 0.9197.
  const r = u2iMetrics({
    testItems: new Map([['u', new Set(['a', 'c'])]]),
    trainSeen: () => none,
    rank: () => ['a', 'b', 'c'],
    ks: [2, 3, 10],
  });
  assert.ok(Math.abs(r.recall[2]! - 0.5) < 1e-12);
  assert.ok(Math.abs(r.ndcg[2]! - 1 / (1 + 1 / Math.log2(3))) < 1e-12);
  assert.ok(Math.abs(r.ndcg[3]! - 1.5 / (1 + 1 / Math.log2(3))) < 1e-12);
  assert.equal(r.recall[10], 1, 'K larger than the ranking');
  const dup = u2iMetrics({ testItems: new Map([['u', new Set(['a', 'c'])]]), trainSeen: () => none, rank: () => ['a', 'a', 'a'], ks: [3] });
  assert.equal(dup.recall[3], 0.5);
  const empty = u2iMetrics({ testItems: new Map([['u', new Set(['a'])]]), trainSeen: () => new Set(['a']), rank: () => ['a'], ks: [1] });
  assert.equal(empty.users, 0, 'a user whose only test item was seen in training has no test items');
  assert.equal(empty.recall[1], 0);
});

test('popularity ties keep first-seen order; I2I and U2U on tiny cases', () => {
  const e = (u: string, i: string, t: number) => ({ userId: u, itemId: i, timestamp: t });
  const pop = new PopularityRanker([e('u1', 'x', 1), e('u2', 'y', 2), e('u3', 'y', 3), e('u4', 'x', 4), e('u5', 'z', 5)]);
  assert.deepEqual(pop.rank(3), ['x', 'y', 'z']);
  assert.deepEqual(pop.rank(5, new Set(['x'])), ['y', 'z']);
  // A repeated item (c, c) is no pair: the query item is excluded from its own neighbours.
  assert.deepEqual(consecutivePairs([e('u1', 'a', 1), e('u2', 'b', 2), e('u1', 'c', 3), e('u1', 'c', 4), e('u1', 'd', 5)]), [
    ['a', 'c'],
    ['c', 'd'],
  ]);
  // Recent counts tie; lifetime counts break the tie (the reference protocol's recent popularity).
  const recent = new PopularityRanker([e('u1', 'p', 9), e('u2', 'q', 10)], [e('u0', 'q', 1), e('u1', 'p', 9), e('u2', 'q', 10)]);
  assert.deepEqual(recent.rank(2), ['q', 'p']);
  const hr = i2iHitRate(
    [
      ['a', 'c'],
      ['c', 'd'],
    ],
    (i) => (i === 'a' ? ['a', 'c'] : ['x']),
    [1],
  );
  assert.equal(hr[1], 0.5, 'the query item itself is skipped');
  // Item cosine: u1 {a,b}, u2 {a,b}, u3 {a} -> sim(a,b) = 2 / sqrt(3*2)
  const sim = new CosineNeighbours([new Set(['a', 'b']), new Set(['a', 'b']), new Set(['a'])]);
  assert.ok(Math.abs(sim.similarity('a', 'b') - 2 / Math.sqrt(6)) < 1e-6);
  // U2U: neighbour v (sim 0.5) has {p, q}; w (sim 0.2) has {q}; target user test {q}: q scores 0.7 first.
  const seen: Record<string, Set<string>> = { v: new Set(['p', 'q']), w: new Set(['q']) };
  const r = u2uRecall({
    testItems: new Map([['u', new Set(['q'])]]),
    trainSeen: (x) => seen[x] ?? none,
    neighbours: () => [
      { id: 'v', score: 0.5 },
      { id: 'w', score: 0.2 },
    ],
    ks: [1],
  });
  assert.equal(r.recall[1], 1);
  const split = temporalSplit([e('u', 'a', 3), e('u', 'b', 1), e('u', 'c', 1), e('u', 'd', 2)], 0.5);
  assert.deepEqual(
    split.train.map((x) => x.itemId),
    ['b', 'c'],
    'stable sort by time',
  );
  const events = Array.from({ length: 10 }, (_, i) => e('u', `i${i}`, i));
  const validation = temporalSplit(events, 0.6, 0.8);
  assert.deepEqual(
    validation.test.map((x) => x.itemId),
    ['i6', 'i7'],
    'a validation split tests on F..E and never sees the rest',
  );
  assert.equal(validation.train.length, 6);
  assert.throws(() => temporalSplit(events, 0.8, 0.6), RangeError);
});

test('HoldoutSet keeps a bounded uniform sample of held-back events', () => {
  const h = new HoldoutSet(1, 3, 100);
  for (let i = 0; i < 10000; i++) h.add(ev(`u${i}`, `i${i}`, i));
  assert.equal(h.size, 10000);
  const r = h.evaluate({ k: 1, rank: () => [], trainSeen: () => none, isKnownItem: () => true, catalogueSize: 10 });
  assert.equal(r.events, 100, 'evaluation uses at most `capacity` events');
});

test('holdout fraction: an always-on (kafka) learner holds nothing back unless asked; finite runs hold back 5%', () => {
  assert.equal(holdoutFractionFor(undefined, 'kafka'), 0);
  assert.equal(holdoutFractionFor(undefined, 'file'), FINITE_RUN_HOLDOUT_FRACTION);
  assert.equal(holdoutFractionFor(undefined, 'synthetic'), FINITE_RUN_HOLDOUT_FRACTION);
  assert.equal(FINITE_RUN_HOLDOUT_FRACTION, 0.05);
  assert.equal(holdoutFractionFor(0.1, 'kafka'), 0.1, 'a configured fraction wins, kafka included');
  assert.equal(holdoutFractionFor(0, 'file'), 0);
  assert.equal(DEFAULT_CONFIG.holdoutFraction, undefined, 'the knob itself has no default: the source decides');
});
