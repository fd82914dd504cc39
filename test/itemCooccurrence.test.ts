import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemCooccurrence } from '../src/learner/itemCooccurrence.js';
import { I2IFusionProbe, I2I_FUSION_WEIGHTS, I2I_GENERIC_WEIGHTS } from '../src/learner/i2iFusionProbe.js';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import {
  cooccurrenceFromData,
  cooccurrenceToData,
  genericTerm,
  I2I_FUSION_DEPTH,
  similarItems,
  type CooccurrenceNeighbours,
} from '../src/index/itemNeighbours.js';
import { fuseNeighbours } from '../src/index/neighbourFusion.js';
import { encodeState, decodeState } from '../src/checkpoint/stateCodec.js';
import { Rng } from '../src/util/random.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';

const ev = (userId: string, itemId: string, timestamp = 0): InteractionEvent => ({ userId, itemId, timestamp });

test('co-occurrence: pairs within the window, both ways, cosine-normalised by the items degrees (worked numbers)', () => {
  const c = new ItemCooccurrence({ window: 2, keep: 10 });
  // u: a b c (c pairs with a and b); v: a b; w: c c (a repeat is no pair).
  c.learn([ev('u', 'a'), ev('u', 'b'), ev('u', 'c'), ev('v', 'a'), ev('v', 'b'), ev('w', 'c'), ev('w', 'c')]);
  // deg a 2, b 2, c 3; co(a,b) 2, co(a,c) 1, co(b,c) 1.
  const a = c.neighbours('a', 10)!;
  assert.deepEqual(
    a.map((n) => n.id),
    ['b', 'c'],
  );
  assert.ok(Math.abs(a[0]!.score - 2 / Math.sqrt(2 * 2)) < 1e-12);
  assert.ok(Math.abs(a[1]!.score - 1 / Math.sqrt(2 * 3)) < 1e-12);
  // The window is 2: in u's sequence a b c d, d pairs with b and c but not a.
  c.learn([ev('u', 'd')]);
  assert.deepEqual(
    c
      .neighbours('d', 10)!
      .map((n) => n.id)
      .sort(),
    ['b', 'c'],
  );
  assert.equal(c.neighbours('nothing', 10), null);
  assert.equal(c.lastItem('u'), 'd');
  c.forgetItem('b');
  assert.ok(!c.neighbours('a', 10)!.some((n) => n.id === 'b'), 'a forgotten item is not answered');
});

test('co-occurrence rows stay bounded and keep the pairs that recur', () => {
  const c = new ItemCooccurrence({ window: 1, keep: 5 });
  const rng = new Rng(5);
  // 'hub' is followed by 'friend' every 10th time and by a fresh one-off item otherwise.
  let t = 0;
  for (let i = 0; i < 2000; i++) c.learn([ev(`u${i}`, 'hub', t++), ev(`u${i}`, i % 10 === 0 ? 'friend' : `once${i}-${rng.next()}`, t++)]);
  const row = c.neighbours('hub', 100)!;
  assert.ok(row.length < 10, `bounded: ${row.length} kept`);
  assert.ok(
    row.some((n) => n.id === 'friend'),
    'the recurring pair survives',
  );
  assert.ok(c.pairCount < 2 * 2000, `pairs ${c.pairCount}`);
});

test('co-occurrence state round-trips through the checkpoint codec and continues exactly', () => {
  const make = () => new ItemCooccurrence({ window: 3, keep: 4 });
  const rng = new Rng(9);
  const stream = Array.from({ length: 3000 }, (_, i) =>
    ev(`u${Math.floor(rng.next() * 40)}`, `i${Math.floor(rng.next() * rng.next() * 60)}`, i),
  );
  const original = make();
  original.learn(stream.slice(0, 1500));
  const restored = ItemCooccurrence.fromData(decodeState(encodeState(original.toData())) as ReturnType<ItemCooccurrence['toData']>);
  original.learn(stream.slice(1500));
  restored.learn(stream.slice(1500));
  for (let i = 0; i < 60; i++) assert.deepEqual(restored.neighbours(`i${i}`, 10), original.neighbours(`i${i}`, 10), `i${i}`);
  assert.throws(() => new ItemCooccurrence({ keep: 0 }), RangeError);
});

test('I2I fusion: weighted reciprocal rank; 0 and 1 rank one source first and fill from the other; agreement wins in between', () => {
  const towers = ['a', 'b', 'c'].map((id, r) => ({ id, score: 1 - r / 10 }));
  const co = ['c', 'd'].map((id, r) => ({ id, score: 1 - r / 10 }));
  assert.deepEqual(
    fuseNeighbours(towers, co, 0, 5).map((n) => n.id),
    ['a', 'b', 'c', 'd'],
  );
  assert.deepEqual(
    fuseNeighbours(towers, co, 1, 5).map((n) => n.id),
    ['c', 'd', 'a', 'b'],
  );
  // w = 0.5: c (towers rank 2, co rank 0) = 0.5/12 + 0.5/10 beats a (0.5/10 only).
  const half = fuseNeighbours(towers, co, 0.5, 2);
  assert.deepEqual(
    half.map((n) => n.id),
    ['c', 'a'],
  );
  assert.ok(Math.abs(half[0]!.score - (0.5 / 12 + 0.5 / 10)) < 1e-12);
  assert.throws(() => fuseNeighbours(towers, co, 1.5, 2), RangeError);
});

test('I2I fusion: the generic term adds g / (offset + rank) on top; 0 adds nothing; above 1 its first places outrank both sources', () => {
  const towers = ['a', 'b'].map((id, r) => ({ id, score: 1 - r / 10 }));
  const co = ['b', 'c'].map((id, r) => ({ id, score: 1 - r / 10 }));
  const plain = fuseNeighbours(towers, co, 0.5, 5);
  assert.deepEqual(fuseNeighbours(towers, co, 0.5, 5, { ids: ['p', 'a'], weight: 0 }), plain);
  // g = 0.25: a = 0.5/10 + 0.25/11 stays under b = 0.5/11 + 0.5/10; p (0.25/10) comes after c (0.5/11).
  const low = fuseNeighbours(towers, co, 0.5, 5, { ids: ['p', 'a'], weight: 0.25 });
  assert.deepEqual(
    low.map((n) => n.id),
    ['b', 'a', 'c', 'p'],
  );
  assert.ok(Math.abs(low[1]!.score - (0.5 / 10 + 0.25 / 11)) < 1e-12);
  // g = 2: p = 2/10 beats b (0.5/11 + 0.5/10 = 0.0955) and a = 0.5/10 + 2/11.
  assert.deepEqual(
    fuseNeighbours(towers, co, 0.5, 5, { ids: ['p', 'a'], weight: 2 }).map((n) => n.id),
    ['a', 'p', 'b', 'c'],
  );
  assert.throws(() => fuseNeighbours(towers, co, 0.5, 2, { ids: [], weight: -1 }), RangeError);
  assert.throws(() => fuseNeighbours(towers, co, 0.5, 2, { ids: [], weight: Infinity }), RangeError);
});

test('similarItems: the index alone without a source; fused with one; co-occurrence answers an item without a vector; a published copy the same', () => {
  const items = new BruteForceIndex(2);
  items.add(['x', 'y', 'z'], Float32Array.from([1, 0, 0.8, 0.6, 0, 1]));
  const table = new ItemCooccurrence({ window: 5, keep: 10 });
  table.learn([ev('u', 'x'), ev('u', 'z'), ev('u', 'new'), ev('v', 'x'), ev('v', 'z')]);
  const live: CooccurrenceNeighbours = {
    weight: 1,
    neighbours: (id, exclude) => table.neighbours(id, I2I_FUSION_DEPTH)?.filter((n) => !exclude?.has(n.id)) ?? null,
    items: () => table.items(),
  };
  assert.deepEqual(
    similarItems({ items }, 'x', 2, new Set(['x']))!.map((n) => n.id),
    ['y', 'z'],
  );
  assert.deepEqual(
    similarItems({ items, cooccurrence: live }, 'x', 2, new Set(['x']))!.map((n) => n.id),
    ['z', 'new'],
  );
  assert.deepEqual(
    similarItems({ items, cooccurrence: live }, 'new', 3, new Set(['new']))!.map((n) => n.id),
    ['x', 'z'],
  );
  assert.equal(similarItems({ items, cooccurrence: live }, 'unknown', 3, new Set(['unknown'])), null);
  const published = cooccurrenceFromData(JSON.parse(JSON.stringify(cooccurrenceToData(live))));
  for (const id of ['x', 'y', 'z', 'new'])
    assert.deepEqual(
      similarItems({ items, cooccurrence: published }, id, 3, new Set([id])),
      similarItems({ items, cooccurrence: live }, id, 3, new Set([id])),
    );
  assert.throws(() => cooccurrenceFromData({ weight: 2, lists: [] }), /weight/);
  assert.throws(() => cooccurrenceFromData({ weight: 0.5, genericWeight: -1, lists: [] }), /genericWeight/);
  assert.equal(cooccurrenceFromData({ weight: 0.5, lists: [] }).genericWeight, 0, 'older versions: no generic term');
});

test('similarItems: the generic term only at a weight above 0, never the query item, and a published copy keeps its weight', () => {
  const items = new BruteForceIndex(2);
  items.add(['x', 'y', 'z'], Float32Array.from([1, 0, 0.8, 0.6, 0, 1]));
  const table = new Map([['x', [{ id: 'z', score: 1 }]]]);
  const generic = { kind: 'trending', items: ['x', 'hot', 'y'] };
  const at = (genericWeight: number): CooccurrenceNeighbours => ({
    weight: 0.5,
    genericWeight,
    neighbours: (id, exclude) => table.get(id)?.filter((n) => !exclude?.has(n.id)) ?? null,
    items: () => table.keys(),
  });
  const ids = (co: CooccurrenceNeighbours, k = 3) =>
    similarItems({ items, cooccurrence: co, generic }, 'x', k, new Set(['x']))!.map((n) => n.id);
  // At 0.5: z (towers rank 1, co-occurrence rank 0) before y (towers rank 0).
  assert.deepEqual(ids(at(0)), ['z', 'y']);
  // g = 4: y (0.5/10 + 4/11) before hot (4/10, generic rank 0 once x is left out) before z.
  assert.deepEqual(ids(at(4)), ['y', 'hot', 'z'], 'the query item x, first in the generic list, is never answered');
  assert.deepEqual(
    similarItems({ items, cooccurrence: at(4) }, 'x', 3, new Set(['x']))!.map((n) => n.id),
    ['z', 'y'],
    'no generic list in the snapshot: no generic term',
  );
  assert.deepEqual(
    similarItems(
      { items, cooccurrence: at(4), generic: { ...generic, returning: { kind: 'popular', items: [] } } },
      'x',
      3,
      new Set(['x']),
    )!.map((n) => n.id),
    ['z', 'y'],
    "the term reads the returning users' list where the snapshot has one (here empty: no term)",
  );
  assert.equal(
    similarItems({ items, cooccurrence: at(4), generic }, 'unknown', 3, new Set(['unknown'])),
    null,
    'the generic list alone answers no item',
  );
  const published = cooccurrenceFromData(JSON.parse(JSON.stringify(cooccurrenceToData(at(4)))));
  assert.equal(published.genericWeight, 4);
  assert.deepEqual(ids(published), ids(at(4)));
  assert.deepEqual(genericTerm(['a', 'b', 'c'], 1, new Set(['b'])), { ids: ['a', 'c'], weight: 1 });
  assert.equal(genericTerm(['a'], 0, new Set()), null);
  assert.equal(
    genericTerm(
      Array.from({ length: 2 * I2I_FUSION_DEPTH }, (_, i) => `g${i}`),
      1,
      new Set(),
    )!.ids.length,
    I2I_FUSION_DEPTH,
  );
  assert.throws(() => cooccurrenceFromData({ weight: 0.5, lists: [['a', [['b', 'x']]]] }), /finite score/);
});

test('I2IFusionProbe: the next item after the previous one tests each weight before it is learned; the better weight is served', () => {
  // Towers know nothing useful (x's nearest is y); co-occurrence knows x is followed by z.
  const items = new BruteForceIndex(2);
  items.add(['x', 'y', 'z'], Float32Array.from([1, 0, 0.9, Math.sqrt(1 - 0.81), 0, 1]));
  const table = new ItemCooccurrence({ window: 1, keep: 10 });
  const neighbours = (id: string, exclude?: ReadonlySet<string>) =>
    table.neighbours(id, I2I_FUSION_DEPTH)?.filter((n) => !exclude?.has(n.id)) ?? null;
  const probe = new I2IFusionProbe({ mode: 'auto', eventsPerCheck: 1, checkK: 1, minChecks: 10 }, () => ({
    items,
    cooccurrence: { neighbours },
    lastItem: (u) => table.lastItem(u),
    generic: null,
  }));
  assert.equal(probe.weight, 0.5, 'the initial weight until the evidence is in');
  for (let step = 0; step < 20; step++) {
    const batch = [ev(`u${step}`, 'x', step), ev(`u${step}`, 'z', step + 0.5)];
    probe.test(batch);
    table.learn(batch);
  }
  const stats = probe.stats();
  assert.ok(stats.checks >= 10, JSON.stringify(stats));
  assert.equal(stats.hitRates[0], 0, 'towers alone never hit (z is not x nearest)');
  // Any co-occurrence weight puts z first (co-occurrence rank 0 plus a towers rank beats towers rank 0 alone): a tie, which keeps the initial weight.
  for (let c = 1; c < stats.hitRates.length; c++) assert.ok(stats.hitRates[c]! > 0.9, JSON.stringify(stats));
  assert.equal(probe.weight, 0.5);
  const towersOnly = new I2IFusionProbe({ mode: 'auto', eventsPerCheck: 1, checkK: 1, minChecks: 10, initial: 0 }, () => ({
    items,
    cooccurrence: { neighbours },
    lastItem: (u) => table.lastItem(u),
    generic: null,
  }));
  for (let step = 0; step < 20; step++) towersOnly.test([ev(`v${step}`, 'x', 100 + step), ev(`v${step}`, 'z', 100.5 + step)]);
  assert.equal(towersOnly.weight, 0.25, 'from initial 0 the evidence moves to the nearest weight that hits');
  const copy = new I2IFusionProbe({ mode: 'auto' }, () => null);
  copy.restore(probe.toData());
  assert.deepEqual(copy.stats(), stats);
  assert.equal(new I2IFusionProbe({ mode: 'off' }, () => null).weight, null);
  assert.equal(new I2IFusionProbe({ mode: 0.25 }, () => null).weight, 0.25);
  assert.throws(() => new I2IFusionProbe({ mode: 2 }, () => null), RangeError);
  assert.equal(I2I_FUSION_WEIGHTS.length, stats.hitRates.length);
});

test('I2IFusionProbe: the generic weight rises where the next item is a popular one whatever came before, and stays 0 where it is not', () => {
  // x's towers neighbours are y, z, w1, w2 in that order, its co-occurrence neighbour is z; every next item is 'hot',
  // which neither source holds.
  const unit = (cos: number) => [cos, Math.sqrt(1 - cos * cos)];
  const items = new BruteForceIndex(2);
  items.add(['x', 'y', 'z', 'w1', 'w2'], Float32Array.from([1, 0, ...unit(0.9), ...unit(0.8), ...unit(0.7), ...unit(0.6)]));
  const table = new Map([['x', [{ id: 'z', score: 1 }]]]);
  const inputs = (generic: string[]) => () => ({
    items,
    cooccurrence: { neighbours: (id: string, exclude?: ReadonlySet<string>) => table.get(id)?.filter((n) => !exclude?.has(n.id)) ?? null },
    lastItem: () => 'x',
    generic,
  });
  // checkK 3 at co-occurrence weight 0.5: z (0.5/11 + 0.5/10), y (0.5/10) and w1 (0.5/12) fill the top three unless hot's
  // g/10 outranks w1 (g = 0.5, not 0.25).
  const hot = new I2IFusionProbe({ mode: 'auto', eventsPerCheck: 1, checkK: 3, minChecks: 10 }, inputs(['hot', 'cold']));
  assert.equal(hot.genericWeight, 0, 'none until the evidence is in');
  for (let step = 0; step < 20; step++) hot.test([ev(`u${step}`, 'hot', step)]);
  const stats = hot.genericStats();
  assert.deepEqual(stats.candidates, I2I_GENERIC_WEIGHTS);
  assert.equal(stats.hitRates[0], 0);
  assert.ok(hot.genericWeight! > 0, JSON.stringify(stats));
  assert.equal(
    hot.genericWeight,
    I2I_GENERIC_WEIGHTS.find((g, c) => stats.hitRates[c]! > 0.9),
    'the smallest weight that hits (ties: nearest 0)',
  );
  assert.deepEqual(
    stats.hitRates.map((r) => r > 0.9),
    [false, false, true],
  );
  // The same stream with z next: the generic list never helps, and the weight stays 0.
  const cold = new I2IFusionProbe({ mode: 'auto', eventsPerCheck: 1, checkK: 2, minChecks: 10 }, inputs(['hot', 'cold']));
  for (let step = 0; step < 20; step++) cold.test([ev(`u${step}`, 'z', step)]);
  assert.equal(cold.genericWeight, 0);
  const copy = new I2IFusionProbe({ mode: 'auto', minChecks: 10 }, () => null);
  copy.restore(decodeState(encodeState(hot.toData())) as ReturnType<I2IFusionProbe['toData']>);
  assert.deepEqual(copy.genericStats(), stats);
  assert.equal(copy.genericWeight, hot.genericWeight);
  const older = new I2IFusionProbe({ mode: 'auto', minChecks: 10 }, () => null);
  const { generic: _dropped, ...before } = hot.toData();
  older.restore(before);
  assert.equal(older.genericWeight, 0, 'an older checkpoint without generic evidence starts at none');
  assert.equal(new I2IFusionProbe({ mode: 0.25 }, () => null).genericWeight, 0, 'a fixed co-occurrence weight serves no generic term');
  assert.equal(new I2IFusionProbe({ mode: 'off' }, () => null).genericWeight, null);
});
