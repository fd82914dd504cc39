import type { AnnIndex, Neighbor } from './annIndex.js';
import { IndexError } from '../errors.js';

/** Exact inner-product search over all vectors: the oracle for HNSW recall, and fine for small catalogues. */
export class BruteForceIndex implements AnnIndex {
  readonly dim: number;
  private data: Float32Array;
  private readonly idList: string[] = [];
  private readonly rowOf = new Map<string, number>();

  constructor(dim: number, initialCapacity = 1024) {
    this.dim = dim;
    this.data = new Float32Array(Math.max(1, initialCapacity) * dim);
  }

  get size(): number {
    return this.idList.length;
  }

  add(ids: readonly string[], vectors: Float32Array): void {
    if (vectors.length !== ids.length * this.dim)
      throw new IndexError(`expected ${ids.length * this.dim} floats for ${ids.length} vectors, got ${vectors.length}`);
    ids.forEach((id, n) => {
      let row = this.rowOf.get(id);
      if (row === undefined) {
        row = this.idList.length;
        if ((row + 1) * this.dim > this.data.length) {
          const grown = new Float32Array(this.data.length * 2);
          grown.set(this.data);
          this.data = grown;
        }
        this.idList.push(id);
        this.rowOf.set(id, row);
      }
      this.data.set(vectors.subarray(n * this.dim, (n + 1) * this.dim), row * this.dim);
    });
  }

  query(vector: Float32Array, k: number, exclude?: ReadonlySet<string>): Neighbor[] {
    const scored: Neighbor[] = [];
    for (let r = 0; r < this.idList.length; r++) {
      const id = this.idList[r]!;
      if (exclude?.has(id)) continue;
      let s = 0;
      const off = r * this.dim;
      for (let j = 0; j < this.dim; j++) s += this.data[off + j]! * vector[j]!;
      scored.push({ id, score: s });
    }
    // Ties broken by id so that results are deterministic.
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return scored.slice(0, Math.max(0, k));
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  vector(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    return row === undefined ? undefined : this.data.slice(row * this.dim, (row + 1) * this.dim);
  }

  ids(): string[] {
    return [...this.idList];
  }

  isExact(): boolean {
    return true;
  }
}
