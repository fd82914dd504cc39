import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { runEvaluation } from '../src/eval/evalHarness.js';
import { aggregate } from '../src/eval/report.js';
import { loadConfig } from '../src/config/config.js';
import { ML100K } from './helpers/datasets.js';

test('protocol check on ml-100k: the harness reproduces the independent reference numbers within ±0.003', async (t) => {
  const events = loadDataset(ML100K).events;
  const { config } = loadConfig({ argv: [], env: {} });
  const { data, runs } = await runEvaluation(events, { trainFraction: 0.8, seeds: [1], models: ['pop', 'pop_recent', 'itemknn', 'itemcf_i2i', 'usercf_u2u'], recentWindow: 5000, config });
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
