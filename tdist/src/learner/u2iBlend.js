import { ReturningUsers } from './segmentEvidence.js';
/**
 * Which user vector U2I should query with. The user tower reads the id, the attributes and the
 * interaction sequence; because training masks ids and sequences (views, cold dropout), the same
 * tower also gives an attribute-only vector. For a user returning after a pause, the personal part
 * can be stale (on the ml-100k temporal split the attribute-only vector recalls a returning user's
 * future better than the full one), while on streams with stable personal taste the full vector
 * wins by far. Neither is right everywhere, so the learner measures it on its own stream:
 * test-then-train on returning users' events, every candidate blend scored against the snapshot
 * that was live before the event was learned, and U2I serves the blend with the most hits.
 */
/** Weights of the attribute-only vector in the served U2I query (0 = the full vector). */
export const U2I_BLEND_CANDIDATES = [0, 0.25, 0.5, 0.75, 1];
/** K of the returning-event checks that choose the blend (the evaluation's headline K). */
export const U2I_BLEND_CHECK_K = 20;
/** unit((1 - alpha) full + alpha attributesOnly); both inputs are unit vectors from the tower. */
export function blendUserVector(full, attributesOnly, alpha, out = new Float32Array(full.length)) {
    if (attributesOnly.length !== full.length)
        throw new RangeError(`blendUserVector: lengths ${full.length} and ${attributesOnly.length} differ`);
    let norm = 0;
    for (let d = 0; d < full.length; d++) {
        const x = (1 - alpha) * full[d] + alpha * attributesOnly[d];
        out[d] = x;
        norm += x * x;
    }
    // Opposite unit vectors at alpha 0.5 cancel; the full vector is the better-defined fallback.
    if (norm < 1e-12) {
        out.set(full);
        return out;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < out.length; d++)
        out[d] *= inv;
    return out;
}
/** blendUserVector over row-major [n, dim] matrices. */
export function blendUserVectors(full, attributesOnly, alpha, dim) {
    const out = new Float32Array(full.length);
    for (let r = 0; r < full.length; r += dim)
        blendUserVector(full.subarray(r, r + dim), attributesOnly.subarray(r, r + dim), alpha, out.subarray(r, r + dim));
    return out;
}
export const U2I_BLEND_SELECTOR_DEFAULTS = {
    candidates: U2I_BLEND_CANDIDATES,
    gapMs: 3_600_000,
    halfLifeChecks: 2000,
    minChecks: 50,
    zScore: 2,
};
/**
 * Decayed hit counts of each candidate blend on returning users' events. Every checked event is
 * scored under all candidates (paired), so the counts share one denominator. The choice is the
 * argmax (ties go to the earlier candidate, the more personal vector) once its paired advantage
 * over the first candidate (the full vector, the model's own output) is significant: a short or
 * undecided stream keeps the full vector instead of following noise.
 */
export class U2IBlendSelector {
    options;
    hits;
    /** Decayed sums of the squared paired differences (hit_c - hit_first)^2 per candidate. */
    squaredDiffs;
    weight = 0;
    /** Decayed sum of squared weights (effective sample size = weight^2 / weightSquares). */
    weightSquares = 0;
    checked = 0;
    decay;
    returning;
    constructor(options = {}) {
        const o = (this.options = { ...U2I_BLEND_SELECTOR_DEFAULTS, ...options });
        if (o.candidates.length === 0)
            throw new RangeError('U2IBlendSelector needs at least one candidate');
        if (!(o.halfLifeChecks > 0))
            throw new RangeError(`halfLifeChecks must be > 0, got ${o.halfLifeChecks}`);
        this.hits = new Float64Array(o.candidates.length);
        this.squaredDiffs = new Float64Array(o.candidates.length);
        this.decay = Math.pow(0.5, 1 / o.halfLifeChecks);
        this.returning = new ReturningUsers(o.gapMs);
    }
    /**
     * Note one event of a user (call for every trained event, in stream order).
     * @returns true when the user had an earlier event at least `gapMs` before this one.
     */
    noteEvent(userId, timestamp) {
        return this.returning.noteReturn(userId, timestamp);
    }
    /** Record one checked event: whether its item was in the top-K under each candidate. */
    record(hitByCandidate) {
        if (hitByCandidate.length !== this.hits.length)
            throw new RangeError(`record: ${hitByCandidate.length} results for ${this.hits.length} candidates`);
        const first = hitByCandidate[0] ? 1 : 0;
        for (let c = 0; c < this.hits.length; c++) {
            const hit = hitByCandidate[c] ? 1 : 0;
            this.hits[c] = this.hits[c] * this.decay + hit;
            this.squaredDiffs[c] = this.squaredDiffs[c] * this.decay + (hit - first) ** 2;
        }
        this.weight = this.weight * this.decay + 1;
        // Older checks weigh decay^age, so the sum of squared weights decays with decay^2.
        this.weightSquares = this.weightSquares * this.decay * this.decay + 1;
        this.checked++;
    }
    /** Events checked so far (not decayed). */
    get checks() {
        return this.checked;
    }
    /** The decayed hit rate of each candidate (0 before any check). */
    rates() {
        return Array.from(this.hits, (h) => (this.weight > 0 ? h / this.weight : 0));
    }
    /** How many standard errors the candidate's paired advantage over the first candidate is (0 for the first). */
    advantageZ(c) {
        if (c === 0 || this.weight === 0)
            return 0;
        const mean = (this.hits[c] - this.hits[0]) / this.weight;
        const variance = Math.max(0, this.squaredDiffs[c] / this.weight - mean * mean);
        const effectiveN = (this.weight * this.weight) / this.weightSquares;
        const se = Math.sqrt(variance / effectiveN);
        if (se === 0)
            return mean > 0 ? Infinity : mean < 0 ? -Infinity : 0;
        return mean / se;
    }
    /** The candidate U2I should serve now. */
    choice() {
        const { candidates, minChecks, zScore } = this.options;
        if (this.checked < minChecks)
            return candidates[0];
        let best = 0;
        for (let c = 1; c < this.hits.length; c++)
            if (this.hits[c] > this.hits[best])
                best = c;
        return this.advantageZ(best) > zScore ? candidates[best] : candidates[0];
    }
    forgetUser(userId) {
        this.returning.forget(userId);
    }
    toData() {
        const { hits, squaredDiffs, weight, weightSquares, checked } = this;
        return { hits, squaredDiffs, weight, weightSquares, checked, lastSeen: this.returning.toData() };
    }
    restore(data) {
        if (data.hits.length !== this.hits.length)
            throw new RangeError(`blend state has ${data.hits.length} candidates, expected ${this.hits.length}`);
        this.hits.set(data.hits);
        this.squaredDiffs.set(data.squaredDiffs);
        ({ weight: this.weight, weightSquares: this.weightSquares, checked: this.checked } = data);
        this.returning.restore(data.lastSeen);
    }
}
//# sourceMappingURL=u2iBlend.js.map