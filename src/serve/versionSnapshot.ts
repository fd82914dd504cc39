import type { AnnIndex } from '../index/annIndex.js';
import { vectorTable, type IndexSnapshot } from '../index/indexSnapshot.js';
import type { IndexVectors } from '../index/indexVectors.js';
import { cooccurrenceFromData } from '../index/itemNeighbours.js';
import { mergedWeightsFromData } from '../index/mergedRecall.js';
import { priorFromData } from '../index/popularityPrior.js';
import { coconsumptionFromData } from '../index/userNeighbours.js';

/** What a recall server serves from one published version: its snapshot and the users' seen items. */
export interface ServedVersion {
  snapshot: IndexSnapshot;
  seenItems(userId: string): ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The snapshot of a published version (IndexVectors), over indexes of its user and item vectors
 * that the caller built or loaded (the one costly part, kept off the request thread by whoever
 * calls this). The version's creation time is its version number.
 */
export function versionSnapshot(v: IndexVectors, users: AnnIndex, items: AnnIndex): ServedVersion {
  const snapshot: IndexSnapshot = {
    version: v.version,
    createdAt: v.version,
    trainedEvents: v.trainedEvents,
    users,
    items,
    u2iQueries: v.u2iQueries ? vectorTable(v.u2iQueries.ids, v.u2iQueries.vectors) : null,
    generic: v.generic ?? null,
    prior: v.prior ? priorFromData(v.prior) : null,
    cooccurrence: v.cooccurrence ? cooccurrenceFromData(v.cooccurrence) : null,
    coconsumption: v.coconsumption ? coconsumptionFromData(v.coconsumption) : null,
    mergedWeights: v.mergedWeights ? mergedWeightsFromData(v.mergedWeights) : null,
  };
  // Each user's set is made on first use: a swap does no work per user (it would hold up requests).
  const sets = new Map<string, ReadonlySet<string>>();
  const seenItems = (userId: string): ReadonlySet<string> => {
    let set = sets.get(userId);
    if (!set) {
      const items = Object.hasOwn(v.seen, userId) ? v.seen[userId] : undefined;
      if (!items) return EMPTY;
      sets.set(userId, (set = new Set(items)));
    }
    return set;
  };
  return { snapshot, seenItems };
}
