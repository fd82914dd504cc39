import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { IndexError } from '../errors.js';
export const HNSW_DEFAULTS = { m: 16, efConstruction: 100, efSearch: 100, seed: 100, initialCapacity: 1024 };
/**
 * HNSW over inner product (hnswlib-node), hiding the raw binding: string ids mapped to numeric
 * labels, capacity grown before it runs out, Float32Array in and out, scores (1 - distance) out,
 * binding errors converted to IndexError (MICSTREAM_ERR_INDEX).
 * Concurrency: `add` is not safe during `query`; the learner builds a fresh index and swaps it.
 */
/** Vectors `vector` keeps at most (dim 64: 1 MiB). */
const VECTOR_CACHE_ENTRIES = 4096;
export class HnswIndex {
    dim;
    /** The options it was built with (what a copy loaded elsewhere needs). */
    options;
    index;
    capacity;
    idOfLabel = [];
    labelOf = new Map();
    /**
     * Vectors read back lately, by label: hnswlib's getPoint copies through a JS array on every call,
     * and the prior's trending candidates are read back on every U2I query. Emptied when full.
     */
    vectorCache = new Map();
    constructor(options) {
        this.options = { ...HNSW_DEFAULTS, ...options };
        this.dim = this.options.dim;
        this.capacity = Math.max(16, this.options.initialCapacity);
        try {
            this.index = new hnswlib.HierarchicalNSW('ip', this.dim);
            this.index.initIndex({
                maxElements: this.capacity,
                m: this.options.m,
                efConstruction: this.options.efConstruction,
                randomSeed: this.options.seed,
                allowReplaceDeleted: false,
            });
            this.index.setEf(this.options.efSearch);
        }
        catch (err) {
            throw new IndexError('could not create the HNSW index', err);
        }
    }
    get size() {
        return this.idOfLabel.length;
    }
    /** Write the graph to `path` (hnswlib's format; the id mapping is the caller's: `ids()` in label order). */
    save(path) {
        try {
            this.index.writeIndexSync(path);
        }
        catch (err) {
            throw new IndexError(`could not write the HNSW index to ${path}`, err);
        }
    }
    /** `save` on the libuv thread pool (queries may run meanwhile: writing only reads the graph). */
    async saveAsync(path) {
        try {
            await this.index.writeIndex(path);
        }
        catch (err) {
            throw new IndexError(`could not write the HNSW index to ${path}`, err);
        }
    }
    /**
     * An index written by `save`, with `ids` in label order. hnswlib reads the file on the libuv
     * thread pool, so the event loop (and training) keeps running meanwhile.
     */
    static async load(path, ids, options) {
        const out = new HnswIndex({ ...options, initialCapacity: 16 });
        try {
            await out.index.readIndex(path);
        }
        catch (err) {
            throw new IndexError(`could not read the HNSW index from ${path}`, err);
        }
        return out.adopt(path, ids);
    }
    /**
     * `load` on the calling thread. For worker threads: a worker terminated while hnswlib reads on
     * its libuv pool aborts the whole process (the completion throws into a torn-down environment).
     */
    static loadSync(path, ids, options) {
        const out = new HnswIndex({ ...options, initialCapacity: 16 });
        try {
            out.index.readIndexSync(path);
        }
        catch (err) {
            throw new IndexError(`could not read the HNSW index from ${path}`, err);
        }
        return out.adopt(path, ids);
    }
    /** The graph as bytes (hnswlib's file format, through a temporary file): for checkpoints. */
    async toBytes() {
        const dir = await mkdtemp(join(tmpdir(), 'micstream-hnsw-'));
        try {
            await this.saveAsync(join(dir, 'graph.bin'));
            return await readFile(join(dir, 'graph.bin'));
        }
        finally {
            await rm(dir, { recursive: true, force: true });
        }
    }
    /** An index from `toBytes`'s bytes, with `ids` in label order. */
    static async fromBytes(bytes, ids, options) {
        const dir = await mkdtemp(join(tmpdir(), 'micstream-hnsw-'));
        try {
            await writeFile(join(dir, 'graph.bin'), bytes);
            return await HnswIndex.load(join(dir, 'graph.bin'), ids, options);
        }
        finally {
            await rm(dir, { recursive: true, force: true });
        }
    }
    adopt(path, ids) {
        this.index.setEf(this.options.efSearch);
        if (this.index.getCurrentCount() !== ids.length)
            throw new IndexError(`index file ${path} holds ${this.index.getCurrentCount()} vectors, expected ${ids.length}`);
        this.capacity = this.index.getMaxElements();
        ids.forEach((id, label) => {
            this.idOfLabel.push(id);
            this.labelOf.set(id, label);
        });
        return this;
    }
    add(ids, vectors) {
        if (vectors.length !== ids.length * this.dim)
            throw new IndexError(`expected ${ids.length * this.dim} floats for ${ids.length} vectors, got ${vectors.length}`);
        const needed = this.idOfLabel.length + ids.filter((id) => !this.labelOf.has(id)).length;
        if (needed > this.capacity) {
            let next = this.capacity;
            while (next < needed)
                next *= 2;
            try {
                this.index.resizeIndex(next);
            }
            catch (err) {
                throw new IndexError(`could not grow the HNSW index to ${next}`, err);
            }
            this.capacity = next;
        }
        ids.forEach((id, n) => {
            let label = this.labelOf.get(id);
            if (label === undefined) {
                label = this.idOfLabel.length;
                this.idOfLabel.push(id);
                this.labelOf.set(id, label);
            }
            this.vectorCache.delete(label);
            try {
                // hnswlib replaces the vector of an existing label in place.
                this.index.addPoint(Array.from(vectors.subarray(n * this.dim, (n + 1) * this.dim)), label);
            }
            catch (err) {
                throw new IndexError(`could not add "${id}" to the HNSW index`, err);
            }
        });
    }
    query(vector, k, exclude, options) {
        const count = this.idOfLabel.length;
        if (count === 0 || k <= 0)
            return [];
        const want = Math.min(k, count);
        const filter = exclude && exclude.size > 0 ? (label) => !exclude.has(this.idOfLabel[label]) : undefined;
        const ef = Math.max(want, options?.ef ?? this.options.efSearch);
        if (ef !== this.options.efSearch)
            this.index.setEf(ef);
        let result;
        try {
            result = this.index.searchKnn(Array.from(vector), want, filter);
        }
        catch (err) {
            throw new IndexError('HNSW query failed', err);
        }
        finally {
            if (ef !== this.options.efSearch)
                this.index.setEf(this.options.efSearch);
        }
        return result.neighbors.map((label, i) => ({ id: this.idOfLabel[label], score: 1 - result.distances[i] }));
    }
    has(id) {
        return this.labelOf.has(id);
    }
    vector(id) {
        const label = this.labelOf.get(id);
        if (label === undefined)
            return undefined;
        let v = this.vectorCache.get(label);
        if (!v) {
            v = Float32Array.from(this.index.getPoint(label));
            if (this.vectorCache.size >= VECTOR_CACHE_ENTRIES)
                this.vectorCache.clear();
            this.vectorCache.set(label, v);
        }
        return v;
    }
    ids() {
        return [...this.idOfLabel];
    }
    isExact() {
        return false;
    }
}
//# sourceMappingURL=hnswIndex.js.map