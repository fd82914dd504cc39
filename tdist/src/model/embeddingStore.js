import { hashString, Rng } from '../util/random.js';
export const EMBEDDING_STORE_DEFAULTS = {
    initStd: 0.05,
    learningRate: 0.05,
    initialAccumulator: 0.1,
    initialCapacity: 4096,
    accumulatorDecay: 1,
};
/**
 * Sparse embedding table: string key -> row, for user ids, item ids and attribute values alike.
 * Rows are created on first use while streaming; each has its own Adagrad accumulator, so a step
 * reads and updates only the rows of its batch and never a dense gradient of the whole table.
 * A new row's initial value depends only on (key, seed), not on arrival order.
 * Not safe for concurrent steps: the trainer serialises them.
 */
export class EmbeddingStore {
    dim;
    options;
    values;
    accumulators;
    rows = new Map();
    /** Key of each row; '' for a free row (expired, waiting for reuse). */
    keys = [];
    freeRows = [];
    /** Stream time (ms) at which each row was last used by a training step. */
    lastUsed = new Float64Array(0);
    clock = 0;
    constructor(options) {
        this.options = { ...EMBEDDING_STORE_DEFAULTS, ...options };
        this.dim = this.options.dim;
        const capacity = Math.max(16, this.options.initialCapacity);
        this.values = new Float32Array(capacity * this.dim);
        this.accumulators = new Float32Array(capacity * this.dim);
        this.lastUsed = new Float64Array(capacity);
    }
    get size() {
        return this.rows.size;
    }
    stampUses = true;
    /** Run `fn` without stamping the existing rows it uses (replayed batches: a row only replay touches still expires). */
    async unstamped(fn) {
        this.stampUses = false;
        try {
            return await fn();
        }
        finally {
            this.stampUses = true;
        }
    }
    /** Advance the store's notion of stream time (ms); rows used by the next gathers are stamped with it. */
    setClock(timeMs) {
        if (timeMs > this.clock)
            this.clock = timeMs;
    }
    /** Bytes held per row: value + accumulator (float32 each), plus the key map entry estimate. */
    get bytesPerRow() {
        return this.dim * 8 + 64;
    }
    /** Approximate bytes held by the rows in use (not the reserved capacity). */
    get memoryBytes() {
        let keyBytes = 0;
        for (const k of this.rows.keys())
            keyBytes += 2 * k.length;
        return this.rows.size * this.bytesPerRow + keyBytes;
    }
    has(key) {
        return this.rows.has(key);
    }
    /** Row index of `key`, creating (and initialising) it when `create`; -1 when absent. */
    rowOf(key, create) {
        const existing = this.rows.get(key);
        if (existing !== undefined) {
            if (create && this.stampUses)
                this.lastUsed[existing] = this.clock;
            return existing;
        }
        if (!create)
            return -1;
        const reused = this.freeRows.pop();
        const row = reused ?? this.keys.length;
        if ((row + 1) * this.dim > this.values.length)
            this.grow();
        const rng = new Rng(hashString(key, this.options.seed));
        const off = row * this.dim;
        for (let j = 0; j < this.dim; j++) {
            this.values[off + j] = rng.normal() * this.options.initStd;
            this.accumulators[off + j] = this.options.initialAccumulator;
        }
        this.rows.set(key, row);
        if (reused === undefined)
            this.keys.push(key);
        else
            this.keys[row] = key;
        this.lastUsed[row] = this.clock;
        return row;
    }
    /**
     * Remove rows not used by training since `olderThanMs` (stream time); their slots are reused by
     * new keys. @returns the removed keys (so that callers can drop state tied to them).
     */
    expire(olderThanMs, keep = () => false) {
        const removed = [];
        for (const [key, row] of this.rows) {
            if (this.lastUsed[row] >= olderThanMs || keep(key))
                continue;
            this.rows.delete(key);
            this.keys[row] = '';
            this.freeRows.push(row);
            removed.push(key);
        }
        return removed;
    }
    /**
     * Copy the rows of `keys` into `out` ([keys.length, dim], row-major) starting at row `outOffset`.
     * Missing keys are created when `create`, otherwise read as zeros.
     */
    gather(keys, create, out = new Float32Array(keys.length * this.dim), outOffset = 0) {
        return this.gatherRows(this.resolveRows(keys, create), out, outOffset);
    }
    /**
     * Row slots of `keys` (-1 for a missing key when not `create`). Slots stay valid until the next
     * `expire`, so a training step resolves its keys once for the gather and the update.
     */
    resolveRows(keys, create) {
        const slots = new Int32Array(keys.length);
        for (let n = 0; n < keys.length; n++)
            slots[n] = this.rowOf(keys[n], create);
        return slots;
    }
    /** `gather` by resolved slots: rows into `out` from row `outOffset`; slot -1 reads as zeros. */
    gatherRows(slots, out = new Float32Array(slots.length * this.dim), outOffset = 0) {
        const dim = this.dim;
        const values = this.values;
        for (let n = 0; n < slots.length; n++) {
            const row = slots[n];
            const dst = (outOffset + n) * dim;
            // A subarray copy is a memcpy: ~2x faster than an element loop over random rows (micro-benchmark, session 10).
            if (row < 0)
                out.fill(0, dst, dst + dim);
            else
                out.set(values.subarray(row * dim, row * dim + dim), dst);
        }
        return out;
    }
    /** The current value of one row (a copy), or undefined. */
    get(key) {
        const row = this.rows.get(key);
        return row === undefined ? undefined : this.values.slice(row * this.dim, (row + 1) * this.dim);
    }
    /** Overwrite the value of an existing row (restore from a snapshot; perturbation in gradient checks). */
    set(key, value) {
        const row = this.rows.get(key);
        if (row === undefined)
            throw new RangeError(`no row for key "${key}"`);
        if (value.length !== this.dim)
            throw new RangeError(`expected ${this.dim} values, got ${value.length}`);
        this.values.set(value, row * this.dim);
    }
    /**
     * Adagrad update of the rows of `keys` with `grads` ([keys.length, dim]). Keys must be distinct
     * (the trainer sums duplicate gathers before calling). Keys that do not exist are skipped.
     */
    applyGradients(keys, grads, gradOffsetRows = 0) {
        this.applyRowGradients(this.resolveRows(keys, false), grads, gradOffsetRows);
    }
    /** `applyGradients` by resolved slots (from `resolveRows`); slot -1 is skipped. */
    applyRowGradients(slots, grads, gradOffsetRows = 0) {
        const { learningRate, accumulatorDecay } = this.options;
        const dim = this.dim;
        const values = this.values;
        const acc = this.accumulators;
        for (let n = 0; n < slots.length; n++) {
            const row = slots[n];
            if (row < 0)
                continue;
            const off = row * dim;
            const goff = (gradOffsetRows + n) * dim;
            for (let j = 0; j < dim; j++) {
                const g = grads[goff + j];
                if (g === 0)
                    continue;
                const a = (acc[off + j] = accumulatorDecay * acc[off + j] + g * g);
                values[off + j] -= (learningRate * g) / Math.sqrt(a);
            }
        }
    }
    /**
     * Checkpoint state: every row's key ('' for a free row), value, Adagrad accumulator and last use,
     * the free list, the clock, and the rows in key-map order (expiry walks it, so it is kept).
     */
    toData() {
        const used = this.keys.length;
        return {
            dim: this.dim,
            keys: [...this.keys],
            values: this.values.slice(0, used * this.dim),
            accumulators: this.accumulators.slice(0, used * this.dim),
            lastUsed: this.lastUsed.slice(0, used),
            freeRows: Int32Array.from(this.freeRows),
            order: Int32Array.from(this.rows.values()),
            clock: this.clock,
        };
    }
    /** Replace this (empty) store's rows with a checkpoint's. */
    restore(data) {
        const used = data.keys.length;
        if (data.dim !== this.dim)
            throw new RangeError(`store state has dim ${data.dim}, this store ${this.dim}`);
        if (this.rows.size > 0)
            throw new RangeError('restore needs an empty store');
        if (data.values.length !== used * this.dim || data.accumulators.length !== used * this.dim || data.lastUsed.length !== used)
            throw new RangeError('store state: array lengths do not match its key count');
        const capacity = Math.max(16, this.options.initialCapacity, used);
        this.values = new Float32Array(capacity * this.dim);
        this.values.set(data.values);
        this.accumulators = new Float32Array(capacity * this.dim);
        this.accumulators.set(data.accumulators);
        this.lastUsed = new Float64Array(capacity);
        this.lastUsed.set(data.lastUsed);
        // Element by element: spreading a million keys into push() overflows the call stack.
        this.keys.length = 0;
        for (const key of data.keys)
            this.keys.push(key);
        this.freeRows.length = 0;
        for (const row of data.freeRows)
            this.freeRows.push(row);
        for (const row of data.order) {
            const key = data.keys[row];
            if (!key)
                throw new RangeError(`store state: row ${row} in the key order has no key`);
            this.rows.set(key, row);
        }
        this.clock = data.clock;
    }
    grow() {
        const used = new Float64Array((this.values.length * 2) / this.dim);
        used.set(this.lastUsed);
        this.lastUsed = used;
        const values = new Float32Array(this.values.length * 2);
        values.set(this.values);
        const acc = new Float32Array(this.accumulators.length * 2);
        acc.set(this.accumulators);
        this.values = values;
        this.accumulators = acc;
    }
}
//# sourceMappingURL=embeddingStore.js.map