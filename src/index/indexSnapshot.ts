import type { AnnIndex, Neighbor } from './annIndex.js';
import type { CooccurrenceNeighbours } from './itemNeighbours.js';
import type { CoconsumptionSource } from './userNeighbours.js';
import type { GenericItems } from './genericItems.js';

export type { GenericItems };
import { PRIOR_DEPTH, priorCandidates, priorSegment, rankWithPrior, type PopularityPrior, type PriorSegment } from './popularityPrior.js';

/** One immutable published version of the user and item indexes; swapped whole, never mutated. */
export interface IndexSnapshot {
  version: number;
  createdAt: number;
  /** Events trained when the snapshot was built (freshness). */
  trainedEvents: number;
  users: AnnIndex;
  items: AnnIndex;
  /** Weight of the attribute-only user vector in the U2I queries (see u2iBlend.ts); 0 = full vectors. */
  u2iBlend?: number;
  /** U2I query vectors when they differ from the users' index vectors (blend > 0); U2U keeps `users`. */
  u2iQueries?: VectorTable | null;
  /** The generic list a user without a vector gets (its kind, e.g. trending, and the items best first). */
  generic?: GenericItems | null;
  /** The popularity prior of the U2I answers (see popularityPrior.ts); absent = plain cosine. */
  prior?: PopularityPrior | null;
  /** The co-occurrence I2I source fused with the item index's neighbours (see itemNeighbours.ts); absent = the index alone. */
  cooccurrence?: CooccurrenceNeighbours | null;
  /** The co-consumption U2U source fused with the user index's neighbours (see userNeighbours.ts); absent = the index alone. */
  coconsumption?: CoconsumptionSource | null;
  /** Merged recall's fusion weights per user segment, by channel (the learner's choice; see mergedRecall.ts); absent = the configured weights. */
  mergedWeights?: Readonly<Record<PriorSegment, Readonly<Record<string, number>>>> | null;
}

/** The vector a user's U2I query uses: the blended one when the snapshot has them, else the user's index vector. */
export function u2iQueryVector(snap: IndexSnapshot, userId: string): Float32Array | undefined {
  return snap.u2iQueries?.vector(userId) ?? snap.users.vector(userId);
}

/** Row-major vectors by id (for vectors served without an index of their own). */
export interface VectorTable {
  ids: string[];
  vectors: Float32Array;
  vector(id: string): Float32Array | undefined;
}

/** id -> row of `ids`; build it once when several tables share the ids. */
export function rowIndex(ids: readonly string[]): ReadonlyMap<string, number> {
  return new Map(ids.map((id, i) => [id, i]));
}

export function vectorTable(ids: string[], vectors: Float32Array, row: ReadonlyMap<string, number> = rowIndex(ids)): VectorTable {
  const dim = ids.length ? vectors.length / ids.length : 0;
  if (!Number.isInteger(dim)) throw new RangeError(`vectorTable: ${vectors.length} values for ${ids.length} ids`);
  return {
    ids,
    vectors,
    vector(id) {
      const r = row.get(id);
      return r === undefined ? undefined : vectors.subarray(r * dim, (r + 1) * dim);
    },
  };
}

/**
 * The U2I answer of a snapshot: the cosine neighbours, re-ranked by the snapshot's prior at the
 * user's segment weight when it has one above 0.
 */
export function u2iRanking(snap: IndexSnapshot, query: Float32Array, k: number, seen: ReadonlySet<string>): Neighbor[] {
  const prior = snap.prior;
  const beta = prior ? prior.beta[priorSegment(seen.size)] : 0;
  if (!prior || !(beta > 0)) return snap.items.query(query, k, seen);
  return rankWithPrior(priorCandidates(snap.items, query, seen, prior, Math.max(k, PRIOR_DEPTH)), prior, beta, k);
}
