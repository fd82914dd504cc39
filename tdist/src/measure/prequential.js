import { hashUnit } from '../util/random.js';
import { HitRateAtK } from './metric.js';
/**
 * Progressive (test-then-train) validation: before a batch is learned, each sampled event asks
 * "was this item in the user's top-K?". Call `check` BEFORE `learnMany` on the same batch, always.
 * Users the model cannot rank yet count as misses, so the curve shows the cold start honestly.
 */
export class PrequentialEvaluator {
    options;
    overall;
    window;
    seen = 0;
    windowStart = 0;
    windows = [];
    segments = new Map();
    constructor(options) {
        this.options = options;
        this.overall = new HitRateAtK(options.k);
        this.window = new HitRateAtK(options.k);
    }
    /** @returns per checked event whether it was a hit (for instrumentation). */
    check(events, rank) {
        const out = [];
        const cache = new Map();
        for (const e of events) {
            this.seen++;
            if (this.options.sampleRate < 1 &&
                hashUnit(`${e.userId}\u0000${e.itemId}\u0000${e.timestamp}`, this.options.seed) >= this.options.sampleRate)
                continue;
            let ranked = cache.get(e.userId);
            if (ranked === undefined)
                cache.set(e.userId, (ranked = rank(e.userId, this.options.k)));
            const observation = { targets: new Set([e.itemId]), ranked };
            this.overall.update(observation);
            this.window.update(observation);
            if (this.options.segmentOf) {
                const segment = this.options.segmentOf(e.userId);
                let m = this.segments.get(segment);
                if (!m)
                    this.segments.set(segment, (m = new HitRateAtK(this.options.k)));
                m.update(observation);
            }
            out.push(ranked !== null && ranked.slice(0, this.options.k).includes(e.itemId));
            if (this.seen - this.windowStart >= this.options.windowEvents)
                this.closeWindow();
        }
        return out;
    }
    /**
     * This evaluator as a test-then-train probe ranking with `rank`; it tests only while `active()`
     * (e.g. once an index is served), and reports each checked event to `onCheck`.
     */
    probe(rank, active = () => true, onCheck) {
        return {
            test: (events) => {
                if (!active())
                    return;
                const hits = this.check(events, rank);
                if (onCheck)
                    for (const hit of hits)
                        onCheck(hit);
            },
        };
    }
    /** Close the current partial window (at end of stream). */
    flush() {
        if (this.window.count > 0)
            this.closeWindow();
    }
    get hitRate() {
        return this.overall.get();
    }
    /** HR@K and trials per segment (empty without `segmentOf`). */
    segmentHitRates() {
        const out = {};
        for (const [segment, m] of this.segments)
            out[segment] = { hitRate: m.get(), trials: m.count };
        return out;
    }
    get trialCount() {
        return this.overall.count;
    }
    closeWindow() {
        this.windows.push({ endEvent: this.seen, trials: this.window.count, hitRate: this.window.get() });
        if (this.windows.length > (this.options.maxWindows ?? 1000))
            this.windows.shift();
        this.windowStart = this.seen;
        this.window = new HitRateAtK(this.options.k);
    }
}
//# sourceMappingURL=prequential.js.map