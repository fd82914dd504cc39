import { ITEM_MASKING_DEFAULTS, USER_MASKING_DEFAULTS, type MaskingOptions } from '../model/views/fieldMasking.js';
import type { TaskOptions } from '../model/tasks/taskList.js';

/** MIC's parts beyond the losses: views, kNN positives, cluster hard negatives. */
export interface MicOptions {
  tasks: TaskOptions;
  userMasking: MaskingOptions;
  itemMasking: MaskingOptions;
  /** kNN positives per anchor, from the live index (0 = off). */
  knnPositives: number;
  /** Cluster hard negatives per anchor (0 = off). */
  hardNegatives: number;
  /** k of k-means++. */
  clusters: number;
  /** Re-cluster every this many steps (and when the drift detector fires). */
  reclusterEverySteps: number;
  /** The background clustering started at step s is applied at step s + lag (deterministic). */
  reclusterLagSteps: number;
  /** Members sampled per cluster (at each re-clustering) as hard-negative candidates. */
  hardNegativeSample: number;
  /** Other clusters searched per anchor for hard negatives: those whose centroids are nearest. */
  hardNegativeClusters: number;
  /** Probability of presenting a user / item of a U2I example as cold: id and sequence dropped (0 = off). */
  userColdDropout: number;
  itemColdDropout: number;
  /** Item side: the user's most recent previous items as extra positives of the event's item (0 = off). */
  coOccurrencePositives: number;
}

/** The ablation ladder of the MIC issue, cumulative from plain DSSM to full MIC. */
export const ABLATIONS = ['dssm', 'bidir', 'next', 'views', 'knn', 'mic'] as const;
export type Ablation = (typeof ABLATIONS)[number];

export const MIC_DEFAULTS: MicOptions = {
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
export function ablation(level: Ablation, base: MicOptions = MIC_DEFAULTS): MicOptions {
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
