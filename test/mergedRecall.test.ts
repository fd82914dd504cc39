import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import type { IndexSnapshot } from '../src/index/indexSnapshot.js';
import {
  fuseRankings,
  mergedOptionsFromConfig,
  fusedHits,
  fuseSources,
  mergedRecall,
  mergedWeightsFromData,
  type SourceChannel,
  MERGED_RECALL_DEFAULTS,
  validateMergedOptions,
  type MergedRecallOptions,
} from '../src/index/mergedRecall.js';
import { usersWithoutItems } from '../src/index/userNeighbours.js';
import { similarItems, type CooccurrenceNeighbours } from '../src/index/itemNeighbours.js';
import { RecallService } from '../src/serve/recallService.js';
import { MergedFusionProbe } from '../src/learner/mergedFusionProbe.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { Rng } from '../src/util/random.js';
import { loadConfig } from '../src/config/config.js';
import { ConfigError, UnknownIdError } from '../src/errors.js';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

test('fuseRankings: weighted reciprocal ranks, hand-computed', () => {
  const fused = fuseRankings(
    [
      { channel: 'u2i', weight: 1, ids: ['a', 'b'] },
      { channel: 'i2i', weight: 0.5, ids: ['b', 'c'] },
    ],
    10,
    60,
  );
  // a = 1/61, b = 1/62 + 0.5/61, c = 0.5/62
  assert.deepEqual(
    fused.map((n) => n.id),
    ['b', 'a', 'c'],
  );
  assert.ok(close(fused[0]!.score, 1 / 62 + 0.5 / 61));
  assert.ok(close(fused[1]!.score, 1 / 61));
  assert.ok(close(fused[2]!.score, 0.5 / 62));
  assert.deepEqual(fused[0]!.channels, ['u2i', 'i2i']);
  assert.deepEqual(fused[2]!.channels, ['i2i']);
});

test('fuseRankings: ties keep list order, weight 0 lists are ignored, k cuts and may exceed the union', () => {
  const a = { channel: 'u2i' as const, weight: 1, ids: ['a'] };
  const b = { channel: 'u2u' as const, weight: 1, ids: ['b'] };
  assert.deepEqual(
    fuseRankings([a, b], 5, 60).map((n) => n.id),
    ['a', 'b'],
  );
  assert.deepEqual(
    fuseRankings([b, a], 5, 60).map((n) => n.id),
    ['b', 'a'],
  );
  assert.deepEqual(
    fuseRankings([a, { ...b, weight: 0 }], 5, 60).map((n) => n.id),
    ['a'],
  );
  assert.deepEqual(
    fuseRankings([{ ...a, ids: ['x', 'y', 'z'] }], 2, 0).map((n) => n.id),
    ['x', 'y'],
  );
  assert.deepEqual(fuseRankings([], 3, 60), []);
  assert.throws(() => fuseRankings([a], 3, -1), RangeError);
});

/** Unit vectors at the given angles (degrees). */
function index(entries: [string, number][]): BruteForceIndex {
  const ix = new BruteForceIndex(2, 8);
  const rad = (d: number) => (d * Math.PI) / 180;
  ix.add(
    entries.map((e) => e[0]),
    Float32Array.from(entries.flatMap(([, d]) => [Math.cos(rad(d)), Math.sin(rad(d))])),
  );
  return ix;
}

// Items on a circle; users near some of them. Seen sets are in first-interaction order (newest last).
const items = index([
  ['i1', 0],
  ['i2', 10],
  ['i3', 20],
  ['i4', 90],
  ['i5', 105],
  ['i6', 180],
]);
const users = index([
  ['u1', 5],
  ['u2', 8],
  ['u3', 97],
  ['u4', 170],
]);
const snapshot: IndexSnapshot = { version: 1, createdAt: 1, trainedEvents: 0, users, items };
const seenBy: Record<string, string[]> = { u1: ['i4', 'i1'], u2: ['i2', 'i3'], u4: ['i6', 'i5'] };
const seenItems = (u: string): ReadonlySet<string> => new Set(seenBy[u] ?? []);
const input = { snapshot, seenItems, usersWithoutItems: usersWithoutItems(snapshot.users, seenItems) };
const opts = (o: Partial<MergedRecallOptions>): MergedRecallOptions => ({ ...MERGED_RECALL_DEFAULTS, rrfK: 0, depth: 10, ...o });

test('usersWithoutItems: the indexed users with nothing seen', () => {
  assert.deepEqual([...input.usersWithoutItems], ['u3']);
});

test("mergedRecall: a returning user gets U2I, the neighbours' items and the triggers' neighbours, seen items never", () => {
  const r = mergedRecall(
    input,
    'u1',
    10,
    opts({ weights: { u2i: 1, u2u: 1, i2i: 1, generic: 0 }, neighbourUsers: 1, triggerItems: 1, neighbourItems: 2 }),
  )!;
  // U2I [i2, i3, i5, i6]; U2U: nearest user u2 -> [i2, i3] (tie by id); I2I: trigger i1 (the newest) -> [i2, i3].
  assert.deepEqual(
    r.map((n) => n.id),
    ['i2', 'i3', 'i5', 'i6'],
  );
  assert.ok(close(r[0]!.score, 3) && close(r[1]!.score, 1.5) && close(r[2]!.score, 1 / 3) && close(r[3]!.score, 1 / 4));
  assert.deepEqual(r[0]!.channels, ['u2i', 'u2u', 'i2i']);
  assert.deepEqual(r[2]!.channels, ['u2i']);
});

test('mergedRecall: I2I sums over the latest triggers', () => {
  // Triggers i4 and i1: i4 -> i5 (cos 15°), i3 (cos 70°); i1 -> i2 (cos 10°), i3 (cos 20°). i3 sums to 1.282, then i2 0.985, i5 0.966.
  const r = mergedRecall(input, 'u1', 10, opts({ weights: { u2i: 0, u2u: 0, i2i: 1, generic: 0 }, triggerItems: 2, neighbourItems: 2 }))!;
  assert.deepEqual(
    r.map((n) => n.id),
    ['i3', 'i2', 'i5'],
  );
  assert.ok(r.every((n) => n.channels.length === 1 && n.channels[0] === 'i2i'));
});

test("mergedRecall: the I2I channel's triggers read the item-to-item sources only, not the I2I answers' generic term", () => {
  const table = new Map([
    ['i1', [{ id: 'i3', score: 1 }]],
    ['i4', [{ id: 'i5', score: 1 }]],
  ]);
  const co = (genericWeight: number): CooccurrenceNeighbours => ({
    weight: 0.5,
    genericWeight,
    neighbours: (id, exclude) => table.get(id)?.filter((n) => !exclude?.has(n.id)) ?? null,
    items: () => table.keys(),
  });
  const generic = { kind: 'trending', items: ['i6'] };
  const at = (genericWeight: number) => {
    const snap: IndexSnapshot = { ...snapshot, cooccurrence: co(genericWeight), generic };
    return { snap, input: { ...input, snapshot: snap } };
  };
  const i2iOnly = opts({ weights: { u2i: 0, u2u: 0, i2i: 1, generic: 0 }, triggerItems: 2, neighbourItems: 2 });
  const { snap, input: withGeneric } = at(4);
  // The I2I answer itself takes the generic list at that weight ...
  assert.equal(similarItems(snap, 'i1', 2, new Set(['i1']))![0]!.id, 'i6');
  // ... merged recall's I2I channel does not: it fuses the generic list once, at its own weight.
  const merged = mergedRecall(withGeneric, 'u1', 10, i2iOnly)!;
  assert.deepEqual(merged, mergedRecall(at(0).input, 'u1', 10, i2iOnly));
  assert.ok(!merged.some((n) => n.id === 'i6'));
});

test('mergedRecall: a cold user has no triggers, and its U2U neighbours are users with items', () => {
  // u3 at 97°: U2I [i4, i5, i3, i6, i2, i1]; the nearest user with items is u4 (u3 itself has none) -> [i5, i6] (tie by id).
  const r = mergedRecall(input, 'u3', 3, opts({ weights: { u2i: 1, u2u: 1, i2i: 1, generic: 0 }, neighbourUsers: 1 }))!;
  assert.deepEqual(
    r.map((n) => n.id),
    ['i5', 'i4', 'i6'],
  );
  assert.ok(close(r[0]!.score, 1.5) && close(r[1]!.score, 1) && close(r[2]!.score, 0.75));
  assert.deepEqual(r[2]!.channels, ['u2i', 'u2u']);
  // U2I alone reproduces the channel's own ranking.
  const only = mergedRecall(input, 'u3', 6, opts({ weights: { u2i: 1, u2u: 0, i2i: 0, generic: 0 } }))!;
  assert.deepEqual(
    only.map((n) => n.id),
    snapshot.items.query(users.vector('u3')!, 6).map((n) => n.id),
  );
  assert.equal(mergedRecall(input, 'nobody', 3), null);
});

test('RecallService serves merged; unknown users are UnknownIdError', () => {
  const service = new RecallService(
    { snapshot, seenItems },
    opts({ weights: { u2i: 1, u2u: 1, i2i: 1, generic: 0 }, neighbourUsers: 1, triggerItems: 1, neighbourItems: 2 }),
  );
  const r = service.recall('merged', 'u1', 2);
  assert.equal(r.channel, 'merged');
  assert.deepEqual(
    r.results.map((n) => n.id),
    ['i2', 'i3'],
  );
  assert.throws(() => service.recall('merged', 'nobody', 2), UnknownIdError);
});

test('merged options: validated, and from the config (all-zero weights are a config error)', () => {
  assert.throws(
    () => validateMergedOptions({ ...MERGED_RECALL_DEFAULTS, weights: { u2i: 0, u2u: 0, i2i: 0, generic: 0 } }),
    /at least one/,
  );
  assert.throws(
    () => validateMergedOptions({ ...MERGED_RECALL_DEFAULTS, weights: { u2i: -1, u2u: 0, i2i: 1, generic: 0 } }),
    /weight of u2i/,
  );
  assert.throws(() => validateMergedOptions({ ...MERGED_RECALL_DEFAULTS, triggerItems: 1.5 }), /triggerItems/);
  const { config } = loadConfig({ argv: ['--merged-u2u-weight', '0.3', '--merged-trigger-items', '3'], env: {} });
  const o = mergedOptionsFromConfig(config);
  assert.deepEqual(o.weights, { u2i: 1, u2u: 0.3, i2i: 0.1, generic: 0 });
  assert.equal(o.triggerItems, 3);
  assert.throws(() => loadConfig({ argv: ['--merged-u2i-weight', '0', '--merged-i2i-weight', '0'], env: {} }), ConfigError);
});

test("mergedRecall: the generic list is a channel (seen items left out), and a snapshot's weights for the user's segment override the configured ones", () => {
  const withGeneric: IndexSnapshot = { ...snapshot, generic: { kind: 'trending', items: ['i1', 'i6', 'i4', 'i2'] } };
  const generic = { ...input, snapshot: withGeneric };
  // u1 has seen i4 and i1: the generic channel gives i6, i2.
  const genericOnly = opts({ weights: { u2i: 0, u2u: 0, i2i: 0, generic: 1 } });
  const only = mergedRecall(generic, 'u1', 5, genericOnly)!;
  assert.deepEqual(
    only.map((n) => n.id),
    ['i6', 'i2'],
  );
  // A snapshot with a returning users' list: u1 (trained items) gets it; a user with a vector but no items gets the first-time list.
  const twoLists: IndexSnapshot = {
    ...snapshot,
    generic: { ...withGeneric.generic!, returning: { kind: 'trending-short', items: ['i3', 'i1', 'i6'] } },
  };
  const both = { ...input, snapshot: twoLists };
  assert.deepEqual(
    mergedRecall(both, 'u1', 5, genericOnly)!.map((n) => n.id),
    ['i3', 'i6'],
  );
  assert.deepEqual(
    mergedRecall(both, 'u3', 5, genericOnly)!.map((n) => n.id),
    ['i1', 'i6', 'i4', 'i2'],
  );
  // u1 has 2 seen items (segment short): the snapshot's short weights (generic only) win over the configured U2I-only ones.
  const u2iOnly = opts({ weights: { u2i: 1, u2u: 0, i2i: 0, generic: 0 } });
  const weights = (generic: number) => ({ u2i: generic > 0 ? 0 : 1, u2u: 0, i2i: 0, generic });
  const chosen: IndexSnapshot = {
    ...withGeneric,
    mergedWeights: { new: weights(0), short: weights(1), medium: weights(0), long: weights(0) },
  };
  assert.deepEqual(
    mergedRecall({ ...input, snapshot: chosen }, 'u1', 5, u2iOnly)!.map((n) => n.id),
    ['i6', 'i2'],
  );
  assert.deepEqual(
    mergedRecall({ ...input, snapshot: withGeneric }, 'u1', 2, u2iOnly)!.map((n) => n.id),
    ['i2', 'i3'],
  );
  assert.deepEqual(mergedWeightsFromData(JSON.parse(JSON.stringify(chosen.mergedWeights))), chosen.mergedWeights);
  assert.throws(() => mergedWeightsFromData({ new: weights(0) }), /segment short/);
  assert.throws(() => mergedWeightsFromData({ ...chosen.mergedWeights, long: { ...weights(0), i2i: -1 } }), /long\.i2i/);
});

test("MergedFusionProbe: returning users' next items test each I2I / generic weight pair before they are learned; each segment serves its best", () => {
  // Every returning user's next item is the trending i6, which U2I (near their own items) never ranks in the top 2.
  const trending: IndexSnapshot = { ...snapshot, generic: { kind: 'trending', items: ['i6', 'i5'] } };
  const seen = new Map<string, Set<string>>([
    ['u1', new Set(['i4', 'i1'])],
    ['u2', new Set(['i2', 'i3'])],
  ]);
  const merged = opts({ weights: { u2i: 1, u2u: 0, i2i: 0.1, generic: 0 }, triggerItems: 1, neighbourItems: 2 });
  const probe = new MergedFusionProbe({ mode: 'auto', merged, gapMs: 10, eventsPerCheck: 1, checkK: 2, minChecks: 6 }, () => ({
    snapshot: trending,
    seenItems: (u) => seen.get(u) ?? new Set(),
  }));
  const before = probe.weights()!;
  assert.deepEqual(before.short, merged.weights, 'the configured weights until the evidence is in');
  const events: InteractionEvent[] = [];
  for (let t = 0; t < 10; t++) events.push({ userId: t % 2 ? 'u1' : 'u2', itemId: 'i6', timestamp: 100 * t });
  for (const e of events) probe.test([e]);
  const stats = probe.stats();
  assert.equal(stats.short.checks, 10);
  assert.ok(stats.short.generic > 0, JSON.stringify(stats.short));
  assert.ok(stats.short.hitRate > stats.short.configuredHitRate);
  assert.equal(probe.weights()!.short.generic, stats.short.generic);
  assert.equal(probe.weights()!.short.u2i, 1, 'U2I keeps its configured weight');
  // Events within the gap are not checks.
  probe.test([{ userId: 'u1', itemId: 'i6', timestamp: 905 }]);
  assert.equal(probe.stats().short.checks, 10);
  const copy = new MergedFusionProbe({ mode: 'auto', merged, gapMs: 10, minChecks: 6 }, () => null);
  copy.restore(JSON.parse(JSON.stringify(probe.toData(), (_, v) => (v instanceof Float64Array ? [...v] : v))));
  assert.deepEqual(copy.stats(), probe.stats());
  // A checkpoint from before the candidates were recorded (generic weights up to 4: 7 per I2I weight)
  // restores by pair; the evidence of the dropped generic weight 4 goes.
  const legacy = JSON.parse(JSON.stringify(probe.toData(), (_, v) => (v instanceof Float64Array ? [...v] : v)));
  delete legacy.candidates;
  const widen = (xs: number[]) => xs.flatMap((x, i) => (i % 6 === 5 ? [x, 99] : [x]));
  for (const ev of [...legacy.segments, legacy.pooled]) {
    ev.hits = widen(ev.hits);
    if (ev.squaredDiffs) ev.squaredDiffs = widen(ev.squaredDiffs);
  }
  assert.equal(legacy.pooled.hits.length, 35);
  const fromLegacy = new MergedFusionProbe({ mode: 'auto', merged, gapMs: 10, minChecks: 6 }, () => null);
  fromLegacy.restore(legacy);
  assert.deepEqual(fromLegacy.stats(), probe.stats());
  assert.equal(new MergedFusionProbe({ mode: 'fixed', merged, gapMs: 10 }, () => null).weights(), null);
});

test('fusedHits answers exactly as fusing then looking, ties included, for many random lists and weights', () => {
  const rng = new Rng(13);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)]!;
  for (let trial = 0; trial < 300; trial++) {
    // Few items and equal ranks across lists make ties common.
    const pool = Array.from({ length: 12 }, (_, i) => `i${i}`);
    const sources = new Map<SourceChannel, string[]>();
    for (const c of ['u2i', 'u2u', 'i2i', 'generic'] as const) {
      if (rng.next() < 0.25) continue;
      const ids = [...pool].sort(() => rng.next() - 0.5).slice(0, 1 + Math.floor(rng.next() * 8));
      sources.set(c, ids);
    }
    const weights = Array.from({ length: 6 }, () => ({
      u2i: pick([0, 1]),
      u2u: pick([0, 0.5]),
      i2i: pick([0, 0.1, 1]),
      generic: pick([0, 0.25, 1, 4]),
    }));
    const k = 1 + Math.floor(rng.next() * 5);
    const rrfK = pick([0, 60]);
    const target = pick(pool);
    const expected = weights.map((w) => fuseSources(sources, w, k, rrfK).some((n) => n.id === target));
    assert.deepEqual(fusedHits(sources, target, k, rrfK, weights), expected, `trial ${trial}`);
  }
});
