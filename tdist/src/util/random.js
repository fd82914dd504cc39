/**
 * Seeded randomness. Everything random in micstream takes a seed and draws from one of these, so a
 * run is reproducible for a given seed, backend and config.
 */
/** Mulberry32: tiny, fast, good enough for sampling and initialisation (not for cryptography). */
export class Rng {
    state;
    constructor(seed) {
        this.state = seed >>> 0;
    }
    /** Uniform in [0, 1). */
    next() {
        let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    /** Integer in [0, n). */
    int(n) {
        return Math.floor(this.next() * n);
    }
    /** Standard normal (Box-Muller). */
    normal() {
        let u = 0;
        while (u === 0)
            u = this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    }
    pick(values) {
        return values[this.int(values.length)];
    }
    /** The generator's state (a checkpoint): `new Rng(0).restore(s)` continues the same sequence. */
    get stateValue() {
        return this.state;
    }
    restore(state) {
        this.state = state >>> 0;
        return this;
    }
}
/** FNV-1a 32-bit hash of a string, mixed with a seed: stable across runs and platforms. */
export function hashString(text, seed = 0) {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    // Final avalanche so that nearby strings give unrelated values.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
}
/** Uniform in [0, 1) derived from a string and seed: for deterministic per-key decisions. */
export function hashUnit(text, seed = 0) {
    return hashString(text, seed) / 4294967296;
}
/**
 * Sampler for Zipf-distributed ranks in [0, n) with exponent s, by inverse CDF over a precomputed
 * table (O(log n) per draw).
 */
export class ZipfSampler {
    cdf;
    constructor(n, s) {
        this.cdf = new Float64Array(n);
        let total = 0;
        for (let i = 0; i < n; i++) {
            total += 1 / Math.pow(i + 1, s);
            this.cdf[i] = total;
        }
        for (let i = 0; i < n; i++)
            this.cdf[i] /= total;
    }
    sample(rng) {
        const u = rng.next();
        let lo = 0;
        let hi = this.cdf.length - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.cdf[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
//# sourceMappingURL=random.js.map