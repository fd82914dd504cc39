/** One scored neighbour: higher `score` is closer (inner product of unit vectors = cosine). */
export interface Neighbor {
  id: string;
  score: number;
}

export interface QueryOptions {
  /**
   * Search effort of approximate indexes (HNSW ef; never below k). Training-time lookups (kNN
   * positives) use a small one: they run once per batch anchor on the training
   * thread and tolerate approximate neighbours; serving keeps the index's configured ef.
   */
  ef?: number;
}

/**
 * One retrieval interface, several backends. Vectors are unit-length Float32Arrays of `dim`.
 * Concurrency: `add` must not run during a `query` or a write; build a new index and swap it in.
 */
export interface AnnIndex {
  readonly dim: number;
  readonly size: number;
  /** Insert or replace the vectors of `ids` (same order). */
  add(ids: readonly string[], vectors: Float32Array): void;
  /** Top-`k` neighbours by score, best first; `exclude` ids are never returned. */
  query(vector: Float32Array, k: number, exclude?: ReadonlySet<string>, options?: QueryOptions): Neighbor[];
  has(id: string): boolean;
  /** The stored vector of `id`, or undefined. Read-only: an index may hand out the same array again. */
  vector(id: string): Float32Array | undefined;
  ids(): string[];
  /** True when results are exact (the test oracle), false for approximate indexes. */
  isExact(): boolean;
}
