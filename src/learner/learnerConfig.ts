import type { Config } from '../config/config.js';
import { ablation } from './micOptions.js';
import type { LearnerOverrides } from './onlineLearner.js';

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
    towerKind: config.tower,
    idExpiryMs: config.idExpiryMs,
    recentLength: config.recentLength,
    hnsw: { m: config.hnswM, efConstruction: config.hnswEfConstruction, efSearch: config.hnswEfSearch, seed: config.seed },
    extrasSearchEf: config.hnswEfExtras,
    backgroundIndexBuild: config.indexBuild === 'background',
    extrasWorker: config.extrasWorker,
    u2iUserBlend: config.u2iUserBlend === 'auto' ? 'auto' : Number(config.u2iUserBlend),
    u2iBlendGapMs: config.u2iBlendGapSeconds * 1000,
    u2iBlendEventsPerCheck: config.u2iBlendEventsPerCheck,
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
