import type { AnnIndex } from '../index/annIndex.js';

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
}

/** Row-major vectors by id (for vectors served without an index of their own). */
export interface VectorTable {
  ids: string[];
  vectors: Float32Array;
  vector(id: string): Float32Array | undefined;
}

export function vectorTable(ids: string[], vectors: Float32Array): VectorTable {
  const dim = ids.length ? vectors.length / ids.length : 0;
  if (!Number.isInteger(dim)) throw new RangeError(`vectorTable: ${vectors.length} values for ${ids.length} ids`);
  const row = new Map(ids.map((id, i) => [id, i]));
  return {
    ids,
    vectors,
    vector(id) {
      const r = row.get(id);
      return r === undefined ? undefined : vectors.subarray(r * dim, (r + 1) * dim);
    },
  };
}
