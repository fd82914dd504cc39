import type { HnswOptions } from '../index/hnswIndex.js';
import type { AccidentalHitMode } from '../model/batchBuilder.js';
import type { TowerKind } from '../model/towers.js';
import { MIC_DEFAULTS, type MicOptions } from './micOptions.js';
import type { U2IBlendMode } from './u2iBlend.js';

/** Everything that configures an OnlineLearner (its rooms read their parts of it). */
export interface LearnerOptions {
  seed: number;
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  historyLength: number;
  sparseLearningRate: number;
  /** 1 = Adagrad; < 1 = the per-row accumulator forgets (see EmbeddingStore). */
  sparseAccumulatorDecay: number;
  denseLearningRate: number;
  logQ: boolean;
  logQHalfLifeEvents: number;
  accidentalHits: AccidentalHitMode;
  /**
   * Give the item tower the item's current popularity (log2 bucket of the decayed frequency
   * estimate) as an attribute, so item vectors follow trends between id updates.
   */
  popularityFeature: boolean;
  /** Most recent interactions pooled into their own field group. */
  recentLength: number;
  /** Tower architecture (both sides). */
  towerKind: TowerKind;
  /** Expire ids (and attribute values) unused by training for this long in stream time; 0 = never. */
  idExpiryMs: number;
  mic: MicOptions;
  /** 'hnsw' for serving; 'exact' (brute force) for evaluation oracles and tiny catalogues. */
  indexKind: 'hnsw' | 'exact';
  hnsw: Omit<HnswOptions, 'dim' | 'initialCapacity'>;
  /** HNSW ef of the training-time kNN-positive lookups; 0 = the neighbours wanted. */
  extrasSearchEf: number;
  /** Build HNSW indexes in a worker thread (BackgroundIndexBuilder) instead of on the training thread. */
  backgroundIndexBuild: boolean;
  /**
   * Let `prefetch` compute the kNN positives and hard negatives of upcoming batches in a worker
   * thread (ExtrasPrefetcher) while the current step runs; false = always on the training thread.
   */
  extrasWorker: boolean;
  /**
   * The user vector U2I queries with: unit((1 - a) full + a attribute-only). 'auto' picks a from
   * U2I_BLEND_CANDIDATES by test-then-train checks on returning users' events (U2IBlendSelector);
   * a number fixes it (0 = the full vector). U2U always uses the full vector.
   */
  u2iUserBlend: U2IBlendMode;
  /** A user's event is a returning one (checked by 'auto') when the previous one is at least this old. */
  u2iBlendGapMs: number;
  /**
   * Check budget of 'auto': one returning event per this many trained events (each check costs one
   * index query per candidate), so the evidence per event does not depend on the batch size; 0 = none.
   */
  u2iBlendEventsPerCheck: number;
}

export const LEARNER_DEFAULTS: LearnerOptions = {
  seed: 42,
  embeddingDim: 32,
  hiddenDim: 128,
  outputDim: 32,
  historyLength: 20,
  sparseLearningRate: 0.1,
  sparseAccumulatorDecay: 1,
  denseLearningRate: 0.002,
  logQ: true,
  logQHalfLifeEvents: 2000,
  accidentalHits: 'ignore',
  popularityFeature: false,
  recentLength: 1,
  towerKind: 'dssm',
  idExpiryMs: 0,
  mic: MIC_DEFAULTS,
  indexKind: 'hnsw',
  hnsw: { m: 16, efConstruction: 100, efSearch: 100, seed: 100 },
  extrasSearchEf: 0,
  backgroundIndexBuild: false,
  extrasWorker: true,
  u2iUserBlend: 'auto',
  u2iBlendGapMs: 3_600_000,
  u2iBlendEventsPerCheck: 128,
};

export type LearnerOverrides = Partial<Omit<LearnerOptions, 'mic' | 'hnsw'>> & {
  mic?: Partial<Omit<MicOptions, 'tasks'>> & { tasks?: Partial<MicOptions['tasks']> };
  hnsw?: Partial<LearnerOptions['hnsw']>;
};

/**
 * The defaults with `overrides` on top (MIC's tasks and the HNSW settings merged one level down).
 * @throws RangeError for a u2iUserBlend that is neither 'auto' nor in [0, 1].
 */
export function resolveLearnerOptions(overrides: LearnerOverrides = {}): LearnerOptions {
  const micBase = overrides.mic ?? {};
  const o = {
    ...LEARNER_DEFAULTS,
    ...overrides,
    mic: { ...MIC_DEFAULTS, ...micBase, tasks: { ...MIC_DEFAULTS.tasks, ...micBase.tasks } } as MicOptions,
    hnsw: { ...LEARNER_DEFAULTS.hnsw, ...overrides.hnsw },
  } as LearnerOptions;
  if (o.u2iUserBlend !== 'auto' && !(o.u2iUserBlend >= 0 && o.u2iUserBlend <= 1))
    throw new RangeError(`u2iUserBlend must be 'auto' or in [0, 1], got ${o.u2iUserBlend}`);
  return o;
}

/** The sides with a contrastive (U2U / I2I) task: only they use views and snapshot extras. */
export function contrastiveSides(mic: MicOptions): ('user' | 'item')[] {
  return (['user', 'item'] as const).filter((side) => (side === 'user' ? mic.tasks.u2uWeight : mic.tasks.i2iWeight) > 0);
}
