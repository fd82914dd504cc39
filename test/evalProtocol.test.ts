import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { runEvaluation } from '../src/eval/evalHarness.js';
import { aggregate } from '../src/eval/report.js';
import { loadConfig } from '../src/config/config.js';
import { ML100K } from './helpers/datasets.js';
import { useTestBackend } from './helpers/backend.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { FeatureState } from '../src/model/featureState.js';

test('protocol check on ml-100k: the harness reproduces the independent reference numbers within ±0.003', async (t) => {
  const events = loadDataset(ML100K).events;
  const { config } = loadConfig({ argv: [], env: {} });
  const { data, runs } = await runEvaluation(events, {
    trainFraction: 0.8,
    seeds: [1],
    models: ['pop', 'pop_recent', 'itemknn', 'itemcf_i2i', 'usercf_u2u'],
    recentWindow: 5000,
    config,
  });
  assert.equal(data.train.length, 80000);
  assert.equal(data.testUsers, 301);
  assert.equal(data.coldTestUsers, 192);
  assert.equal(data.testPairs, 19699);
  const m = aggregate(runs);
  const near = (got: number | undefined, want: number, what: string) => {
    t.diagnostic(`${what}: ${got?.toFixed(4)} (reference ${want})`);
    assert.ok(got !== undefined && Math.abs(got - want) <= 0.003, `${what}: ${got} vs reference ${want}`);
  };
  near(m.pop!.channels.u2i!['recall@20'], 0.123, 'pop U2I Recall@20');
  near(m.pop_recent!.channels.u2i!['recall@20'], 0.183, 'pop_recent U2I Recall@20');
  near(m.pop_recent!.channels.u2i!['recall@20/warm'], 0.238, 'pop_recent warm');
  near(m.pop_recent!.channels.u2i!['recall@20/cold'], 0.152, 'pop_recent cold');
  near(m.itemknn!.channels.u2i!['recall@20'], 0.103, 'itemknn U2I Recall@20');
  near(m.itemcf_i2i!.channels.i2i!['hr@20'], 0.178, 'itemcf I2I HR@20');
  near(m.usercf_u2u!.channels.u2u!['recall@20'], 0.114, 'usercf U2U Recall@20');
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
  assert.ok(twice.dssm!.prequential && twice.dssm!.prequential.length > 0, 'prequential curve from the first pass');
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
