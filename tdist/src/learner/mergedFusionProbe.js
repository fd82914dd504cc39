import { fusedHits, mergedSources } from '../index/mergedRecall.js';
import { usersWithoutItems } from '../index/userNeighbours.js';
import { PRIOR_SEGMENTS, priorSegment } from '../index/popularityPrior.js';
import { CheckBudget } from '../measure/probe.js';
import { ReturningUsers, SegmentEvidence } from './segmentEvidence.js';
/** The I2I and generic-list weights the checks compare (U2I and U2U keep their configured weights). */
export const MERGED_I2I_WEIGHTS = [0, 0.1, 0.25, 0.5, 1];
export const MERGED_GENERIC_WEIGHTS = [0, 0.1, 0.25, 0.5, 1, 2, 4];
/** Every (I2I, generic) pair of candidate weights, I2I-major. */
const CANDIDATES = MERGED_I2I_WEIGHTS.flatMap((i2i) => MERGED_GENERIC_WEIGHTS.map((generic) => ({ i2i, generic })));
export const MERGED_FUSION_DEFAULTS = {
    eventsPerCheck: 16,
    checkK: 20,
    halfLifeChecks: 1000,
    minChecks: 50,
    zScore: 2,
};
/**
 * Merged recall's fusion weights per user segment, chosen by the learner itself, test-then-train:
 * before a batch is learned, sampled events of returning users (the previous event at least `gapMs`
 * old, or none; one check per `eventsPerCheck` events) ask whether the event's item is in the top K
 * of the merged answer under each candidate pair of I2I and generic-list weights (U2I and U2U at
 * their configured weights), from the serving snapshot, with the same lists and fusion as serving
 * (src/index/mergedRecall.ts). Decayed hit counts per segment (by trained history length, as the
 * prior's); each snapshot serves the argmax per segment once its paired win over the configured
 * weights is significant (`zScore`: with 35 candidates the plain argmax follows noise), else the
 * configured weights. Why per segment: a user with a long history is
 * answered well by their own vector, a short one by what is popular now and by their last item.
 */
export class MergedFusionProbe {
    live;
    options;
    evidence;
    budget;
    returning;
    /** The candidate the configured weights are (the default choice). */
    configured;
    withoutItems = new WeakMap();
    candidateWeights;
    constructor(options, live) {
        this.live = live;
        this.options = { ...MERGED_FUSION_DEFAULTS, ...options };
        this.budget = new CheckBudget(this.options.eventsPerCheck);
        this.returning = new ReturningUsers(this.options.gapMs);
        const w = this.options.merged.weights;
        this.configured = CANDIDATES.findIndex((c) => c.i2i === w.i2i && c.generic === w.generic);
        this.evidence = new SegmentEvidence(CANDIDATES.length, this.options.halfLifeChecks, this.options.minChecks, {
            reference: Math.max(0, this.configured),
            zScore: this.options.zScore,
        });
        this.candidateWeights = CANDIDATES.map((_, i) => this.weightsOf(i));
    }
    /** Weights per segment to serve (null when fixed: the configured weights apply). */
    weights() {
        if (this.options.mode !== 'auto')
            return null;
        const out = {};
        for (const s of PRIOR_SEGMENTS)
            out[s] = this.candidateWeights[this.choice(s)];
        return out;
    }
    test(events) {
        if (this.options.mode !== 'auto')
            return;
        const allowed = this.budget.take(events.length);
        const returning = events.filter((e) => this.returning.note(e.userId, e.timestamp));
        const live = this.live();
        if (!live || allowed === 0 || returning.length === 0)
            return;
        const merged = this.options.merged;
        // Every candidate channel computed once; each candidate only re-fuses them.
        const all = { ...merged.weights, i2i: 1, generic: 1 };
        // U2U pools only users with items: that set costs a scan of the users, once per snapshot, and only when U2U is on.
        const users = live.snapshot.users;
        let without = this.withoutItems.get(users);
        if (!without)
            this.withoutItems.set(users, (without = all.u2u > 0 ? usersWithoutItems(live.snapshot.users, live.seenItems) : new Set()));
        const input = { snapshot: live.snapshot, seenItems: live.seenItems, usersWithoutItems: without };
        const n = Math.min(allowed, returning.length);
        const k = this.options.checkK;
        for (let c = 0; c < n; c++) {
            const e = returning[Math.floor((c * returning.length) / n)];
            const seen = live.seenItems(e.userId);
            if (seen.has(e.itemId))
                continue;
            const sources = mergedSources(input, e.userId, Math.max(k, merged.depth), merged, all);
            if (!sources)
                continue;
            const hits = fusedHits(sources, e.itemId, k, merged.rrfK, this.candidateWeights);
            this.evidence.record(priorSegment(seen.size), hits);
        }
    }
    forgetUser(userId) {
        this.returning.forget(userId);
    }
    /** Per segment: the served I2I / generic weights, the checks, and the best candidate's decayed hit rate against the configured one's. */
    stats() {
        const out = {};
        for (const s of PRIOR_SEGMENTS) {
            const rates = this.evidence.hitRates(s);
            const best = this.choice(s);
            out[s] = {
                ...CANDIDATES[best],
                checks: this.evidence.checks(s),
                hitRate: rates[best],
                configuredHitRate: rates[this.configured] ?? 0,
            };
        }
        return out;
    }
    toData() {
        return { ...this.evidence.toData(), budget: this.budget.carried, lastSeen: this.returning.toData() };
    }
    restore(data) {
        this.evidence.restore(data);
        this.budget.restore(data.budget);
        this.returning.restore(data.lastSeen);
    }
    /**
     * The segment's best candidate (a segment short of evidence follows the pooled checks); the configured weights (or,
     * when they are no candidate, the first) unless the best one's win over them is significant.
     */
    choice(segment) {
        return this.evidence.best(segment);
    }
    weightsOf(candidate) {
        const c = CANDIDATES[candidate];
        return { ...this.options.merged.weights, i2i: c.i2i, generic: c.generic };
    }
}
//# sourceMappingURL=mergedFusionProbe.js.map