import type { HnswOptions } from '../index/hnswIndex.js';
import type { AccidentalHitMode } from '../model/batchBuilder.js';
import type { TowerKind } from '../model/towers.js';
import { DEFAULT_CONFIG, type Config } from '../config/config.js';
import { ablation, type MicOptions } from './micOptions.js';
import type { U2IBlendMode } from './u2iBlend.js';
import type { PriorMode } from './popularityPriorProbe.js';
import type { I2IFusionMode } from './i2iFusionProbe.js';
import type { U2UFusionMode } from './u2uFusionProbe.js';
import { mergedOptionsFromConfig, type MergedRecallOptions } from '../index/mergedRecall.js';

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
  /** Items kept per user as seen (the earliest forgotten beyond it). */
  seenItemsPerUser: number;
  /** Most recent interactions pooled into their own field group. */
  recentLength: number;
  /** Tower architecture (both sides). */
  towerKind: TowerKind;
  /** Expire ids (and attribute values) unused by training for this long in stream time; 0 = never. */
  idExpiryMs: number;
  /** Replayed batches per live step, each as large as the live batch, from the recent window (EventReplay); 0 = off. */
  replayBatches: number;
  /** The window replay draws from: the most recent trained events. */
  replayBufferEvents: number;
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
  /** The popularity prior of U2I answers: 'auto' = beta per user segment by test-then-train checks, a number fixes it, 'off' = none. */
  popularityPrior: PriorMode;
  /** I2I's co-occurrence source: 'auto' = its fusion weight by test-then-train checks, a number fixes it, 'off' = no table. */
  i2iCooccurrence: I2IFusionMode;
  /** Previous items of the user each event is paired with. */
  i2iCooccurrenceWindow: number;
  /** Neighbours kept per item. */
  i2iCooccurrenceKeep: number;
  /** U2U's co-consumption source: 'auto' = its fusion weight by test-then-train checks, a number fixes it, 'off' = no table. */
  u2uCoconsumption: U2UFusionMode;
  /** Latest distinct items per user that meet other users. */
  u2uCoconsumptionWindow: number;
  /** Latest distinct users kept per item. */
  u2uCoconsumptionUsers: number;
  /** Merged recall as configured (what the fusion checks serve with). */
  merged: MergedRecallOptions;
  /** 'auto' = merged recall's I2I and generic-list weights per user segment by test-then-train checks; 'fixed' = as configured. */
  mergedFusion: 'auto' | 'fixed';
}

export type LearnerOverrides = Partial<Omit<LearnerOptions, 'mic' | 'hnsw'>> & {
  mic?: Partial<Omit<MicOptions, 'tasks'>> & { tasks?: Partial<MicOptions['tasks']> };
  hnsw?: Partial<LearnerOptions['hnsw']>;
};

/** Map the flat, validated Config onto learner options: the --model rung, then explicit knobs. */
export function learnerOptionsFromConfig(config: Config): LearnerOverrides {
  const rung = ablation(config.model);
  const pick = <T>(explicit: T | undefined, fallback: T): T => (explicit === undefined ? fallback : explicit);
  return {
    seed: config.seed,
    embeddingDim: config.embeddingDim,
    hiddenDim: config.hiddenDim,
    outputDim: config.outputDim,
    historyLength: config.historyLength,
    sparseLearningRate: config.sparseLearningRate,
    sparseAccumulatorDecay: config.sparseAccumulatorDecay,
    denseLearningRate: config.denseLearningRate,
    logQ: config.logQ,
    logQHalfLifeEvents: config.logQHalfLifeEvents,
    accidentalHits: config.accidentalHits,
    popularityFeature: config.popularityFeature,
    seenItemsPerUser: config.seenItemsPerUser,
    towerKind: config.tower,
    idExpiryMs: config.idExpiryMs,
    replayBatches: config.replayBatches,
    replayBufferEvents: config.replayBufferEvents,
    recentLength: config.recentLength,
    hnsw: { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch, seed: config.seed },
    extrasSearchEf: config.hnswEfExtras,
    indexKind: 'hnsw',
    backgroundIndexBuild: config.indexBuild === 'background',
    extrasWorker: config.extrasWorker,
    u2iUserBlend: config.u2iUserBlend === 'auto' ? 'auto' : Number(config.u2iUserBlend),
    u2iBlendGapMs: config.u2iBlendGapSeconds * 1000,
    u2iBlendEventsPerCheck: config.u2iBlendEventsPerCheck,
    popularityPrior:
      config.popularityPrior === 'auto' || config.popularityPrior === 'off' ? config.popularityPrior : Number(config.popularityPrior),
    i2iCooccurrence:
      config.i2iCooccurrence === 'auto' || config.i2iCooccurrence === 'off' ? config.i2iCooccurrence : Number(config.i2iCooccurrence),
    i2iCooccurrenceWindow: config.i2iCooccurrenceWindow,
    i2iCooccurrenceKeep: config.i2iCooccurrenceKeep,
    u2uCoconsumption:
      config.u2uCoconsumption === 'auto' || config.u2uCoconsumption === 'off' ? config.u2uCoconsumption : Number(config.u2uCoconsumption),
    u2uCoconsumptionWindow: config.u2uCoconsumptionWindow,
    u2uCoconsumptionUsers: config.u2uCoconsumptionUsers,
    merged: mergedOptionsFromConfig(config),
    mergedFusion: config.mergedFusion,
    mic: {
      ...rung,
      tasks: {
        ...rung.tasks,
        temperature: config.temperature,
        i2uWeight: pick(config.i2uWeight, rung.tasks.i2uWeight),
        i2uTrainsUsers: config.i2uTrainsUsers,
        projectionHead: config.projectionHead,
        u2uWeight: pick(config.u2uWeight, rung.tasks.u2uWeight),
        i2iWeight: pick(config.i2iWeight, rung.tasks.i2iWeight),
        nextItemWeight: pick(config.nextItemWeight, rung.tasks.nextItemWeight),
        contrastiveTemperature: pick(config.contrastiveTemperature, rung.tasks.contrastiveTemperature),
        featureDropout: pick(config.featureDropout, rung.tasks.featureDropout),
        extraPositiveWeight: pick(config.extraPositiveWeight, rung.tasks.extraPositiveWeight),
        bceWeight: pick(config.bceWeight, rung.tasks.bceWeight),
      },
      userMasking: {
        id: pick(config.userIdMask, rung.userMasking.id),
        attribute: pick(config.userAttributeMask, rung.userMasking.attribute),
        history: pick(config.userHistoryMask, rung.userMasking.history),
        historyItem: pick(config.userHistoryItemMask, rung.userMasking.historyItem),
      },
      itemMasking: {
        id: pick(config.itemIdMask, rung.itemMasking.id),
        attribute: pick(config.itemAttributeMask, rung.itemMasking.attribute),
        history: pick(config.itemHistoryMask, rung.itemMasking.history),
        historyItem: pick(config.itemHistoryItemMask, rung.itemMasking.historyItem),
      },
      knnPositives: pick(config.knnPositives, rung.knnPositives),
      hardNegatives: pick(config.hardNegatives, rung.hardNegatives),
      clusters: pick(config.clusters, rung.clusters),
      reclusterEverySteps: pick(config.reclusterEverySteps, rung.reclusterEverySteps),
      reclusterLagSteps: config.reclusterLagSteps,
      coOccurrencePositives: pick(config.coOccurrencePositives, rung.coOccurrencePositives),
      userColdDropout: pick(config.userColdDropout, rung.userColdDropout),
      itemColdDropout: pick(config.itemColdDropout, rung.itemColdDropout),
    },
  };
}

/**
 * The library's defaults: the knob table's (src/config/knobs), mapped as for the CLI, so that a
 * learner built in code and `micstream train` start from the same values.
 */
export const LEARNER_DEFAULTS: LearnerOptions = Object.freeze(learnerOptionsFromConfig(DEFAULT_CONFIG) as LearnerOptions);

/**
 * The defaults with `overrides` on top (MIC's tasks and the HNSW settings merged one level down).
 * @throws RangeError for a u2iUserBlend that is neither 'auto' nor in [0, 1].
 */
export function resolveLearnerOptions(overrides: LearnerOverrides = {}): LearnerOptions {
  const micBase = overrides.mic ?? {};
  const o = {
    ...LEARNER_DEFAULTS,
    ...overrides,
    mic: { ...LEARNER_DEFAULTS.mic, ...micBase, tasks: { ...LEARNER_DEFAULTS.mic.tasks, ...micBase.tasks } } as MicOptions,
    // The HNSW graphs are seeded from the learner's seed unless told otherwise (as the CLI does).
    hnsw: { ...LEARNER_DEFAULTS.hnsw, seed: overrides.seed ?? LEARNER_DEFAULTS.hnsw.seed, ...overrides.hnsw },
  } as LearnerOptions;
  if (o.u2iUserBlend !== 'auto' && !(o.u2iUserBlend >= 0 && o.u2iUserBlend <= 1))
    throw new RangeError(`u2iUserBlend must be 'auto' or in [0, 1], got ${o.u2iUserBlend}`);
  return o;
}

/** The sides with a contrastive (U2U / I2I) task: only they use views and snapshot extras. */
export function contrastiveSides(mic: MicOptions): ('user' | 'item')[] {
  return (['user', 'item'] as const).filter((side) => (side === 'user' ? mic.tasks.u2uWeight : mic.tasks.i2iWeight) > 0);
}
