import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EntityState } from '../src/learner/entityState.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';

const OPTIONS = { historyLength: 3, logQHalfLifeEvents: 50, popularityFeature: true };

test('EntityState: batches update attributes, histories after the step, seen items, frequencies and the clock', () => {
  const s = new EntityState(OPTIONS);
  const events = [
    { userId: 'u1', itemId: 'a', timestamp: 10, userAttributes: { age: '25' } },
    { userId: 'u1', itemId: 'b', timestamp: 30 },
    { userId: 'u2', itemId: 'a', timestamp: 20 },
  ];
  assert.equal(s.beginBatch(events), 30);
  assert.equal(s.clock, 30);
  assert.deepEqual(s.features.userAttributeKeys('u1'), ['ua:age=25']);
  // Histories and seen items wait for the step: no example sees its own target.
  assert.deepEqual(s.features.userHistoryKeys('u1'), []);
  assert.equal(s.seenItems('u1').size, 0);
  s.commitBatch(events, 1);
  assert.deepEqual(s.features.userHistoryKeys('u1'), ['i:a', 'i:b']);
  assert.deepEqual([...s.seenItems('u1')], ['a', 'b']);
  assert.deepEqual(s.seenByUser(), { u1: ['a', 'b'], u2: ['a'] });
  // 'a' twice in three events: the more probable item, and a popularity attribute for it.
  assert.ok(s.itemFrequency.probability('a') > s.itemFrequency.probability('b'));
  assert.match(s.features.itemAttributeKeys('a')[0]!, /^ia:~pop=\d+$/);
  const before = s.sizes();
  s.forgetUser('u1');
  assert.equal(s.seenItems('u1').size, 0);
  assert.deepEqual(s.features.userAttributeKeys('u1'), []);
  // What each per-id structure holds, and what forgetting a user frees.
  assert.deepEqual(before, {
    user_attributes: 1,
    item_attributes: 0, // no event carried item attributes (the popularity one is computed when read)
    user_history: 3,
    item_history: 3,
    seen_items: 3,
    item_counts: 2,
    item_frequency: 6, // 2 items at each of the three trending horizons
    user_frequency: 2,
    cooccurrence_pairs: 0,
    coconsumption_entries: 0,
  });
  const after = s.sizes();
  assert.equal(after.user_attributes, 0);
  assert.equal(after.user_history, 1);
  assert.equal(after.seen_items, 1);
});

test('EntitySizes: the co-occurrence and co-consumption tables count their entries', () => {
  const s = new EntityState({ ...OPTIONS, cooccurrence: { window: 5, keep: 10 }, coconsumption: { window: 5, usersPerItem: 5 } });
  const events = [
    { userId: 'u1', itemId: 'a', timestamp: 1 },
    { userId: 'u1', itemId: 'b', timestamp: 2 },
    { userId: 'u2', itemId: 'a', timestamp: 3 },
  ];
  s.beginBatch(events);
  s.commitBatch(events, 1);
  const sizes = s.sizes();
  // a<->b once each way; windows u1 {a, b}, u2 {a}; users of a {u1, u2}, of b {u1}.
  assert.equal(sizes.cooccurrence_pairs, 2);
  assert.equal(sizes.coconsumption_entries, 6);
});

test('EntityState: toData survives JSON and the restored state continues exactly like the original', () => {
  const events = [...new SyntheticWorld({ users: 60, items: 40, clusters: 4, events: 900, seed: 3 }).events()];
  const a = new EntityState(OPTIONS);
  for (let i = 0; i < 600; i += 100) {
    a.beginBatch(events.slice(i, i + 100));
    a.commitBatch(events.slice(i, i + 100), i / 100 + 1);
  }
  const b = EntityState.fromData(OPTIONS, JSON.parse(JSON.stringify(a.toData())));
  assert.deepEqual(b.toData(), a.toData());
  for (let i = 600; i < 900; i += 100) {
    for (const s of [a, b]) {
      s.beginBatch(events.slice(i, i + 100));
      s.commitBatch(events.slice(i, i + 100), i / 100 + 1);
    }
  }
  assert.deepEqual(b.toData(), a.toData());
  // Encoding order follows the known ids' insertion order, so it must survive too.
  assert.deepEqual([...b.features.knownUsers()], [...a.features.knownUsers()]);
  assert.deepEqual([...b.features.knownItems()], [...a.features.knownItems()]);
  for (const id of ['1', '2', '3']) assert.deepEqual(b.features.itemAttributeKeys(id), a.features.itemAttributeKeys(id));
});

test('EntityState: seen items per user are bounded; beyond the bound the earliest seen is forgotten', () => {
  const s = new EntityState({ ...OPTIONS, seenItemsPerUser: 2 });
  const batch = (items: string[], at: number) => {
    const events = items.map((itemId, i) => ({ userId: 'u1', itemId, timestamp: at + i }));
    s.beginBatch(events);
    s.commitBatch(events, at);
  };
  batch(['a', 'b'], 1);
  assert.deepEqual([...s.seenItems('u1')], ['a', 'b']);
  batch(['b'], 3);
  assert.deepEqual([...s.seenItems('u1')], ['a', 'b'], 'seeing a kept item again changes nothing');
  batch(['c', 'd'], 4);
  assert.deepEqual([...s.seenItems('u1')], ['c', 'd']);
  assert.equal(s.sizes().seen_items, 2);
});
