import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { runEvaluation } from '../src/eval/evalHarness.js';
import { aggregate } from '../src/eval/report.js';
import { loadConfig } from '../src/config/config.js';
import { ML100K, referenceNumbers, SHARED_DATASET_NAMES, SHARED_DATASETS } from './helpers/datasets.js';
import { useTestBackend } from './helpers/backend.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { FeatureState } from '../src/model/featureState.js';

const reference = referenceNumbers();

for (const name of SHARED_DATASET_NAMES) {
  test(`protocol check on ${name}: the harness reproduces the independent reference numbers within ±0.003`, async (t) => {
    const ref = reference.get(name);
    assert.ok(ref, `../shared/datasets/README.md has reference numbers for ${name}`);
    const events = loadDataset(`${SHARED_DATASETS}/${name}`).events;
    const { config } = loadConfig({ argv: [], env: {} });
    const { data, runs } = await runEvaluation(events, {
      trainFraction: 0.8,
      seeds: [1],
      models: ['pop', 'pop_recent', 'itemknn', 'itemcf_i2i'],
      recentWindow: 5000,
      config,
    });
    assert.equal(data.train.length, Math.floor(events.length * 0.8));
    assert.equal(data.testPairs, ref.i2iPairs);
    const m = aggregate(runs);
    // Test users are those with a test item they did not see in training (the metric's users).
    const u2i = m.pop!.channels.u2i!;
    assert.deepEqual([u2i.users, u2i['users/warm'], u2i['users/cold']], [ref.testUsers, ref.warmUsers, ref.coldUsers]);
    const near = (got: number | undefined, want: number, what: string) => {
      t.diagnostic(`${name} ${what}: ${got?.toFixed(4)} (reference ${want})`);
      assert.ok(got !== undefined && Math.abs(got - want) <= 0.003, `${name} ${what}: ${got} vs reference ${want}`);
    };
    const segments = ['recall@20', 'recall@20/warm', 'recall@20/cold'] as const;
    for (const [model, want] of [
      ['pop', ref.pop],
      ['pop_recent', ref.popRecent],
      ['itemknn', ref.itemKnn],
    ] as const)
      segments.forEach((segment, s) => near(m[model]!.channels.u2i![segment], want[s]!, `${model} U2I ${segment}`));
    near(m.itemcf_i2i!.channels.i2i!['hr@20'], ref.itemCfI2I, 'itemcf I2I HR@20');
  });
}

test('User-CF on ml-100k reproduces its earlier reference (U2U Recall@20 0.114)', async () => {
  const events = loadDataset(ML100K).events;
  const { config } = loadConfig({ argv: [], env: {} });
  const { runs } = await runEvaluation(events, { trainFraction: 0.8, seeds: [1], models: ['usercf_u2u'], recentWindow: 5000, config });
  const got = aggregate(runs).usercf_u2u!.channels.u2u!['recall@20']!;
  assert.ok(Math.abs(got - 0.114) <= 0.003, `usercf U2U Recall@20 ${got}`);
});

test('--epochs: the one-pass rows stay, the rung is also measured after E passes as <rung>@Eep', async () => {
  await useTestBackend();
  const events = [...new SyntheticWorld({ users: 200, items: 120, clusters: 4, events: 4000, seed: 9 }).events()];
  const { config } = loadConfig({
    argv: ['--batch-size', '128', '--index-refresh-steps', '10', '--embedding-dim', '16', '--hidden-dim', '32', '--output-dim', '16'],
    env: {},
  });
  const run = (epochs: number) =>
    runEvaluation(events, { trainFraction: 0.8, seeds: [3], models: ['dssm'], recentWindow: 500, epochs, config });
  const once = aggregate((await run(1)).runs);
  const twice = aggregate((await run(3)).runs);
  assert.deepEqual(Object.keys(once), ['dssm']);
  assert.deepEqual(Object.keys(twice).sort(), ['dssm', 'dssm@3ep']);
  // The first measurement of a multi-epoch run is the one-pass result (same seed, same stream).
  assert.equal(twice.dssm!.channels.u2i!['recall@20'], once.dssm!.channels.u2i!['recall@20']);
  assert.ok(twice.dssm!.prequential?.u2i && twice.dssm!.prequential.u2i.length > 0, 'prequential curve from the first pass');
  assert.equal(twice['dssm@3ep']!.prequential, undefined);
  // Two more passes changed the model (and took training time of their own).
  const after = twice['dssm@3ep']!.channels;
  assert.ok(after.u2i && after.i2i && after.u2u, 'every channel measured after the last pass');
  assert.notEqual(after.u2i['recall@20'], once.dssm!.channels.u2i!['recall@20']);
  assert.ok(twice['dssm@3ep']!.trainSeconds! > twice.dssm!.trainSeconds!);
  // The U2I blend each seed served is reported (one of the candidates; auto by default).
  assert.equal(once.dssm!.u2iBlendPerSeed!.length, 1);
  assert.ok([0, 0.25, 0.5, 0.75, 1].includes(once.dssm!.u2iBlendPerSeed![0]!));
});

test('FeatureState.clearHistories drops histories, keeps attributes', () => {
  const state = new FeatureState(5);
  state.observeAttributes({ userId: 'u', itemId: 'i', timestamp: 1, userAttributes: { age: '30' } });
  state.appendInteraction({ userId: 'u', itemId: 'i', timestamp: 1 });
  assert.deepEqual(state.userHistoryKeys('u'), ['i:i']);
  state.clearHistories();
  assert.deepEqual(state.userHistoryKeys('u'), []);
  assert.deepEqual(state.itemHistoryKeys('i'), []);
  assert.deepEqual(state.userAttributeKeys('u'), ['ua:age=30']);
});
