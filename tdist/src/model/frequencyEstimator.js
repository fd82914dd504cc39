/** Decayed counts below this are dropped by `prune`. */
export const PRUNE_MIN_COUNT = 1e-3;
/**
 * Streaming item-frequency estimate for the logQ correction of in-batch softmax (Yi et al.,
 * RecSys 2019). Counts decay with a half-life measured in events, so the estimate follows the
 * current popularity instead of the lifetime one: on a temporal split lifetime counts undercorrect
 * items that are popular now.
 */
export class DecayedFrequencyEstimator {
    halfLifeEvents;
    decayPerEvent;
    counts = new Map();
    /** Ids with a decayed count (pruned below the minimum), for the memory metrics. */
    get size() {
        return this.counts.size;
    }
    total = 0;
    clock = 0;
    constructor(halfLifeEvents) {
        if (!(halfLifeEvents > 0))
            throw new RangeError(`halfLifeEvents must be > 0, got ${halfLifeEvents}`);
        this.halfLifeEvents = halfLifeEvents;
        this.decayPerEvent = Math.pow(0.5, 1 / halfLifeEvents);
    }
    /** Events observed so far. */
    get events() {
        return this.clock;
    }
    /** Record one occurrence of each id, in order (one event each). */
    observe(ids) {
        for (const id of ids) {
            this.clock++;
            this.total = this.total * this.decayPerEvent + 1;
            const entry = this.counts.get(id);
            if (entry) {
                entry.count = entry.count * Math.pow(this.decayPerEvent, this.clock - entry.at) + 1;
                entry.at = this.clock;
            }
            else {
                this.counts.set(id, { count: 1, at: this.clock });
            }
        }
    }
    /** Estimated probability that a random recent event is on `id`; 0 for unseen ids. */
    probability(id) {
        const entry = this.counts.get(id);
        if (!entry || this.total === 0)
            return 0;
        return (entry.count * Math.pow(this.decayPerEvent, this.clock - entry.at)) / this.total;
    }
    /**
     * A key that orders ids as `probability` does now and at every later moment (log of the count
     * forward-decayed to the stream's start): an id's key only grows, and only when it is observed,
     * so a top list kept by key stays exact when only the observed ids are re-offered. -Infinity for
     * unseen ids.
     */
    rankKey(id) {
        const entry = this.counts.get(id);
        return entry ? Math.log(entry.count) - entry.at * Math.log(this.decayPerEvent) : Number.NEGATIVE_INFINITY;
    }
    /** log of the largest probability an id dropped by `prune(minCount)` can have had (what an id without an estimate gets). */
    prunedLogProbability(minCount = PRUNE_MIN_COUNT) {
        return Math.log(minCount / Math.max(this.total, minCount));
    }
    /** log(probability), floored so that unseen ids get a finite, strong correction. */
    logProbability(id, floor = 1e-9) {
        return Math.log(Math.max(floor, this.probability(id)));
    }
    /** Drop ids whose decayed count fell below `minCount` (bounded memory for long streams). */
    prune(minCount = PRUNE_MIN_COUNT) {
        let removed = 0;
        for (const [id, entry] of this.counts) {
            if (entry.count * Math.pow(this.decayPerEvent, this.clock - entry.at) < minCount) {
                this.counts.delete(id);
                removed++;
            }
        }
        return removed;
    }
    /** Everything the estimate depends on, as plain data (JSON-safe), in insertion order. */
    toData() {
        return {
            halfLifeEvents: this.halfLifeEvents,
            total: this.total,
            clock: this.clock,
            counts: [...this.counts].map(([id, e]) => [id, e.count, e.at]),
        };
    }
    /** The estimator `toData` described: it answers and continues exactly as the original would. */
    static fromData(data) {
        const e = new DecayedFrequencyEstimator(data.halfLifeEvents);
        e.total = data.total;
        e.clock = data.clock;
        for (const [id, count, at] of data.counts)
            e.counts.set(id, { count, at });
        return e;
    }
}
//# sourceMappingURL=frequencyEstimator.js.map