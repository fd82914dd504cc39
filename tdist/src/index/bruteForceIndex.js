import { IndexError } from '../errors.js';
/** Exact inner-product search over all vectors: the oracle for HNSW recall, and fine for small catalogues. */
export class BruteForceIndex {
    dim;
    data;
    idList = [];
    rowOf = new Map();
    constructor(dim, initialCapacity = 1024) {
        this.dim = dim;
        this.data = new Float32Array(Math.max(1, initialCapacity) * dim);
    }
    get size() {
        return this.idList.length;
    }
    add(ids, vectors) {
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
    query(vector, k, exclude) {
        const scored = [];
        for (let r = 0; r < this.idList.length; r++) {
            const id = this.idList[r];
            if (exclude?.has(id))
                continue;
            let s = 0;
            const off = r * this.dim;
            for (let j = 0; j < this.dim; j++)
                s += this.data[off + j] * vector[j];
            scored.push({ id, score: s });
        }
        // Ties broken by id so that results are deterministic.
        scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        return scored.slice(0, Math.max(0, k));
    }
    has(id) {
        return this.rowOf.has(id);
    }
    vector(id) {
        const row = this.rowOf.get(id);
        return row === undefined ? undefined : this.data.slice(row * this.dim, (row + 1) * this.dim);
    }
    ids() {
        return [...this.idList];
    }
    isExact() {
        return true;
    }
}
//# sourceMappingURL=bruteForceIndex.js.map