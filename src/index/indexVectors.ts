import type { GenericItemsData } from './genericItems.js';
import type { CooccurrenceData } from './itemNeighbours.js';
import type { CoconsumptionData } from './userNeighbours.js';
import type { PopularityPriorData } from './popularityPrior.js';

/** The content of one index version: what the learner publishes and what a reader assembles. */
export interface IndexVectors {
  /** Monotonic across learner restarts (the snapshot's creation time in ms). */
  version: number;
  trainedEvents: number;
  dim: number;
  users: { ids: string[]; vectors: Float32Array };
  items: { ids: string[]; vectors: Float32Array };
  /** Items each user interacted with (U2I excludes them at the recall servers too). */
  seen: Record<string, string[]>;
  /** U2I query vectors (blend of full and attribute-only user vectors) when they differ from `users`. */
  u2iQueries?: { ids: string[]; vectors: Float32Array };
  /** The generic list for users without a vector (trending or popular items, best first), and the one for returning users (GenericItems). */
  generic?: GenericItemsData;
  /** The popularity prior of U2I answers (betas per segment, item log-frequencies, trending candidates). */
  prior?: PopularityPriorData;
  /** The co-occurrence I2I neighbours and their fusion weight. */
  cooccurrence?: CooccurrenceData;
  /** The co-consumption U2U table and its fusion weight. */
  coconsumption?: CoconsumptionData;
  /** Merged recall's weights per user segment and channel (the learner's choice). */
  mergedWeights?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * The epoch of the learner that wrote it (its start time, above any epoch it restored): recall
   * servers take versions from the newest writer only. Absent: an older learner (epoch 0).
   */
  writerEpoch?: number;
}
