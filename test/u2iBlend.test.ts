import { replayTestThenTrain } from '../src/pipeline/testThenTrain.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import { vectorTable, type IndexSnapshot } from '../src/index/indexSnapshot.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { blendUserVector, blendUserVectors, U2IBlendSelector } from '../src/learner/u2iBlend.js';
import { encodeVectors, sha256, type ChannelManifest, type VersionManifest } from '../src/publish/indexArtifact.js';
import { RecallIndexAssembler, type RecallMessage } from '../src/publish/recallIndexAssembler.js';
import { RecallService } from '../src/serve/recallService.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { useTestBackend } from './helpers/backend.js';
import { unitVectors } from './helpers/vectors.js';

await useTestBackend();

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

test('blendUserVector: the ends are the inputs, the middle is the normalised sum, opposite vectors fall back to the full one', () => {
  const f = Float32Array.from([1, 0, 0]);
  const a = Float32Array.from([0, 1, 0]);
  close(blendUserVector(f, a, 0), f);
  close(blendUserVector(f, a, 1), a);
  close(blendUserVector(f, a, 0.5), [Math.SQRT1_2, Math.SQRT1_2, 0]);
  // 0.25: (0.75, 0.25, 0) / |.| = (3, 1, 0) / sqrt(10)
  close(blendUserVector(f, a, 0.25), [3 / Math.sqrt(10), 1 / Math.sqrt(10), 0]);
  close(blendUserVector(f, Float32Array.from([-1, 0, 0]), 0.5), f);
  const out = new Float32Array(3);
  assert.equal(blendUserVector(f, a, 1, out), out, 'writes into the given buffer');
  assert.throws(() => blendUserVector(f, Float32Array.from([1, 0]), 0.5), RangeError);
  // Row by row over [n, dim] matrices.
  const rows = blendUserVectors(Float32Array.from([1, 0, 0, 0, 0, 1]), Float32Array.from([0, 1, 0, 0, 0, 1]), 0.5, 3);
  close(rows, [Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0, 1]);
});

test('U2IBlendSelector: returning events by gap, paired decayed hit counts, argmax after the minimum evidence, ties to the more personal blend', () => {
  const s = new U2IBlendSelector({ candidates: [0, 0.5, 1], gapMs: 1000, halfLifeChecks: Infinity, minChecks: 3, zScore: 0 });
  assert.equal(s.noteEvent('u', 0), false, 'first event of a user');
  assert.equal(s.noteEvent('u', 999), false, 'gap below the threshold');
  assert.equal(s.noteEvent('u', 1999), true, 'gap of exactly 1000 ms since the previous event');
  assert.equal(s.noteEvent('u', 500), false, 'an out-of-order event does not move the clock back');
  assert.equal(s.noteEvent('u', 2998), false, '999 ms after the newest event');
  s.forgetUser('u');
  assert.equal(s.noteEvent('u', 10_000), false, 'a forgotten user starts over');

  assert.deepEqual(s.rates(), [0, 0, 0]);
  s.record([false, true, true]);
  s.record([false, true, false]);
  assert.equal(s.choice(), 0, 'below minChecks the first candidate serves');
  s.record([true, false, true]);
  assert.equal(s.checks, 3);
  close(s.rates(), [1 / 3, 2 / 3, 2 / 3], 1e-9);
  assert.equal(s.choice(), 0.5, 'tie between 0.5 and 1 goes to 0.5');
  s.record([false, false, true]);
  assert.equal(s.choice(), 1);
  assert.throws(() => s.record([true]), RangeError);
});

test('U2IBlendSelector: decay lets recent evidence overrule old evidence', () => {
  const s = new U2IBlendSelector({ candidates: [0, 1], gapMs: 0, halfLifeChecks: 10, minChecks: 1, zScore: 2 });
  for (let i = 0; i < 100; i++) s.record([true, false]);
  assert.equal(s.choice(), 0);
  for (let i = 0; i < 30; i++) s.record([false, true]);
  // After 30 checks (3 half-lives) the old hits weigh 1/8 of their count: 100-check history ~ 10 * 1/8.
  assert.equal(s.choice(), 1);
  const [r0, r1] = s.rates();
  const w = 0.5 ** (1 / 10);
  const old = ((1 - w ** 100) / (1 - w)) * w ** 30;
  const recent = (1 - w ** 30) / (1 - w);
  close([r0!, r1!], [old / (old + recent), recent / (old + recent)], 1e-9);
});

test('U2IBlendSelector: the best blend replaces the full vector only when its paired advantage is significant', () => {
  // Paired differences hit_1 - hit_0 of +1, +1, -1, 0: mean 0.25, E[d^2] 0.75, variance 0.6875, n 4.
  const s = new U2IBlendSelector({ candidates: [0, 1], gapMs: 0, halfLifeChecks: Infinity, minChecks: 1, zScore: 2 });
  s.record([false, true]);
  s.record([false, true]);
  s.record([true, false]);
  s.record([true, true]);
  close([s.advantageZ(1)], [0.25 / Math.sqrt(0.6875 / 4)], 1e-9);
  assert.equal(s.advantageZ(0), 0);
  assert.equal(s.choice(), 0, 'ahead by 0.6 standard errors: not enough');

  // Noise: 200 checks, the attribute-only vector ahead by 2 hits of ~100 -> stays on the full vector.
  const noisy = new U2IBlendSelector({ candidates: [0, 1], gapMs: 0, halfLifeChecks: 2000, minChecks: 50, zScore: 2 });
  for (let i = 0; i < 200; i++) noisy.record([i % 2 === 0, (i % 2 === 0 && i > 2) || (i % 2 === 1 && i < 8)]);
  assert.ok(noisy.rates()[1]! > noisy.rates()[0]!, 'the fixture puts candidate 1 ahead');
  assert.equal(noisy.choice(), 0);
  // Signal: 100 checks, 30% vs 10% hits -> switches.
  const clear = new U2IBlendSelector({ candidates: [0, 1], gapMs: 0, halfLifeChecks: 2000, minChecks: 50, zScore: 2 });
  for (let i = 0; i < 100; i++) clear.record([i % 10 === 0, i % 10 < 3]);
  assert.ok(clear.advantageZ(1) > 2, `z ${clear.advantageZ(1)}`);
  assert.equal(clear.choice(), 1);
  // ... but not before minChecks.
  const early = new U2IBlendSelector({ candidates: [0, 1], gapMs: 0, halfLifeChecks: 2000, minChecks: 50, zScore: 2 });
  for (let i = 0; i < 49; i++) early.record([false, true]);
  assert.equal(early.choice(), 0);
  early.record([false, true]);
  assert.equal(early.choice(), 1);
});

/** Users who act in bursts separated by hours (returning events), over the synthetic world. */
function sessions(gapMs: number): InteractionEvent[] {
  const events = [...new SyntheticWorld({ users: 60, items: 80, clusters: 4, events: 3000, seed: 5 }).events()];
  return events.map((e, i) => ({ ...e, timestamp: Date.UTC(2026, 0, 1) + Math.floor(i / 40) * gapMs + (i % 40) }));
}

async function train(learner: OnlineLearner, events: readonly InteractionEvent[]): Promise<void> {
  // Through the test-then-train driver: the blend's checks are a probe of it.
  await replayTestThenTrain(learner, events, {
    batchSize: 100,
    afterStep: async (step) => void (step % 5 === 0 && (await learner.refreshIndex())),
  });
  await learner.refreshIndex();
}

test('a fixed blend serves U2I from unit((1-a) full + a attribute-only) vectors, publishes them, and leaves U2U on the full vectors', async () => {
  const events = sessions(7_200_000);
  // The prior off: U2I is then the blended query's plain neighbours (the prior has its own tests).
  const learner = new OnlineLearner({
    seed: 3,
    indexKind: 'exact',
    u2iUserBlend: 0.75,
    popularityPrior: 'off',
    mic: { knnPositives: 0, hardNegatives: 0 },
  });
  try {
    await train(learner, events);
    const snap = learner.snapshot!;
    assert.equal(snap.u2iBlend, 0.75);
    assert.equal(learner.u2iBlendStats(), null, 'no checks with a fixed blend');
    const users = snap.users.ids().slice(0, 5);
    const full = await learner.snapshots.encodeUsers(users);
    const attrs = await learner.snapshots.encodeUsers(users, true);
    const dim = learner.options.outputDim;
    for (let u = 0; u < users.length; u++) {
      const f = full.subarray(u * dim, (u + 1) * dim);
      const expected = blendUserVector(f, attrs.subarray(u * dim, (u + 1) * dim), 0.75);
      close(snap.u2iQueries!.vector(users[u]!)!, expected, 1e-5);
      close(snap.users.vector(users[u]!)!, f, 1e-5);
      const want = snap.items.query(expected, 10, learner.seenItems(users[u]!)).map((n) => n.id);
      assert.deepEqual(
        learner.recallItemsForUser(users[u]!, 10)!.map((n) => n.id),
        want,
      );
    }
    const published = learner.publishable()!;
    assert.deepEqual(published.u2iQueries!.ids, published.users.ids);
    assert.equal(published.u2iQueries!.vectors.length, published.users.vectors.length);
  } finally {
    await learner.close();
  }
});

test('blend 0 serves the full vectors and encodes nothing extra', async () => {
  const learner = new OnlineLearner({ seed: 3, indexKind: 'exact', u2iUserBlend: 0, mic: { knnPositives: 0, hardNegatives: 0 } });
  try {
    await train(learner, sessions(7_200_000).slice(0, 1000));
    assert.equal(learner.snapshot!.u2iQueries, null);
    assert.equal(learner.snapshot!.u2iBlend, 0);
    assert.equal(learner.publishable()!.u2iQueries, undefined);
  } finally {
    await learner.close();
  }
});

test('auto: only returning users are checked, at most one per u2iBlendEventsPerCheck events, deterministically; no pause means no checks', async () => {
  const run = async (gapMs: number, eventsPerCheck = 40) => {
    const learner = new OnlineLearner({
      seed: 3,
      indexKind: 'exact',
      u2iUserBlend: 'auto',
      u2iBlendGapMs: 3_600_000,
      u2iBlendEventsPerCheck: eventsPerCheck,
      mic: { knnPositives: 0, hardNegatives: 0 },
    });
    try {
      await train(learner, sessions(gapMs));
      return {
        stats: learner.u2iBlendStats()!,
        steps: learner.stepCount,
        blend: learner.snapshot!.u2iBlend,
        queries: Boolean(learner.snapshot!.u2iQueries),
      };
    } finally {
      await learner.close();
    }
  };
  const a = await run(7_200_000);
  assert.ok(a.stats.checks > 20, `checks ${a.stats.checks}`);
  // 3,000 events at one check per 40: at most 75 (batches of 100 allow 2, 3, 2, 3, ...).
  assert.ok(a.stats.checks <= 75, `checks ${a.stats.checks}`);
  assert.ok(
    a.stats.hitRates.some((r) => r > 0),
    'some checks hit',
  );
  assert.deepEqual(await run(7_200_000), a, 'seeded: same checks, rates and choice');
  const none = await run(60_000);
  assert.equal(none.stats.checks, 0, 'sessions one minute apart are not returns');
  assert.equal(none.blend, 0, 'without evidence U2I keeps the full vectors');
  const sparse = await run(7_200_000, 250);
  assert.ok(sparse.stats.checks > 0 && sparse.stats.checks <= 12, `one check per 250 events: ${sparse.stats.checks}`);
  const off = await run(7_200_000, 0);
  assert.equal(off.stats.checks, 0, 'a budget of 0 checks nothing');
  assert.equal(off.queries, false);
});

test('the recall service queries U2I with the snapshot u2iQueries and U2U with the user vectors', () => {
  const dim = 8;
  const items = new BruteForceIndex(dim);
  const itemVectors = unitVectors(20, dim, 1);
  items.add(
    Array.from({ length: 20 }, (_, i) => `i${i}`),
    itemVectors,
  );
  const users = new BruteForceIndex(dim);
  const userVectors = unitVectors(3, dim, 2);
  users.add(['a', 'b', 'c'], userVectors);
  const queries = unitVectors(3, dim, 3);
  const snap: IndexSnapshot = {
    version: 1,
    createdAt: 0,
    trainedEvents: 0,
    users,
    items,
    u2iBlend: 1,
    u2iQueries: vectorTable(['a', 'b', 'c'], queries),
  };
  // Every user has seen something (U2U answers only users with seen items); nothing seen is an indexed item.
  const service = new RecallService({ snapshot: snap, seenItems: () => new Set(['elsewhere']) });
  assert.deepEqual(service.recall('u2i', 'b', 5).results, items.query(queries.subarray(dim, 2 * dim), 5));
  assert.notDeepEqual(
    service.recall('u2i', 'b', 5).results,
    items.query(userVectors.subarray(dim, 2 * dim), 5),
    'the fixture must tell the two apart',
  );
  assert.deepEqual(service.recall('u2u', 'b', 2).results, users.query(userVectors.subarray(dim, 2 * dim), 2, new Set(['b'])));
});

test('the recall-topic artifact carries the optional u2iQueries channel and stays readable without it', () => {
  const dim = 4;
  const vectors = unitVectors(2, dim, 4);
  const queries = unitVectors(2, dim, 5);
  const messages = (version: number, withQueries: boolean, extra: Record<string, Buffer> = {}, writerEpoch?: number): RecallMessage[] => {
    const payloads: Record<string, Buffer> = {
      users: encodeVectors(['a', 'b'], vectors, dim),
      items: encodeVectors(['x', 'y'], vectors, dim),
      seen: Buffer.from('{}'),
      ...extra,
    };
    if (withQueries) payloads.u2iQueries = encodeVectors(['a', 'b'], queries, dim);
    const out: RecallMessage[] = [];
    for (const [channel, payload] of Object.entries(payloads)) {
      const h = { 'micstream-version': String(version), 'micstream-channel': channel };
      out.push({ key: `v${version}/${channel}/0`, value: payload, headers: { ...h, 'micstream-kind': 'chunk', 'micstream-chunk': '0' } });
      const cm: ChannelManifest = {
        format: 'micstream-index-v1',
        version,
        channel: channel as ChannelManifest['channel'],
        dim: channel === 'seen' || channel === 'generic' || channel === 'cooccurrence' ? 0 : dim,
        count: 2,
        bytes: payload.length,
        chunks: 1,
        checksum: sha256(payload),
        createdAt: '',
      };
      out.push({
        key: `v${version}/${channel}/manifest`,
        value: Buffer.from(JSON.stringify(cm)),
        headers: { ...h, 'micstream-kind': 'channel-manifest' },
      });
    }
    const vm: VersionManifest = {
      format: 'micstream-index-v1',
      version,
      channels: Object.keys(payloads) as VersionManifest['channels'],
      createdAt: '',
      trainedEvents: 1,
      ...(writerEpoch !== undefined ? { writerEpoch } : {}),
    };
    out.push({
      key: `v${version}/manifest`,
      value: Buffer.from(JSON.stringify(vm)),
      headers: { 'micstream-version': String(version), 'micstream-kind': 'version-manifest' },
    });
    return out;
  };
  const assembler = new RecallIndexAssembler();
  const assembled = messages(1, true)
    .map((m) => assembler.accept(m))
    .find((a) => a !== null)!;
  assert.deepEqual(assembled.u2iQueries!.ids, ['a', 'b']);
  close(assembled.u2iQueries!.vectors, queries);
  const plain = messages(2, false)
    .map((m) => assembler.accept(m))
    .find((a) => a !== null)!;
  assert.equal(plain.u2iQueries, undefined);
  // The generic list for users without a vector travels as its own optional JSON channel, with the returning users' list in it.
  const generic = { kind: 'popular', items: ['y', 'x'], returning: { kind: 'trending-short', items: ['x', 'y'] } };
  const withGeneric = messages(3, false, { generic: Buffer.from(JSON.stringify(generic)) })
    .map((m) => assembler.accept(m))
    .find((a) => a !== null)!;
  assert.deepEqual(withGeneric.generic, generic);
  assert.throws(
    () =>
      messages(4, false, { generic: Buffer.from(JSON.stringify({ ...generic, returning: { kind: 'trending', items: [3] } })) }).forEach(
        (m) => assembler.accept(m),
      ),
    /generic channel is not/,
  );
  // The I2I co-occurrence source travels as its own optional JSON channel, checked like the prior.
  const cooccurrence = { weight: 0.5, lists: [['x', [['y', 0.7]]]] };
  const withCo = messages(5, false, { cooccurrence: Buffer.from(JSON.stringify(cooccurrence)) })
    .map((m) => assembler.accept(m))
    .find((a) => a !== null)!;
  assert.deepEqual(withCo.cooccurrence, cooccurrence);
  assert.throws(
    () =>
      messages(6, false, { cooccurrence: Buffer.from(JSON.stringify({ weight: 0.5, lists: [['x', [['y', 'high']]]] })) }).forEach((m) =>
        assembler.accept(m),
      ),
    /cooccurrence channel is malformed \(cooccurrence: neighbours of x/,
  );
  // Writer epochs: once a version of a newer writer is taken, an older writer's versions are refused
  // (two learners never alternate on the servers), whatever their version numbers.
  const take = (version: number, epoch?: number) =>
    messages(version, false, {}, epoch)
      .map((m) => assembler.accept(m))
      .find((a) => a !== null);
  assert.equal(take(10, 100)?.writerEpoch, 100);
  assert.throws(() => take(11, 50), /written by an older writer \(epoch 50 < 100\)/);
  assert.equal(take(12, 100)?.version, 12, 'the same writer goes on');
  assert.throws(() => take(13), /older writer \(epoch 0 < 100\)/, 'a version without an epoch is from an older learner');
  assert.equal(take(14, 200)?.writerEpoch, 200, 'a newer writer takes over');
  assert.equal(assembler.writerEpoch, 200);
  assert.throws(() => take(15, 100), /older writer/);
});

test('U2U answers the nearest users that have seen items, never the query user, and 404s for an unknown user', () => {
  const dim = 8;
  const users = new BruteForceIndex(dim);
  users.add(['a', 'b', 'c', 'cold'], unitVectors(4, dim, 6));
  const snap: IndexSnapshot = { version: 1, createdAt: 0, trainedEvents: 0, users, items: new BruteForceIndex(dim) };
  const service = new RecallService({ snapshot: snap, seenItems: (u) => new Set(u === 'cold' ? [] : ['x']) });
  const ids = service.recall('u2u', 'a', 10).results.map((n) => n.id);
  assert.deepEqual([...ids].sort(), ['b', 'c']);
  assert.ok(service.recall('u2u', 'cold', 10).results.every((n) => n.id !== 'cold'));
  assert.throws(() => service.recall('u2u', 'nobody', 5), /unknown user/);
});
