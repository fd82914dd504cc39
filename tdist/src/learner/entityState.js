import { FeatureState } from '../model/featureState.js';
import { DecayedFrequencyEstimator } from '../model/frequencyEstimator.js';
import { UserCoconsumption } from '../index/userCoconsumption.js';
import { ItemCooccurrence } from './itemCooccurrence.js';
import { TopItems } from './topItems.js';
/** Steps between prunes of the frequency estimates (bounded memory on long streams). */
const PRUNE_EVERY_STEPS = 1000;
/** Items the trending and popular lists keep (the most a generic list or the prior's candidates can take). */
export const TOP_ITEMS_KEPT = 1000;
/**
 * What the learner knows about each user and item besides the model's rows: attributes and
 * interaction histories (FeatureState), decayed user and item frequencies (logQ, trending), the
 * items each user was trained on (excluded from U2I), and the stream clock. Serialisable with
 * `toData` / `fromData`: a restored state continues exactly as the original.
 */
export class EntityState {
    options;
    features;
    itemFrequency;
    userFrequency;
    seen;
    /** Trained interactions per item over the whole stream (lifetime popularity). */
    itemCounts;
    latestTimestamp;
    /** The trained items by decayed frequency and by lifetime count, kept up to date each step (cheap to read every step). */
    trending;
    popular;
    /** Item-to-item co-occurrence over each user's recent items (null when off). */
    cooccurrence;
    /** User-to-user co-consumption over each user's recent items (null when off). */
    coconsumption;
    constructor(options, restored) {
        this.options = options;
        this.features = restored ? FeatureState.fromData(restored.features) : new FeatureState(options.historyLength);
        this.itemFrequency = restored
            ? DecayedFrequencyEstimator.fromData(restored.itemFrequency)
            : new DecayedFrequencyEstimator(options.logQHalfLifeEvents);
        this.userFrequency = restored
            ? DecayedFrequencyEstimator.fromData(restored.userFrequency)
            : new DecayedFrequencyEstimator(options.logQHalfLifeEvents);
        this.seen = new Map((restored?.seen ?? []).map(([user, items]) => [user, new Set(items)]));
        this.itemCounts = new Map(restored?.itemCounts ?? []);
        this.latestTimestamp = restored?.latestTimestamp ?? 0;
        const itemKeys = function* (key, ids) {
            for (const id of ids)
                yield [id, key(id)];
        };
        this.trending = new TopItems(TOP_ITEMS_KEPT, () => itemKeys((id) => this.itemFrequency.rankKey(id), this.itemCounts.keys()));
        this.popular = new TopItems(TOP_ITEMS_KEPT, () => this.itemCounts.entries());
        if (restored?.tops) {
            this.trending.restore(restored.tops.trending);
            this.popular.restore(restored.tops.popular);
        }
        else if (restored) {
            this.trending.invalidate();
            this.popular.invalidate();
        }
        this.cooccurrence = options.cooccurrence
            ? restored?.cooccurrence
                ? ItemCooccurrence.fromData(restored.cooccurrence)
                : new ItemCooccurrence(options.cooccurrence)
            : null;
        this.coconsumption = options.coconsumption
            ? restored?.coconsumption
                ? UserCoconsumption.fromData(restored.coconsumption)
                : new UserCoconsumption(options.coconsumption)
            : null;
        if (options.popularityFeature) {
            this.features.dynamicItemAttributes = (itemId) => {
                const q = this.itemFrequency.probability(itemId);
                return [q > 0 ? `ia:~pop=${Math.min(24, Math.floor(-Math.log2(q)))}` : 'ia:~pop=none'];
            };
        }
    }
    /** The latest event time seen by training (stream time, ms). */
    get clock() {
        return this.latestTimestamp;
    }
    /** Record attributes without learning (e.g. for held-back events): the entity becomes encodable. */
    observe(event) {
        this.features.observeAttributes(event);
    }
    /**
     * Before a training step: the batch's attributes, the frequencies and the stream clock.
     * @returns the batch's latest timestamp.
     */
    beginBatch(events) {
        for (const e of events)
            this.features.observeAttributes(e);
        let latest = 0;
        for (const e of events)
            if (e.timestamp > latest)
                latest = e.timestamp;
        if (latest > this.latestTimestamp)
            this.latestTimestamp = latest;
        this.itemFrequency.observe(events.map((e) => e.itemId));
        this.userFrequency.observe(events.map((e) => e.userId));
        // Trending ranks trained items only; the ones trained before move up now, the new ones at commit.
        for (const e of events)
            if (this.itemCounts.has(e.itemId))
                this.trending.offer(e.itemId, this.itemFrequency.rankKey(e.itemId));
        return latest;
    }
    /**
     * After the step: histories and seen items take the batch in (only now, so no example saw its own
     * target), and every PRUNE_EVERY_STEPS steps the frequency estimates drop their faded ids.
     */
    commitBatch(events, step) {
        for (const e of events) {
            const count = (this.itemCounts.get(e.itemId) ?? 0) + 1;
            this.itemCounts.set(e.itemId, count);
            this.popular.offer(e.itemId, count);
            this.trending.offer(e.itemId, this.itemFrequency.rankKey(e.itemId));
            this.features.appendInteraction(e);
            let s = this.seen.get(e.userId);
            if (!s)
                this.seen.set(e.userId, (s = new Set()));
            if (!s.has(e.itemId)) {
                s.add(e.itemId);
                // Insertion order is first-seen order: the earliest goes.
                if (s.size > (this.options.seenItemsPerUser ?? Infinity))
                    s.delete(s.values().next().value);
            }
        }
        this.cooccurrence?.learn(events);
        this.coconsumption?.learn(events);
        if (step % PRUNE_EVERY_STEPS === 0) {
            if (this.itemFrequency.prune() > 0)
                this.trending.invalidate();
            this.userFrequency.prune();
        }
    }
    /** Items the user interacted with in training (excluded from U2I recall). */
    seenItems(userId) {
        return this.seen.get(userId) ?? EMPTY;
    }
    /** Every user's seen items (for publishing to recall servers). */
    seenByUser() {
        const out = {};
        for (const [user, items] of this.seen)
            out[user] = [...items];
        return out;
    }
    /** The `n` items with the largest decayed frequency (trending now), best first. */
    trendingItems(n) {
        return this.trending.top(n);
    }
    /** The `n` items with the most trained interactions over the stream, best first. */
    popularItems(n) {
        return this.popular.top(n);
    }
    forgetUser(userId) {
        this.features.forgetUser(userId);
        this.seen.delete(userId);
        this.cooccurrence?.forgetUser(userId);
        this.coconsumption?.forgetUser(userId);
    }
    /**
     * Entries held per per-id structure (what memory grows with): users and items with attributes,
     * history entries, seen (user, item) pairs, lifetime item counts, decayed frequencies, and the
     * co-occurrence / co-consumption tables. O(ids): read it every so many steps, not every step.
     */
    sizes() {
        const f = this.features.sizes();
        let seenItems = 0;
        for (const s of this.seen.values())
            seenItems += s.size;
        return {
            user_attributes: f.userAttributes,
            item_attributes: f.itemAttributes,
            user_history: f.userHistory,
            item_history: f.itemHistory,
            seen_items: seenItems,
            item_counts: this.itemCounts.size,
            item_frequency: this.itemFrequency.size,
            user_frequency: this.userFrequency.size,
            cooccurrence_pairs: this.cooccurrence?.pairCount ?? 0,
            coconsumption_entries: this.coconsumption?.entryCount ?? 0,
        };
    }
    forgetItem(itemId) {
        this.features.forgetItem(itemId);
        this.itemCounts.delete(itemId);
        this.cooccurrence?.forgetItem(itemId);
        this.coconsumption?.forgetItem(itemId);
        this.trending.invalidate();
        this.popular.invalidate();
    }
    /** Everything above as plain data (JSON-safe), insertion orders kept. */
    toData() {
        return {
            features: this.features.toData(),
            itemFrequency: this.itemFrequency.toData(),
            userFrequency: this.userFrequency.toData(),
            seen: [...this.seen].map(([user, items]) => [user, [...items]]),
            itemCounts: [...this.itemCounts],
            latestTimestamp: this.latestTimestamp,
            tops: { trending: this.trending.toData(), popular: this.popular.toData() },
            cooccurrence: this.cooccurrence?.toData() ?? null,
            coconsumption: this.coconsumption?.toData() ?? null,
        };
    }
    static fromData(options, data) {
        return new EntityState(options, data);
    }
}
const EMPTY = new Set();
//# sourceMappingURL=entityState.js.map