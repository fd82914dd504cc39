import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offlineRecall } from '../src/eval/offlineRecall.js';
import { HoldoutSet } from '../src/eval/holdout.js';
import { PrequentialEvaluator } from '../src/eval/prequential.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';

const none = new Set<string>();

test('offlineRecall on a hand-computed case: seen items excluded, users without test items skipped', () => {
  // Catalogue a..e. u1 trained on a; test items {a, b, c}: a is train-seen, so targets {b, c}.
  // Ranking [b, d] at K=2 -> 1 hit of 2 -> 0.5. u2 test {e}, ranking [e, a] -> 1. u3 only a seen test item -> skipped.
  const seen: Record<string, Set<string>> = { u1: new Set(['a']), u3: new Set(['a']) };
  const r = offlineRecall({
    testItems: new Map([
      ['u1', new Set(['a', 'b', 'c'])],
      ['u2', new Set(['e'])],
      ['u3', new Set(['a'])],
    ]),
    trainSeen: (u) => seen[u] ?? none,
    catalogueSize: 5,
    k: 2,
    rank: (u) => (u === 'u1' ? ['b', 'd'] : ['e', 'a']),
  });
  assert.equal(r.users, 2);
  assert.ok(Math.abs(r.recall - 0.75) < 1e-12);
  // random: u1 K/(5-1) = 0.5, u2 K/5 = 0.4 -> 0.45
  assert.ok(Math.abs(r.randomRecall - 0.45) < 1e-12);
  // K larger than the catalogue: random recall caps at 1.
  const big = offlineRecall({ testItems: new Map([['u2', new Set(['e'])]]), trainSeen: () => none, catalogueSize: 5, k: 50, rank: () => ['a', 'b', 'c', 'd', 'e'] });
  assert.equal(big.recall, 1);
  assert.equal(big.randomRecall, 1);
  // A model that cannot rank a user scores 0 for that user (it still counts).
  const cold = offlineRecall({ testItems: new Map([['u9', new Set(['e'])]]), trainSeen: () => none, catalogueSize: 5, k: 2, rank: () => null });
  assert.equal(cold.users, 1);
  assert.equal(cold.recall, 0);
});

const ev = (userId: string, itemId: string, timestamp: number): InteractionEvent => ({ userId, itemId, timestamp });

test('HoldoutSet: deterministic selection near the fraction, hits counted against random', () => {
  const h = new HoldoutSet(0.2, 1);
  const all = Array.from({ length: 5000 }, (_, i) => ev(`u${i % 50}`, `i${i}`, i));
  const chosen = all.filter((e) => h.selects(e));
  assert.ok(chosen.length > 900 && chosen.length < 1100, `${chosen.length}`);
  assert.deepEqual(chosen, all.filter((e) => new HoldoutSet(0.2, 1).selects(e)));
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
  assert.deepEqual(p.windows.map((w) => [w.endEvent, w.trials, w.hitRate]), [[2, 2, 0.5], [3, 1, 0]]);
});
