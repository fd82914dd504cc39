import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntityState } from '../src/learner/entityState.js';
import { GenericListSelector } from '../src/learner/genericLists.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import type { IndexSnapshot } from '../src/index/indexSnapshot.js';
import { RecallService } from '../src/serve/recallService.js';
import { RecallServer } from '../src/serve/recallServer.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
import { Metrics } from '../src/metrics/metrics.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { useTestBackend } from './helpers/backend.js';

await useTestBackend();

const ev = (userId: string, itemId: string, timestamp: number): InteractionEvent => ({ userId, itemId, timestamp });
const OPTIONS = { historyLength: 5, logQHalfLifeEvents: 4, popularityFeature: false };

test('trending follows the decayed frequencies, popular the lifetime counts', () => {
  const s = new EntityState(OPTIONS);
  // 'old' is bought 6 times early, 'new' 3 times at the end: lifetime favours old, a 4-event half-life favours new.
  const events = [
    ...Array.from({ length: 6 }, (_, i) => ev(`u${i}`, 'old', i)),
    ...Array.from({ length: 3 }, (_, i) => ev(`v${i}`, 'new', 10 + i)),
  ];
  s.beginBatch(events);
  s.commitBatch(events, 1);
  assert.deepEqual(s.popularItems(5), ['old', 'new']);
  assert.deepEqual(s.trendingItems(5), ['new', 'old']);
  assert.deepEqual(s.popularItems(1), ['old']);
  const restored = EntityState.fromData(OPTIONS, JSON.parse(JSON.stringify(s.toData())));
  assert.deepEqual(restored.popularItems(5), s.popularItems(5), 'lifetime counts survive a restore');
});

test('GenericListSelector: first-time users test the lists before they learn; the better list is chosen once the evidence is in', () => {
  const s = new EntityState(OPTIONS);
  const selector = new GenericListSelector(s, { checkK: 1, minChecks: 10, halfLifeChecks: 1000 });
  const train = (events: InteractionEvent[], step: number) => {
    selector.test(events);
    s.beginBatch(events);
    s.commitBatch(events, step);
  };
  // Lifetime favourite 'old' (8 events), currently trending 'new' (the last 6 of a 4-event half-life).
  train(
    [...Array.from({ length: 8 }, (_, i) => ev(`a${i}`, 'old', i)), ...Array.from({ length: 6 }, (_, i) => ev(`b${i}`, 'new', 20 + i))],
    1,
  );
  assert.equal(selector.refresh().kind, 'trending', 'trending until enough checks');
  // New users keep choosing the lifetime favourite; a returning user's event is not a check.
  train([ev('a0', 'x', 30), ...Array.from({ length: 12 }, (_, i) => ev(`c${i}`, 'old', 31 + i))], 2);
  const stats = selector.stats();
  assert.equal(stats.checks, 12);
  const rate = (kind: string) => stats.hitRates[stats.candidates.indexOf(kind as never)]!;
  assert.ok(rate('popular') > rate('trending'), JSON.stringify(stats));
  const list = selector.refresh();
  assert.equal(list.kind, 'popular');
  assert.equal(list.items[0], 'old');
});

test('trending lists at three horizons: a quarter of, at, and four times the logQ half-life; a restore keeps them', () => {
  const s = new EntityState({ ...OPTIONS, logQHalfLifeEvents: 8 });
  // 'steady': 12 events spread over the stream; 'burst': 4 events at the very end.
  const events: InteractionEvent[] = [];
  for (let i = 0; i < 48; i++) events.push(ev(`u${i}`, i % 4 === 0 ? 'steady' : `filler${i}`, i));
  for (let i = 0; i < 4; i++) events.push(ev(`b${i}`, 'burst', 100 + i));
  s.beginBatch(events);
  s.commitBatch(events, 1);
  // Half-life 2 events: the burst dominates; 32 events: steady's 12 outweigh it; 8: in between, the burst still first.
  assert.equal(s.trendingItems(1, 'short')[0], 'burst');
  assert.equal(s.trendingItems(1, 'long')[0], 'steady');
  assert.equal(s.trendingItems(1)[0], s.trendingItems(1, 'base')[0]);
  assert.equal(s.popularItems(1)[0], 'steady');
  const restored = EntityState.fromData({ ...OPTIONS, logQHalfLifeEvents: 8 }, JSON.parse(JSON.stringify(s.toData())));
  for (const h of ['short', 'base', 'long'] as const) assert.deepEqual(restored.trendingItems(10, h), s.trendingItems(10, h), h);
  // An older checkpoint (no other horizons): they start empty and fill from the next events.
  const { horizons: _dropped, ...older } = JSON.parse(JSON.stringify(s.toData()));
  const fromOlder = EntityState.fromData({ ...OPTIONS, logQHalfLifeEvents: 8 }, older);
  assert.deepEqual(fromOlder.trendingItems(5, 'short'), []);
  assert.deepEqual(fromOlder.trendingItems(5, 'base'), s.trendingItems(5, 'base'));
  const next = [ev('z', 'steady', 200)];
  fromOlder.beginBatch(next);
  fromOlder.commitBatch(next, 2);
  assert.deepEqual(fromOlder.trendingItems(5, 'short'), ['steady']);
});

test("GenericListSelector, returning audience: checks only trained users' events on new items, each list without the user's items", () => {
  const s = new EntityState({ ...OPTIONS, logQHalfLifeEvents: 8 });
  const selector = new GenericListSelector(s, { audience: 'returning', checkK: 1, minChecks: 5, halfLifeChecks: 1000 });
  const train = (events: InteractionEvent[], step: number) => {
    selector.test(events);
    s.beginBatch(events);
    s.commitBatch(events, step);
    selector.refresh();
  };
  // Lifetime favourites 'old' (bought by r0..r9 long ago) and 'old2' (q0..q7); 'hot' bursts now (h0..h3).
  train(
    Array.from({ length: 10 }, (_, i) => ev(`r${i}`, 'old', i)),
    1,
  );
  train(
    Array.from({ length: 8 }, (_, i) => ev(`q${i}`, 'old2', 10 + i)),
    2,
  );
  train(
    Array.from({ length: 40 }, (_, i) => ev(`f${i}`, `filler${i}`, 20 + i)),
    3,
  );
  train(
    Array.from({ length: 4 }, (_, i) => ev(`h${i}`, 'hot', 60 + i)),
    4,
  );
  assert.equal(selector.stats().checks, 0, 'first-time users are not this audience');
  train(
    [
      // The r-users own 'old': popular's first unseen item for them is 'old2' (a hit only because 'old' is left out).
      ev('r0', 'old2', 70),
      ev('r1', 'old2', 71),
      ...Array.from({ length: 4 }, (_, i) => ev(`r${2 + i}`, 'hot', 72 + i)),
      ev('r6', 'old', 80), // seen before: never served back, not a check
      ev('newcomer', 'hot', 81), // first-time: the other audience
    ],
    5,
  );
  const stats = selector.stats();
  assert.equal(stats.audience, 'returning');
  assert.equal(stats.checks, 6);
  const rate = (kind: string) => stats.hitRates[stats.candidates.indexOf(kind as never)]!;
  assert.ok(Math.abs(rate('popular') - 2 / 6) < 0.01, JSON.stringify(stats));
  assert.ok(Math.abs(rate('trending-short') - 4 / 6) < 0.01, JSON.stringify(stats));
  assert.equal(rate('trending'), rate('trending-short'), "'hot' also leads at the logQ half-life");
  assert.equal(selector.refresh().kind, 'trending', 'a tie keeps the default');
});

test('GenericListSelector serves only its candidates: the others are checked, never served', () => {
  const s = new EntityState({ ...OPTIONS, logQHalfLifeEvents: 8 });
  const only = new GenericListSelector(s, { checkK: 1, minChecks: 3, candidates: ['trending', 'popular'] });
  const every = new GenericListSelector(s, { checkK: 1, minChecks: 3 });
  const learn = (events: InteractionEvent[], step: number) => {
    for (const sel of [only, every]) sel.test(events);
    s.beginBatch(events);
    s.commitBatch(events, step);
    for (const sel of [only, every]) sel.refresh();
  };
  // 'old' leads lifetime and the long horizon, 'mid' the logQ one, 'hot' (the last two events) the short one.
  learn(
    Array.from({ length: 12 }, (_, i) => ev(`o${i}`, 'old', i)),
    1,
  );
  learn(
    Array.from({ length: 4 }, (_, i) => ev(`m${i}`, 'mid', 20 + i)),
    2,
  );
  learn([ev('h0', 'hot', 30), ev('h1', 'hot', 31)], 3);
  assert.equal(s.trendingItems(1, 'short')[0], 'hot');
  assert.notEqual(s.trendingItems(1, 'base')[0], 'hot');
  // Newcomers buy 'hot': only the short horizon hits.
  learn([ev('n0', 'hot', 40), ev('n1', 'hot', 41), ev('n2', 'hot', 42)], 4);
  assert.equal(every.refresh().kind, 'trending-short');
  const stats = only.stats();
  const rate = (kind: string) => stats.hitRates[stats.candidates.indexOf(kind as never)]!;
  // Nine first-time checks (m0-m3, h0-h1 missed everywhere; n0-n2 hit the short horizon only).
  assert.equal(stats.checks, 9);
  assert.ok(Math.abs(rate('trending-short') - 3 / 9) < 1e-3, 'checked all the same');
  assert.equal(rate('trending'), 0);
  assert.equal(rate('popular'), 0);
  assert.equal(only.refresh().kind, 'trending', 'no candidate hit: the default');
});

test('GenericListSelector restores an older checkpoint (trending and popular only) by candidate name', () => {
  const s = new EntityState(OPTIONS);
  const selector = new GenericListSelector(s);
  selector.restore({ lists: { trending: ['a'], popular: ['b'] }, hits: Float64Array.from([1, 3]), weight: 4, checked: 60 });
  const stats = selector.stats();
  const rate = (kind: string) => stats.hitRates[stats.candidates.indexOf(kind as never)]!;
  assert.equal(rate('trending'), 0.25);
  assert.equal(rate('popular'), 0.75);
  assert.equal(rate('trending-short'), 0);
  assert.equal(stats.served, 'popular');
  const again = new GenericListSelector(s);
  again.restore(selector.toData());
  assert.deepEqual(again.stats(), stats, 'the current format round-trips');
});

test('every user gets an answer: a user without a vector gets the generic list (seen items excluded), unless strict', async () => {
  const dim = 4;
  const users = new BruteForceIndex(dim);
  users.add(['known'], Float32Array.from([1, 0, 0, 0]));
  const items = new BruteForceIndex(dim);
  items.add(['i1', 'i2', 'i3'], Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]));
  const snap: IndexSnapshot = {
    version: 2,
    createdAt: 0,
    trainedEvents: 9,
    users,
    items,
    generic: { kind: 'trending', items: ['i3', 'i2', 'i1'] },
  };
  const service = new RecallService({ snapshot: snap, seenItems: (u) => new Set(u === 'returning' ? ['i3'] : []) });
  const cold = service.recall('u2i', 'stranger', 2);
  assert.equal(cold.fallback, 'trending');
  assert.deepEqual(cold.results, [
    { id: 'i3', score: 1 },
    { id: 'i2', score: 0.5 },
  ]);
  // Known to the stream (seen items) but not yet in the index: the generic list without what it saw.
  assert.deepEqual(
    service.recall('merged', 'returning', 5).results.map((r) => r.id),
    ['i2', 'i1'],
  );
  // ... the returning users' list where the snapshot has one (its kind named); a stranger keeps the first-time list.
  const twoLists = new RecallService({
    snapshot: { ...snap, generic: { ...snap.generic!, returning: { kind: 'trending-short', items: ['i1', 'i3', 'i2'] } } },
    seenItems: (u) => new Set(u === 'returning' ? ['i3'] : []),
  });
  const returning = twoLists.recall('u2i', 'returning', 5);
  assert.equal(returning.fallback, 'trending-short');
  assert.deepEqual(
    returning.results.map((r) => r.id),
    ['i1', 'i2'],
  );
  assert.equal(twoLists.recall('u2i', 'stranger', 2).fallback, 'trending');
  assert.equal(service.recall('u2i', 'known', 1).fallback, undefined, 'a user with a vector gets the model');
  assert.throws(() => service.recall('u2i', 'stranger', 2, { strict: true }), /unknown user/);
  assert.throws(() => service.recall('u2u', 'stranger', 2), /unknown user/, 'U2U has no generic answer');
  // The ranking evaluation uses: ids as served, null where the API answers 404.
  assert.deepEqual(service.served('u2i', 'stranger', 2), ['i3', 'i2']);
  assert.equal(service.served('u2u', 'stranger', 2), null);
  assert.equal(new RecallService({ snapshot: null, seenItems: () => new Set() }).served('u2i', 'x', 2), null, 'not ready: nothing');
  const server = new RecallServer({
    host: '127.0.0.1',
    port: 0,
    service,
    registry: new Metrics(new Instrumentation(), { defaultMetrics: false }).registry,
    isReady: () => true,
  });
  const get = async (url: string) => {
    const r = await server.inject({ method: 'GET', url });
    return { status: r.status, body: JSON.parse(r.body) };
  };
  assert.equal((await get('/v1/recall/u2i?user=stranger&k=3')).body.fallback, 'trending');
  assert.equal((await get('/v1/recall/u2i?user=stranger&strict=true')).status, 404);
  assert.equal((await get('/v1/recall/u2i?user=stranger&strict=1')).status, 404);
  assert.equal((await get('/v1/recall/u2i?user=stranger&strict=false')).status, 200);
  assert.equal((await get('/v1/recall/u2i?user=stranger&strict=maybe')).status, 400);
});

test("the learner's live snapshot serves each step's trending list and prior without a re-encoding (same version)", async () => {
  const learner = new OnlineLearner({ seed: 1, indexKind: 'exact', popularityPrior: 'auto' });
  try {
    const first = Array.from({ length: 32 }, (_, i) => ev(`u${i % 8}`, `i${i % 5}`, 1000 + i));
    await learner.learnMany(first);
    const snap = await learner.refreshIndex();
    // A burst on an item first trained after the refresh: it has no vector yet, but trends now.
    const burst = Array.from({ length: 40 }, (_, i) => ev(`w${i}`, 'hot', 2000 + i));
    await learner.learnMany(burst);
    const live = learner.snapshot!;
    assert.equal(live.version, snap.version, 'no new version: the vectors did not change');
    assert.equal(live.users, snap.users, 'the same indexes');
    assert.equal(live.generic?.items[0], 'hot');
    assert.equal(live.prior?.trending[0], 'hot');
    const q = Math.log(learner.entities.itemFrequency.probability('hot'));
    assert.ok(Math.abs(live.prior!.logQ.get('hot')! - q) < 1e-12, 'log q as of this step');
    const service = new RecallService(learner);
    assert.equal(service.recall('u2i', 'nobody', 3).results[0]!.id, 'hot', 'a user without a vector gets it at once');
  } finally {
    await learner.close();
  }
});
