import { PRIOR_SEGMENTS, priorCandidates, priorSegment, rankWithPrior, } from '../index/popularityPrior.js';
import { CheckBudget } from '../measure/probe.js';
import { ReturningUsers, SegmentEvidence } from './segmentEvidence.js';
/** The prior weights the checks compare (0 = the plain cosine ranking). */
export const PRIOR_BETAS = [0, 0.25, 0.5, 0.75, 1];
export const POPULARITY_PRIOR_DEFAULTS = {
    eventsPerCheck: 16,
    checkK: 20,
    halfLifeChecks: 1000,
    minChecks: 50,
    trendingDepth: 100,
    gapMs: 3600_000,
};
/**
 * The popularity prior's weight per user segment, chosen by the learner itself, test-then-train:
 * before a batch is learned, sampled events (one per `eventsPerCheck`) of returning users with a
 * vector ask whether the event's item is in the top K of the serving snapshot's U2I answer under
 * each candidate beta (the same candidates and scores as serving, src/index/popularityPrior.ts).
 * Decayed hit counts per segment and candidate; each refresh serves the argmax per segment (ties
 * and too little evidence: the smaller beta, 0 by default). Only returning users' events count (the
 * previous one at least `gapMs` old, or none): U2I answers a user who comes back, while the next
 * event of a session follows the session's items (I2I's trigger), and in one stream the two want
 * different betas.
 */
export class PopularityPriorProbe {
    entities;
    live;
    options;
    evidence;
    budget;
    returning;
    constructor(options, entities, live) {
        this.entities = entities;
        this.live = live;
        this.options = { ...POPULARITY_PRIOR_DEFAULTS, ...options };
        this.budget = new CheckBudget(this.options.eventsPerCheck);
        const mode = this.options.mode;
        if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 4)))
            throw new RangeError(`popularity prior: mode must be 'auto', 'off' or a number in [0, 4], got ${String(mode)}`);
        this.evidence = new SegmentEvidence(PRIOR_BETAS.length, this.options.halfLifeChecks, this.options.minChecks);
        this.returning = new ReturningUsers(this.options.gapMs);
    }
    /** beta per segment for the next snapshot. */
    betas() {
        const mode = this.options.mode;
        const out = {};
        for (const s of PRIOR_SEGMENTS)
            out[s] = typeof mode === 'number' ? mode : mode === 'off' ? 0 : this.choice(s);
        return out;
    }
    /**
     * The prior to serve now (null when off): betas, the trending candidates, and log q read from the
     * live frequency estimate at each lookup (written out when a snapshot is published or saved).
     */
    build() {
        if (this.options.mode === 'off')
            return null;
        const frequency = this.entities.itemFrequency;
        return {
            temperature: this.options.temperature,
            beta: this.betas(),
            logQ: {
                get(id) {
                    const q = frequency.probability(id);
                    return q > 0 ? Math.log(q) : undefined;
                },
            },
            // An item without an estimate was pruned: rarer than any item the estimate still holds.
            floor: frequency.prunedLogProbability(),
            trending: this.entities.trendingItems(this.options.trendingDepth),
        };
    }
    test(events) {
        if (this.options.mode !== 'auto')
            return;
        const live = this.live();
        const prior = live?.snapshot.prior;
        const allowed = this.budget.take(events.length);
        const returning = events.filter((e) => this.returning.note(e.userId, e.timestamp));
        if (!live || !prior || allowed === 0 || returning.length === 0)
            return;
        // Evenly spaced over the batch's returning events, so that one burst does not take every check.
        const n = Math.min(allowed, returning.length);
        for (let c = 0; c < n; c++) {
            const e = returning[Math.floor((c * returning.length) / n)];
            const seen = live.seenItems(e.userId);
            const query = live.query(e.userId);
            if (!query || seen.has(e.itemId))
                continue;
            const candidates = priorCandidates(live.snapshot.items, query, seen, prior);
            const hits = PRIOR_BETAS.map((beta) => rankWithPrior(candidates, prior, beta, this.options.checkK).some((x) => x.id === e.itemId));
            this.evidence.record(priorSegment(seen.size), hits);
        }
    }
    forgetUser(userId) {
        this.returning.forget(userId);
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
     * The segment's best beta so far (ties keep the smaller); a segment with fewer than `minChecks`
     * checks follows all checks pooled, and 0 until those are enough too.
     */
    choice(segment) {
        return PRIOR_BETAS[this.evidence.best(segment)];
    }
    /** Per segment: the decayed hit rate of each candidate beta and the checks so far. */
    stats() {
        const segments = {};
        const betas = this.betas();
        for (const s of PRIOR_SEGMENTS)
            segments[s] = { hitRates: this.evidence.hitRates(s), checks: this.evidence.checks(s), beta: betas[s] };
        return { candidates: PRIOR_BETAS, segments };
    }
}
//# sourceMappingURL=popularityPriorProbe.js.map