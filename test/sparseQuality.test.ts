import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { runEvaluation } from '../src/eval/evalHarness.js';
import { aggregate } from '../src/eval/report.js';
import { loadConfig } from '../src/config/config.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { SHARED_DATASETS } from './helpers/datasets.js';
import { useTestBackend } from './helpers/backend.js';

/**
 * The quality issue's check on the two sparse shared datasets (no attributes, long tail), on the
 * backend CI runs (wasm), shortened to fit the suite: the first `fraction` of the events in time
 * order, then the protocol of docs/EVALUATION.md (temporal 80/20, one streaming pass, seed 42)
 * with the default knobs. A learner that stops learning on sparse streams (replay off, plain DSSM
 * towers: about 0.4x ItemKNN before session 12) fails these by far.
 */
function firstFraction(events: readonly InteractionEvent[], fraction: number): InteractionEvent[] {
  const sorted = events
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].timestamp - b[0].timestamp || a[1] - b[1])
    .map(([e]) => e);
  return sorted.slice(0, Math.floor(sorted.length * fraction));
}

async function measure(name: string, fraction: number) {
  await useTestBackend();
  const events = firstFraction(loadDataset(`${SHARED_DATASETS}/${name}`).events, fraction);
  const { config } = loadConfig({ argv: [], env: {} });
  const { runs } = await runEvaluation(events, {
    trainFraction: 0.8,
    seeds: [42],
    models: ['pop', 'itemknn', 'itemcf_i2i', 'pop_stream', 'itemknn_stream', config.model],
    recentWindow: 5000,
    config,
  });
  const m = aggregate(runs);
  const learned = m[config.model]!.channels;
  return {
    learned: {
      u2i: learned.u2i!['recall@20']!,
      warm: learned.u2i!['recall@20/warm']!,
      cold: learned.u2i!['recall@20/cold']!,
      merged: learned.merged!['recall@20']!,
      i2i: learned.i2i!['hr@20']!,
      prequentialI2I: learned.prequential!['i2i/hr']!,
    },
    // The best streaming baseline of the prequential I2I question (the window's top items, or co-occurrence with the previous item).
    streamingI2I: Math.max(m.pop_stream!.channels.prequential!['i2i/hr']!, m.itemknn_stream!.channels.prequential!['i2i/hr']!),
    itemknn: { u2i: m.itemknn!.channels.u2i!['recall@20']!, warm: m.itemknn!.channels.u2i!['recall@20/warm']! },
    itemcf: m.itemcf_i2i!.channels.i2i!['hr@20']!,
    popCold: m.pop!.channels.u2i!['recall@20/cold']!,
  };
}

test(
  'amazon-beauty (first 40% of the events): the default model beats ItemKNN on U2I (all, warm, merged); I2I beats Item-CF and streaming baselines',
  { timeout: 300000 },
  async (t) => {
    const r = await measure('amazon-beauty', 0.4);
    t.diagnostic(JSON.stringify(r));
    // wasm, seeds 42-44, the default rung (`knn` since session 23): U2I 0.0440-0.0458 vs ItemKNN
    // 0.0218; warm 0.0581-0.0607 vs 0.0251; merged 0.0415-0.0427; I2I 0.0761-0.0796 vs Item-CF 0.0652
    // (`mic`, the default before: U2I 0.0417-0.0462, I2I 0.0623-0.0751). Not asserted: cold users, 0.0076 against
    // popularity's 0.0135 on this cut (the generic-list choice serves trending here; the full dataset
    // gets popular, 0.0276 = the best cold baseline) — open in the quality issue.
    assert.ok(r.learned.u2i >= 1.5 * r.itemknn.u2i, `U2I ${r.learned.u2i} < 1.5x ItemKNN ${r.itemknn.u2i}`);
    assert.ok(r.learned.warm >= 1.6 * r.itemknn.warm, `warm U2I ${r.learned.warm} < 1.6x ItemKNN ${r.itemknn.warm}`);
    assert.ok(r.learned.merged >= 1.5 * r.itemknn.u2i, `merged ${r.learned.merged} < 1.5x ItemKNN ${r.itemknn.u2i}`);
    assert.ok(r.learned.i2i >= 1.05 * r.itemcf, `I2I ${r.learned.i2i} < 1.05x Item-CF ${r.itemcf}`);
    // Session 26 fused the generic list into I2I (weight chosen by the learner, 0.5 here): held-out I2I
    // 0.0771 / 0.0749 (seeds 42 / 43; 1.18x / 1.15x Item-CF), prequential I2I 0.1138 / 0.1093 against the
    // best streaming baseline (pop_stream) 0.0964 / 0.0908 (1.18x / 1.20x); without the generic term the
    // learner's prequential I2I was 0.0700 (seed 42), under pop_stream.
    assert.ok(
      r.learned.prequentialI2I >= 1.1 * r.streamingI2I,
      `prequential I2I ${r.learned.prequentialI2I} < 1.1x the best streaming baseline ${r.streamingI2I}`,
    );
  },
);

test(
  'yelp-2019 (first 30% of the events): the default beats ItemKNN on U2I (all, warm, merged), Item-CF and streaming baselines on I2I; cold get popularity',
  { timeout: 300000 },
  async (t) => {
    const r = await measure('yelp-2019', 0.3);
    t.diagnostic(JSON.stringify(r));
    // wasm, seeds 42-44, the default rung (`knn`): U2I 0.0318-0.0324 vs ItemKNN 0.0198; warm
    // 0.0339-0.0347 vs 0.0180; merged 0.0319-0.0326; I2I 0.0214-0.0223 vs Item-CF 0.0174; cold 0.0255 vs
    // popularity's 0.0251 (`mic`: U2I 0.0314-0.0322, I2I 0.0218-0.0236).
    assert.ok(r.learned.u2i >= 1.4 * r.itemknn.u2i, `U2I ${r.learned.u2i} < 1.4x ItemKNN ${r.itemknn.u2i}`);
    assert.ok(r.learned.warm >= 1.6 * r.itemknn.warm, `warm U2I ${r.learned.warm} < 1.6x ItemKNN ${r.itemknn.warm}`);
    assert.ok(r.learned.merged >= 1.4 * r.itemknn.u2i, `merged ${r.learned.merged} < 1.4x ItemKNN ${r.itemknn.u2i}`);
    // Session 26 (the generic list fused into I2I, weight 0.25 / 0.5 chosen): I2I 0.0248 / 0.0263 (seeds
    // 42 / 43; 1.42x / 1.51x Item-CF); prequential I2I 0.0280 / 0.0290 against itemknn_stream 0.0244 / 0.0230.
    assert.ok(r.learned.i2i >= 1.3 * r.itemcf, `I2I ${r.learned.i2i} < 1.3x Item-CF ${r.itemcf}`);
    assert.ok(
      r.learned.prequentialI2I >= 1.05 * r.streamingI2I,
      `prequential I2I ${r.learned.prequentialI2I} < 1.05x the best streaming baseline ${r.streamingI2I}`,
    );
    assert.ok(r.learned.cold >= r.popCold - 1e-9, `cold U2I ${r.learned.cold} below popularity ${r.popCold}`);
  },
);
