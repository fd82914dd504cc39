import type { AnnIndex, Neighbor } from '../index/annIndex.js';
import type { ExtraVectors } from '../model/batchBuilder.js';
import { buildNegativePools, clusterHardNegatives, type NegativePools } from './hardNegatives.js';
import { vectorTable, type VectorTable } from '../index/indexSnapshot.js';

/**
 * The snapshot-derived extras of MIC's U2U / I2I tasks (kNN positives, cluster hard negatives) as
 * pure functions of (anchor ids, one side of a snapshot, one clustering). The training thread runs
 * them inline, and the extras worker runs the very same code one batch ahead; both give identical
 * vectors, so where they ran does not change training.
 */

/** The vectors of one side of a snapshot, by id, without going through the index binding. */
export interface EncodedSide extends VectorTable {
  /** Memo of this snapshot's neighbour searches (search width k, results). */
  neighbours: Map<string, { k: number; list: Neighbor[] }>;
}

export function encodedSide(ids: string[], vectors: Float32Array, row?: ReadonlyMap<string, number>): EncodedSide {
  return { ...vectorTable(ids, vectors, row), neighbours: new Map() };
}

/** What one side's extras are made of (MicOptions plus the training-time search effort). */
export interface SideExtrasOptions {
  knnPositives: number;
  /** HNSW ef of the kNN lookups; 0 = the neighbours wanted. */
  searchEf: number;
  hardNegatives: number;
  hardNegativeClusters: number;
}

export interface SideExtras {
  positives: ExtraVectors | null;
  negatives: ExtraVectors | null;
}

/** One clustering of a side, with the seed and sample size of its hard-negative pools. */
export interface PoolSpec {
  version: number;
  clusterOf: ReadonlyMap<string, number>;
  k: number;
  sample: number;
  seed: number;
}

/**
 * Hard-negative pools for a (clustering, snapshot) pair, rebuilt only when either changes: pools
 * carry the per-anchor memo of chosen negatives, which is valid for exactly that pair.
 */
export class PoolCache {
  private cached: { spec: PoolSpec; vectors: EncodedSide; pools: NegativePools } | null = null;

  pools(spec: PoolSpec, vectors: EncodedSide, dim: number): NegativePools {
    const c = this.cached;
    if (c && c.spec === spec && c.vectors === vectors) return c.pools;
    const pools = buildNegativePools(spec.clusterOf, spec.k, vectors, dim, spec.sample, spec.seed);
    this.cached = { spec, vectors, pools };
    return pools;
  }
}

export function sideExtras(
  ids: readonly string[],
  index: AnnIndex,
  vectors: EncodedSide,
  dim: number,
  pools: NegativePools | null,
  o: SideExtrasOptions,
): SideExtras {
  return {
    positives: o.knnPositives > 0 ? knnPositives(ids, index, vectors, dim, o.knnPositives, o.searchEf) : null,
    negatives: pools && o.hardNegatives > 0 ? clusterHardNegatives(ids, vectors, pools, o.hardNegatives, o.hardNegativeClusters) : null,
  };
}

/**
 * kNN positives: each anchor's k nearest neighbours in the snapshot's index. Anchors not yet in
 * the index get masked-out slots.
 */
export function knnPositives(
  ids: readonly string[],
  index: AnnIndex,
  vectors: EncodedSide,
  dim: number,
  k: number,
  ef: number,
): ExtraVectors {
  const positives: ExtraVectors = {
    perAnchor: k,
    dim,
    data: new Float32Array(ids.length * k * dim),
    mask: new Float32Array(ids.length * k),
  };
  ids.forEach((id, a) => {
    const v = vectors.vector(id);
    if (!v) return;
    // The snapshot is immutable, so an anchor's neighbours are fixed until the next refresh; popular
    // anchors recur in most batches, and the memo turns their repeated HNSW searches into lookups.
    let found = vectors.neighbours.get(id);
    if (!found || found.k < k) {
      // One extra result instead of an exclusion filter: hnswlib calls a JS filter per visited node.
      found = {
        k,
        list: index
          .query(v, k + 1, undefined, { ef: ef > 0 ? ef : k + 1 })
          .filter((nb) => nb.id !== id)
          .slice(0, k),
      };
      vectors.neighbours.set(id, found);
    }
    found.list.slice(0, k).forEach((nb, slot) => {
      positives.data.set(vectors.vector(nb.id)!, (a * k + slot) * dim);
      positives.mask[a * k + slot] = 1;
    });
  });
  return positives;
}

/** The distinct users and items of a batch in order of first appearance (the batch's anchor order). */
export function batchAnchors(events: readonly { userId: string; itemId: string }[]): { userIds: string[]; itemIds: string[] } {
  const users = new Set<string>();
  const items = new Set<string>();
  for (const e of events) {
    users.add(e.userId);
    items.add(e.itemId);
  }
  return { userIds: [...users], itemIds: [...items] };
}
