import { ITEM_MASKING_DEFAULTS, USER_MASKING_DEFAULTS } from '../model/views/fieldMasking.js';
/** The ablation ladder of the MIC issue, cumulative from plain DSSM to full MIC. */
export const ABLATIONS = ['dssm', 'bidir', 'next', 'views', 'knn', 'mic'];
export const MIC_DEFAULTS = {
    tasks: {
        temperature: 0.1,
        bidirectional: true,
        i2uWeight: 0.05,
        i2uTrainsUsers: false,
        u2uWeight: 0.05,
        i2iWeight: 0.05,
        contrastiveTemperature: 0.5,
        featureDropout: 0.1,
        extraPositiveWeight: 0.5,
        bceWeight: 0,
        projectionHead: false,
        nextItemWeight: 0.7,
    },
    userMasking: USER_MASKING_DEFAULTS,
    itemMasking: ITEM_MASKING_DEFAULTS,
    knnPositives: 2,
    hardNegatives: 4,
    clusters: 16,
    reclusterEverySteps: 50,
    reclusterLagSteps: 20,
    hardNegativeSample: 64,
    hardNegativeClusters: 2,
    coOccurrencePositives: 0,
    userColdDropout: 0,
    itemColdDropout: 0,
};
/** Options for one rung of the ablation ladder: each rung adds one part to the previous one. */
export function ablation(level, base = MIC_DEFAULTS) {
    const rank = ABLATIONS.indexOf(level);
    return {
        ...base,
        tasks: {
            ...base.tasks,
            bidirectional: rank >= 1 && base.tasks.bidirectional,
            nextItemWeight: rank >= 2 ? base.tasks.nextItemWeight : 0,
            u2uWeight: rank >= 3 ? base.tasks.u2uWeight : 0,
            i2iWeight: rank >= 3 ? base.tasks.i2iWeight : 0,
        },
        knnPositives: rank >= 4 ? base.knnPositives : 0,
        coOccurrencePositives: rank >= 4 ? base.coOccurrencePositives : 0,
        hardNegatives: rank >= 5 ? base.hardNegatives : 0,
    };
}
//# sourceMappingURL=micOptions.js.map