import { DEFAULT_CONFIG } from '../config/config.js';
import { ablation } from './micOptions.js';
import { mergedOptionsFromConfig } from '../index/mergedRecall.js';
/** Map the flat, validated Config onto learner options: the --model rung, then explicit knobs. */
export function learnerOptionsFromConfig(config) {
    const rung = ablation(config.model);
    const pick = (explicit, fallback) => (explicit === undefined ? fallback : explicit);
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
        popularityPrior: config.popularityPrior === 'auto' || config.popularityPrior === 'off' ? config.popularityPrior : Number(config.popularityPrior),
        i2iCooccurrence: config.i2iCooccurrence === 'auto' || config.i2iCooccurrence === 'off' ? config.i2iCooccurrence : Number(config.i2iCooccurrence),
        i2iCooccurrenceWindow: config.i2iCooccurrenceWindow,
        i2iCooccurrenceKeep: config.i2iCooccurrenceKeep,
        u2uCoconsumption: config.u2uCoconsumption === 'auto' || config.u2uCoconsumption === 'off' ? config.u2uCoconsumption : Number(config.u2uCoconsumption),
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
export const LEARNER_DEFAULTS = Object.freeze(learnerOptionsFromConfig(DEFAULT_CONFIG));
/**
 * The defaults with `overrides` on top (MIC's tasks and the HNSW settings merged one level down).
 * @throws RangeError for a u2iUserBlend that is neither 'auto' nor in [0, 1].
 */
export function resolveLearnerOptions(overrides = {}) {
    const micBase = overrides.mic ?? {};
    const o = {
        ...LEARNER_DEFAULTS,
        ...overrides,
        mic: { ...LEARNER_DEFAULTS.mic, ...micBase, tasks: { ...LEARNER_DEFAULTS.mic.tasks, ...micBase.tasks } },
        // The HNSW graphs are seeded from the learner's seed unless told otherwise (as the CLI does).
        hnsw: { ...LEARNER_DEFAULTS.hnsw, seed: overrides.seed ?? LEARNER_DEFAULTS.hnsw.seed, ...overrides.hnsw },
    };
    if (o.u2iUserBlend !== 'auto' && !(o.u2iUserBlend >= 0 && o.u2iUserBlend <= 1))
        throw new RangeError(`u2iUserBlend must be 'auto' or in [0, 1], got ${o.u2iUserBlend}`);
    return o;
}
/** The sides with a contrastive (U2U / I2I) task: only they use views and snapshot extras. */
export function contrastiveSides(mic) {
    return ['user', 'item'].filter((side) => (side === 'user' ? mic.tasks.u2uWeight : mic.tasks.i2iWeight) > 0);
}
//# sourceMappingURL=learnerOptions.js.map