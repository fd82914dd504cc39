import { hashUnit, Rng } from '../util/random.js';
import { HitRateAtK } from './metric.js';
/**
 * Events held back from training, chosen by a seeded hash of (user, item, timestamp), and
 * evaluated at the end: HR@K of the held-back item in the user's U2I recall (train-seen items
 * excluded), next to the expected HR@K of a random ranking.
 */
export class HoldoutSet {
    fraction;
    seed;
    capacity;
    events = [];
    seenCount = 0;
    rng;
    /**
     * @param capacity most events kept (reservoir sampling beyond it), so that an always-on learner
     *   does not grow without bound.
     */
    constructor(fraction, seed, capacity = 50000) {
        this.fraction = fraction;
        this.seed = seed;
        this.capacity = capacity;
        this.rng = new Rng(seed ^ 0x68e31da4);
    }
    /** Whether this event is held back (deterministic for the seed). */
    selects(event) {
        return (this.fraction > 0 && hashUnit(`${event.userId}\u0000${event.itemId}\u0000${event.timestamp}`, this.seed ^ 0x9e3779b9) < this.fraction);
    }
    add(event) {
        this.seenCount++;
        if (this.events.length < this.capacity)
            this.events.push(event);
        else {
            const slot = this.rng.int(this.seenCount);
            if (slot < this.capacity)
                this.events[slot] = event;
        }
    }
    /** Held-back events so far (the evaluation uses a uniform sample of at most `capacity`). */
    get size() {
        return this.seenCount;
    }
    evaluate(options) {
        const { k } = options;
        const byUser = new Map();
        let skipped = 0;
        for (const e of this.events) {
            if (!options.isKnownItem(e.itemId) || options.trainSeen(e.userId).has(e.itemId)) {
                skipped++;
                continue;
            }
            const list = byUser.get(e.userId) ?? [];
            list.push(e.itemId);
            byUser.set(e.userId, list);
        }
        const hitRate = new HitRateAtK(k);
        let randomHits = 0;
        for (const [userId, items] of byUser) {
            const ranked = options.rank(userId, k);
            if (!ranked) {
                skipped += items.length;
                continue;
            }
            const candidates = Math.max(1, options.catalogueSize - options.trainSeen(userId).size);
            for (const item of items) {
                hitRate.update({ targets: new Set([item]), ranked });
                randomHits += Math.min(1, k / candidates);
            }
        }
        return {
            k,
            events: hitRate.count,
            hitRate: hitRate.get(),
            randomHitRate: hitRate.count ? randomHits / hitRate.count : 0,
            skipped,
        };
    }
}
//# sourceMappingURL=holdout.js.map