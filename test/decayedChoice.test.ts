import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecayedChoice } from '../src/learner/decayedChoice.js';
import { Rng } from '../src/util/random.js';

const WEIGHTS = [0, 0.5, 1];

/** A seeded stream of checks: 0.5 (the initial) hits 30%; 1 the same events plus `edge` of 0.5's misses; 0 never more than 0.5. */
function checks(edge: number, seed: number): () => boolean[] {
  const rng = new Rng(seed);
  return () => {
    const base = rng.next() < 0.3;
    return [base && rng.next() < 0.9, base, base || rng.next() < edge];
  };
}

test('DecayedChoice: the initial until minChecks, then the argmax (ties: the candidate nearest the initial)', () => {
  const choice = new DecayedChoice(WEIGHTS, 0.5, 1000, 10);
  for (let i = 0; i < 9; i++) choice.record((c) => c === 1);
  assert.equal(choice.best(), 0.5, 'fewer checks than minChecks: the initial');
  choice.record((c) => c === 1);
  assert.equal(choice.best(), 1);
  const tie = new DecayedChoice(WEIGHTS, 0.5, 1000, 1);
  tie.record(() => true);
  assert.equal(tie.best(), 0.5, 'every candidate hit alike: the initial');
  assert.deepEqual(tie.hitRates(), [1, 1, 1]);
});

test('DecayedChoice with zScore: the initial stays unless the argmax wins over it significantly; the spread survives a checkpoint', () => {
  const small = checks(0.01, 2);
  const plain = new DecayedChoice(WEIGHTS, 0.5, 2000, 50);
  const guarded = new DecayedChoice(WEIGHTS, 0.5, 2000, 50, 2);
  for (let i = 0; i < 300; i++) {
    const hits = small();
    plain.record((_, c) => hits[c]!);
    guarded.record((_, c) => hits[c]!);
  }
  const extra = (plain.hitRates()[2]! - plain.hitRates()[1]!) * 300;
  assert.ok(extra > 0.5 && extra < 3, `the edge is a check or two (${extra.toFixed(2)} decayed checks)`);
  assert.equal(plain.best(), 1, 'without the guard the argmax follows it');
  assert.equal(guarded.best(), 0.5, 'a win of a check or two in 300 is not significant');

  const large = checks(0.4, 11);
  const strong = new DecayedChoice(WEIGHTS, 0.5, 2000, 50, 2);
  for (let i = 0; i < 300; i++) {
    const hits = large();
    strong.record((_, c) => hits[c]!);
  }
  assert.equal(strong.best(), 1, 'a large paired win moves it');

  const copy = new DecayedChoice(WEIGHTS, 0.5, 2000, 50, 2);
  assert.equal(copy.restore(strong.toData(17), 'test'), 17, 'the carried budget comes back');
  assert.equal(copy.best(), 1);
  assert.deepEqual(copy.hitRates(), strong.hitRates());
  // Saved without the spread (unguarded, or from before the guard): the counts start over.
  const unguarded = strong.toData(3);
  delete unguarded.squaredDiffs;
  delete unguarded.weightSquares;
  assert.equal(copy.restore(unguarded, 'test'), 3);
  assert.equal(copy.checks, 0);
  assert.equal(copy.best(), 0.5);
  // An unguarded choice restores guarded data (the spread is simply not used).
  const plainCopy = new DecayedChoice(WEIGHTS, 0.5, 2000, 50);
  plainCopy.restore(strong.toData(0), 'test');
  assert.equal(plainCopy.best(), 1);
  assert.throws(() => new DecayedChoice(WEIGHTS, 0.25, 2000, 50, 2), RangeError, 'a guarded initial must be a candidate');
  assert.throws(() => copy.restore({ ...strong.toData(0), hits: new Float64Array(2) }, 'test'), /2 candidates, expected 3/);
});
