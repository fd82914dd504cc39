import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeState, encodeState, stateFromParts, stateToParts } from '../src/checkpoint/stateCodec.js';
import { DirectoryCheckpointStore } from '../src/checkpoint/checkpointStore.js';
import { CheckpointError } from '../src/errors.js';
import { RecallService } from '../src/serve/recallService.js';
import { OnlineLearner, type LearnerOverrides } from '../src/learner/onlineLearner.js';
import { ablation } from '../src/learner/micOptions.js';
import type { LearnerState } from '../src/learner/learnerState.js';
import { testThenTrain } from '../src/pipeline/testThenTrain.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { useTestBackend } from './helpers/backend.js';

await useTestBackend();

const tempDir = () => mkdtemp(join(tmpdir(), 'micstream-ckpt-'));

test('state codec: typed arrays come back bit for bit, "$" keys from the data stay keys, non-finite numbers and Maps are refused', () => {
  const f32 = new Float32Array([1.1, -0, 3e-40, Math.PI]);
  const state = {
    a: f32,
    nested: [{ b: new Float64Array([1 / 3]), c: new Int32Array([-7, 2]) }, 'text', null, true],
    ids: { $typed: 'not a reference', $$x: 1, plain: 2 },
    odd: f32.subarray(1, 3),
  };
  const back = decodeState(encodeState(state)) as typeof state;
  assert.ok(back.a instanceof Float32Array);
  assert.deepEqual(new Uint8Array(back.a.buffer), new Uint8Array(f32.buffer), 'bit-exact float32 (negative zero, denormal)');
  assert.deepEqual(Array.from(back.odd), [f32[1], f32[2]], 'a subarray view encodes its own elements only');
  assert.equal((back.nested[0] as { b: Float64Array }).b[0], 1 / 3);
  assert.deepEqual(Array.from((back.nested[0] as { c: Int32Array }).c), [-7, 2]);
  assert.deepEqual(back.nested.slice(1), ['text', null, true]);
  assert.deepEqual(back.ids, { $typed: 'not a reference', $$x: 1, plain: 2 });
  assert.throws(() => encodeState({ x: Number.NaN }), CheckpointError);
  assert.throws(() => encodeState({ x: Infinity }), CheckpointError);
  assert.throws(() => encodeState({ m: new Map() }), CheckpointError);
  const parts = stateToParts({ one: { v: new Float32Array([2]) }, two: 'plain' });
  assert.deepEqual(Object.keys(parts).sort(), ['one.bin', 'one.json', 'two.json']);
  assert.deepEqual(stateFromParts(parts), { one: { v: new Float32Array([2]) }, two: 'plain' });
  assert.throws(() => stateToParts({ 'Bad-Name': 1 }), CheckpointError);
  // Branches are copied only where something in them is replaced: the late replacements below must
  // still land, the state given must stay as it was, and a deep non-finite number is still refused.
  const late = {
    plain: ['a', ['b', 1]],
    rows: ['x', 'y', new Int32Array([5])],
    after: 1,
    $late: 2,
    gone: undefined,
    typed: new Uint8Array([9]),
  };
  const given = JSON.stringify(late);
  const lateBack = decodeState(encodeState(late)) as Record<string, unknown>;
  assert.equal(JSON.stringify(late), given, 'encoding leaves the state it is given alone');
  assert.deepEqual(lateBack, {
    plain: ['a', ['b', 1]],
    rows: ['x', 'y', new Int32Array([5])],
    after: 1,
    $late: 2,
    typed: new Uint8Array([9]),
  });
  assert.throws(() => encodeState({ deep: [[1, [2, Number.NaN]]] }), CheckpointError);
});

test('directory store: newest valid checkpoint wins; a corrupt, truncated or manifest-less one is skipped with a reason; the newest `keep` stay', async () => {
  const dir = await tempDir();
  try {
    const store = new DirectoryCheckpointStore(dir, 3);
    assert.equal(await store.loadNewest(), null, 'an empty (even missing) directory has none');
    const bytes = (n: number) => new TextEncoder().encode(`payload ${n}`);
    for (let n = 1; n <= 5; n++) await store.save({ 'data.bin': bytes(n) }, { n });
    assert.deepEqual((await readdir(dir)).sort(), ['checkpoint-000000000003', 'checkpoint-000000000004', 'checkpoint-000000000005']);
    const newest = await store.loadNewest();
    assert.equal(newest?.manifest.sequence, 5);
    assert.deepEqual(newest?.manifest.meta, { n: 5 });
    assert.deepEqual(new Uint8Array(newest!.parts['data.bin']!), bytes(5));

    // One flipped byte in the newest: skipped, the one before is used.
    const part5 = join(dir, 'checkpoint-000000000005', 'data.bin');
    const raw = await readFile(part5);
    raw[0]! ^= 1;
    await writeFile(part5, raw);
    // A truncated part in the one before, and no manifest in the third.
    await writeFile(join(dir, 'checkpoint-000000000004', 'data.bin'), bytes(4).subarray(0, 3));
    await rm(join(dir, 'checkpoint-000000000003', 'MANIFEST.json'));
    const skipped: string[] = [];
    assert.equal(await store.loadNewest((name, reason) => skipped.push(`${name}: ${reason}`)), null);
    assert.equal(skipped.length, 3);
    assert.match(skipped[0]!, /checkpoint-000000000005: part data.bin fails its SHA-256 checksum/);
    assert.match(skipped[1]!, /checkpoint-000000000004: part data.bin has 3 bytes, the manifest says 9/);
    assert.match(skipped[2]!, /checkpoint-000000000003: no readable MANIFEST.json/);

    // A save that crashed half-way leaves a temporary directory: never read, removed by the next save.
    await mkdir(join(dir, '.tmp-checkpoint-6-dead'));
    await writeFile(join(dir, '.tmp-checkpoint-6-dead', 'data.bin'), 'partial');
    const saved = await store.save({ 'data.bin': bytes(6) }, {});
    assert.equal(saved.sequence, 6);
    assert.ok(!(await readdir(dir)).some((n) => n.startsWith('.tmp')));
    assert.equal((await store.loadNewest())?.manifest.sequence, 6);
    await assert.rejects(store.save({ '../escape': bytes(1) }, {}), CheckpointError);
    assert.throws(() => new DirectoryCheckpointStore(dir, 0), RangeError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a restored learner continues exactly: same recall at the checkpoint, same losses and vectors after it (MIC, replay, probes, clusters)', async () => {
  const events = [...new SyntheticWorld({ users: 120, items: 90, clusters: 4, events: 2600, seed: 11 }).events()];
  const batch = 32;
  const batches = Array.from({ length: Math.ceil(events.length / batch) }, (_, i) => events.slice(i * batch, (i + 1) * batch));
  // Re-clustering every 10 steps with a lag of 4: the checkpoint (step 57) falls between a request (50) and its application (54 applied, 60 pending).
  // A one-minute gap makes returning users of the synthetic stream (~1 event/s), so the blend and prior probes gather evidence.
  const overrides: LearnerOverrides = { seed: 5, indexKind: 'exact', replayBufferEvents: 2000, u2iBlendGapMs: 60_000 };
  // The full MIC rung (the default leaves the hard negatives, and so the clusterings, off).
  const micOptions = { ...ablation('mic'), reclusterEverySteps: 10, reclusterLagSteps: 4 };
  const make = () => new OnlineLearner({ ...overrides, mic: micOptions });
  const original = make();
  const run = async (learner: OnlineLearner, from: number, to: number) => {
    const losses: number[] = [];
    for (let b = from; b < to; b++) {
      losses.push((await testThenTrain(learner, batches[b]!, [])).loss);
      if ((b + 1) % 8 === 0) await learner.refreshIndex();
    }
    return losses;
  };
  await run(original, 0, 57);
  assert.ok(original.clusterAssignment('item'), 'a clustering is applied before the checkpoint');
  const dir = await tempDir();
  try {
    const store = new DirectoryCheckpointStore(dir, 2);
    await store.save(stateToParts((await original.captureState()) as unknown as Record<string, unknown>), {});
    const loaded = await store.loadNewest();
    assert.ok(loaded);
    const restored = await OnlineLearner.restore(
      { ...overrides, mic: original.options.mic },
      stateFromParts(loaded.parts) as unknown as LearnerState,
    );
    assert.equal(restored.trainedEvents, original.trainedEvents);
    assert.equal(restored.stepCount, 57);
    assert.equal(restored.snapshot?.createdAt, original.snapshot?.createdAt, 'the restored snapshot keeps its version');
    const probeUsers = [...new Set(events.slice(0, 400).map((e) => e.userId))].slice(0, 25);
    for (const u of probeUsers) assert.deepEqual(restored.recallItemsForUser(u, 20), original.recallItemsForUser(u, 20), `recall of ${u}`);
    assert.ok(
      original.u2iBlendStats()!.checks > 0 && original.popularityPriorStats().segments.short.checks > 0,
      'the probes have evidence',
    );
    assert.ok(
      original.genericListStats().every((g) => g.checks > 0),
      'both generic-list choices have evidence',
    );
    assert.deepEqual(restored.popularityPriorStats(), original.popularityPriorStats());
    assert.deepEqual(restored.u2iBlendStats(), original.u2iBlendStats());
    assert.deepEqual(restored.genericListStats(), original.genericListStats());
    // I2I: the towers' neighbours fused with the co-occurrence table, which the checkpoint carries (table and fusion evidence).
    const probeItems = [...new Set(events.slice(0, 400).map((e) => e.itemId))].slice(0, 25);
    const i2i = (l: OnlineLearner) => probeItems.map((i) => new RecallService(l).answer('i2i', i, 10));
    assert.ok(original.i2iFusionStats()!.checks > 0, 'the I2I fusion has evidence');
    assert.deepEqual(i2i(restored), i2i(original), 'the same I2I answers');
    assert.deepEqual(restored.i2iFusionStats(), original.i2iFusionStats());
    // Merged recall with the weights the learner chose per segment (carried by the checkpoint).
    const merged = (l: OnlineLearner) => probeUsers.map((u) => new RecallService(l).answer('merged', u, 10));
    assert.ok(
      Object.values(original.mergedFusionStats()!).some((s) => s.checks > 0),
      'the merged fusion has evidence',
    );
    assert.deepEqual(restored.mergedFusionStats(), original.mergedFusionStats());
    assert.deepEqual(merged(restored), merged(original), 'the same merged answers');
    // U2U: the towers' neighbours fused with streaming co-consumption (table and fusion evidence carried).
    const u2u = (l: OnlineLearner) => probeUsers.map((u) => new RecallService(l).answer('u2u', u, 10));
    assert.ok(original.u2uFusionStats()!.checks > 0, 'the U2U fusion has evidence');
    assert.deepEqual(restored.u2uFusionStats(), original.u2uFusionStats());
    assert.deepEqual(u2u(restored), u2u(original), 'the same U2U answers');

    const after = await run(original, 57, batches.length);
    const afterRestored = await run(restored, 57, batches.length);
    assert.deepEqual(afterRestored, after, 'the same losses, step for step');
    assert.equal(restored.clusterAssignment('user')?.version, original.clusterAssignment('user')?.version);
    await original.refreshIndex();
    await restored.refreshIndex();
    const a = original.publishable()!;
    const b = restored.publishable()!;
    assert.deepEqual(b.users.ids, a.users.ids);
    assert.deepEqual(b.items.vectors, a.items.vectors);
    assert.deepEqual(b.users.vectors, a.users.vectors);
    assert.deepEqual(b.seen, a.seen);
    assert.deepEqual(b.cooccurrence, a.cooccurrence);
    assert.deepEqual(b.coconsumption, a.coconsumption);
    assert.deepEqual(b.prior, a.prior);
    assert.deepEqual(i2i(restored), i2i(original), 'the same I2I answers after the same batches');
    assert.deepEqual(u2u(restored), u2u(original), 'the same U2U answers after the same batches');
    restored.dispose();
  } finally {
    original.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test('a state written under other tower shapes is refused with what differs', async () => {
  const learner = new OnlineLearner({ seed: 1, indexKind: 'exact' });
  const events = [...new SyntheticWorld({ users: 20, items: 20, clusters: 2, events: 64, seed: 2 }).events()];
  await learner.learnMany(events);
  const state = await learner.captureState();
  learner.dispose();
  await assert.rejects(
    OnlineLearner.restore({ seed: 1, outputDim: 16 }, state),
    /cannot restore the learner state: written with outputDim \d+; configured outputDim 16/,
  );
  await assert.rejects(OnlineLearner.restore({ seed: 1 }, { ...state, format: 99 }), /state format 99/);
});

test('HNSW snapshots travel as their graphs: the restored learner answers exactly as the checkpointed one, without rebuilding', async () => {
  const events = [...new SyntheticWorld({ users: 300, items: 200, clusters: 4, events: 1500, seed: 3 }).events()];
  const learner = new OnlineLearner({ seed: 2, replayBatches: 0 });
  try {
    for (let i = 0; i < events.length; i += 256) await learner.learnMany(events.slice(i, i + 256));
    await learner.refreshIndex();
    const state = await learner.captureState();
    assert.ok(state.snapshot?.graphs && state.snapshot.graphs.users.byteLength > 0 && state.snapshot.graphs.items.byteLength > 0);
    const back = stateFromParts(stateToParts(state as unknown as Record<string, unknown>)) as unknown as LearnerState;
    const restored = await OnlineLearner.restore({ seed: 2, replayBatches: 0 }, back);
    const users = [...new Set(events.map((e) => e.userId))].slice(0, 40);
    for (const u of users) assert.deepEqual(restored.recallItemsForUser(u, 10), learner.recallItemsForUser(u, 10), `recall of ${u}`);
    restored.dispose();
  } finally {
    learner.dispose();
  }
});

test('an embedding store of 300,000 rows round-trips through its state (no argument-spread limits on restore)', async () => {
  const { EmbeddingStore } = await import('../src/model/embeddingStore.js');
  const store = new EmbeddingStore({ dim: 2, seed: 1 });
  for (let i = 0; i < 300_000; i++) store.rowOf(`i:${i}`, true);
  store.expire(Number.POSITIVE_INFINITY, (k) => !k.endsWith('7'));
  const back = new EmbeddingStore({ dim: 2, seed: 1 });
  back.restore(decodeState(encodeState(store.toData())) as ReturnType<typeof store.toData>);
  assert.equal(back.size, store.size);
  assert.deepEqual(back.get('i:123456'), store.get('i:123456'));
  assert.equal(back.get('i:17'), undefined, 'expired rows stay expired');
  back.rowOf('new', true);
  store.rowOf('new', true);
  assert.deepEqual(back.toData().keys, store.toData().keys, 'a new key reuses the same free row');
});
