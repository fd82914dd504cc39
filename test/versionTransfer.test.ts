import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import assert from 'node:assert/strict';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import type { IndexVectors } from '../src/index/indexVectors.js';
import { UserCoconsumption } from '../src/index/userCoconsumption.js';
import { servedVersion, toTransfer, transferList, type VersionTransfer } from '../src/serve/versionTransfer.js';
import { Rng } from '../src/util/random.js';

function version(users: number, items: number): IndexVectors {
  const rng = new Rng(9);
  const userIds = Array.from({ length: users }, (_, u) => `u${u}`);
  const itemIds = Array.from({ length: items }, (_, i) => `i${i}`);
  const co = new UserCoconsumption();
  const events = Array.from({ length: users * 6 }, (_, n) => ({
    userId: userIds[n % users]!,
    itemId: itemIds[rng.int(items)]!,
    timestamp: n,
  }));
  co.learn(events as never);
  const seen: Record<string, string[]> = {};
  for (const e of events) (seen[e.userId] ??= []).push(e.itemId);
  return {
    version: 123,
    trainedEvents: events.length,
    dim: 2,
    users: { ids: userIds, vectors: new Float32Array(users * 2).fill(0.5) },
    items: { ids: itemIds, vectors: new Float32Array(items * 2).fill(0.5) },
    seen,
    cooccurrence: {
      weight: 0.25,
      genericWeight: 2,
      lists: itemIds.map((i, n) => [
        i,
        [
          [itemIds[(n + 1) % items]!, 2],
          [itemIds[(n + 2) % items]!, 1],
        ],
      ]),
    },
    coconsumption: { weight: 0.5, table: co.toData() },
    prior: {
      temperature: 0.1,
      beta: { new: 0, short: 0.5, medium: 1, long: 2 },
      logQ: itemIds.map((i, n) => [i, -n]),
      floor: -99,
      trending: itemIds.slice(0, 3),
    },
    generic: { kind: 'trending', items: itemIds.slice(0, 5) },
  };
}

const exact = (side: IndexVectors['users']) => {
  const index = new BruteForceIndex(2, side.ids.length);
  index.add(side.ids, side.vectors);
  return index;
};

test('a version crosses in chunks and serves the same tables, with a pause after each chunk', async () => {
  const v = version(2500, 1200);
  const t = toTransfer(v);
  // Chunks are cut by size: several for the seen lists, each near 32 KiB and none far above it.
  assert.ok(t.bounds.seen.length - 1 >= 3, `seen chunks ${t.bounds.seen.length - 1}`);
  for (const bounds of Object.values(t.bounds))
    for (let c = 1; c < bounds.length; c++)
      assert.ok(bounds[c]! - bounds[c - 1]! < 33 * 1024, `chunk of ${bounds[c]! - bounds[c - 1]!} bytes`);
  assert.deepEqual(t.light.seen, {});
  assert.notEqual(t.light.users.vectors.buffer, v.users.vectors.buffer, 'the transfer owns its vectors');
  assert.deepEqual(t.light.users.vectors, v.users.vectors);
  const chunkCount = Object.values(t.bounds).reduce((n, b) => n + b.length - 1, 0);
  let pauses = 0;
  const served = await servedVersion(t, exact(v.users), exact(v.items), async () => void pauses++);
  assert.ok(pauses >= chunkCount, `pauses ${pauses} for ${chunkCount} chunks`);
  const snap = served.snapshot;
  assert.equal(snap.version, 123);
  assert.deepEqual([...served.seenItems('u7')], [...new Set(v.seen.u7)]);
  assert.equal(served.seenItems('nobody').size, 0);
  assert.equal(served.seenItems('__proto__').size, 0);
  assert.deepEqual(snap.cooccurrence!.neighbours('i5'), [
    { id: 'i6', score: 2 },
    { id: 'i7', score: 1 },
  ]);
  assert.equal(snap.cooccurrence!.weight, 0.25);
  assert.equal(snap.cooccurrence!.genericWeight, 2, 'the I2I generic term reaches the recall server');
  const original = UserCoconsumption.fromData(v.coconsumption!.table);
  for (const u of ['u0', 'u1', 'u2499']) assert.deepEqual(snap.coconsumption!.table.neighbours(u, 20), original.neighbours(u, 20), u);
  assert.equal(snap.prior!.logQ.get('i1100'), -1100);
  assert.deepEqual(snap.generic, v.generic);
});

test('a malformed chunk is refused with what is wrong', async () => {
  const v = version(10, 10);
  v.cooccurrence!.lists = [['i1', [['i2', 'not a score']]]] as never;
  const t = toTransfer(v);
  await assert.rejects(
    servedVersion(t, exact(v.users), exact(v.items), async () => {}),
    /neighbours of i1 must be \[item, finite score\] pairs/,
  );
});

test('a transfer moves its buffers through a message port and serves ids outside ASCII unchanged', async () => {
  const v = version(30, 20);
  v.seen['usér-😀'] = ['ítem-ß', 'i1'];
  v.prior!.logQ.push(['ítem-ß', -3.5]);
  const t = toTransfer(v);
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<VersionTransfer>((resolve) => port2.once('message', resolve));
  port1.postMessage(t, transferList(t));
  const got = await received;
  port1.close();
  assert.equal(t.bytes.byteLength, 0, 'the sender no longer holds the tables');
  assert.equal(t.light.users.vectors.length, 0, 'nor the vectors');
  assert.equal(v.users.vectors.length, 60, 'the version itself keeps its vectors');
  const served = await servedVersion(got, exact(v.users), exact(v.items), async () => {});
  assert.deepEqual([...served.seenItems('usér-😀')], ['ítem-ß', 'i1']);
  assert.equal(served.snapshot.prior!.logQ.get('ítem-ß'), -3.5);
  assert.deepEqual([...served.seenItems('u3')], [...new Set(v.seen.u3)]);
});
