/** The generic (non-personal) item lists a user the model knows nothing about can be given. */
export const GENERIC_LISTS = ['trending', 'popular'];
export const GENERIC_LIST_DEFAULTS = { depth: 1000, checkK: 20, halfLifeChecks: 2000, minChecks: 50 };
/**
 * Which generic list a first-time user gets, chosen by the learner itself, test-then-train: before
 * a batch is learned, each event of a user with no trained event yet asks whether its item was in
 * the top K of each candidate list as it stood at the last refresh (trending: the decayed item
 * frequencies; popular: lifetime counts). Decayed hit counts per candidate; the next snapshot
 * serves the argmax once `minChecks` are in (ties and too little evidence keep `trending`).
 */
export class GenericListSelector {
    entities;
    options;
    lists = { trending: [], popular: [] };
    hits = new Float64Array(GENERIC_LISTS.length);
    weight = 0;
    checked = 0;
    decay;
    constructor(entities, options = {}) {
        this.entities = entities;
        this.options = { ...GENERIC_LIST_DEFAULTS, ...options };
        this.decay = Math.pow(0.5, 1 / this.options.halfLifeChecks);
    }
    /** Rebuild the candidate lists from the entity state (at each refresh). @returns the one to serve. */
    refresh() {
        const depth = this.options.depth;
        this.lists = { trending: this.entities.trendingItems(depth), popular: this.entities.popularItems(depth) };
        const kind = this.choice();
        return { kind, items: this.lists[kind] };
    }
    test(events) {
        const k = this.options.checkK;
        const tops = GENERIC_LISTS.map((kind) => new Set(this.lists[kind].slice(0, k)));
        if (tops.every((t) => t.size === 0))
            return;
        const firstTime = new Set();
        for (const e of events) {
            // A user with nothing trained before this batch: exactly who the generic list is for.
            if (this.entities.seenItems(e.userId).size > 0 && !firstTime.has(e.userId))
                continue;
            firstTime.add(e.userId);
            for (let c = 0; c < GENERIC_LISTS.length; c++)
                this.hits[c] = this.hits[c] * this.decay + (tops[c].has(e.itemId) ? 1 : 0);
            this.weight = this.weight * this.decay + 1;
            this.checked++;
        }
    }
    /** The list the evidence favours (trending until enough checks are in, and on ties). */
    choice() {
        if (this.checked < this.options.minChecks)
            return 'trending';
        let best = 0;
        for (let c = 1; c < GENERIC_LISTS.length; c++)
            if (this.hits[c] > this.hits[best])
                best = c;
        return GENERIC_LISTS[best];
    }
    /** Checkpoint state: the candidate lists as of the last refresh and the evidence. */
    toData() {
        return { lists: { ...this.lists }, hits: this.hits, weight: this.weight, checked: this.checked };
    }
    restore(data) {
        this.lists = { trending: [...data.lists.trending], popular: [...data.lists.popular] };
        this.hits.set(data.hits);
        ({ weight: this.weight, checked: this.checked } = data);
    }
    /** Decayed hit rate per candidate and the checks so far. */
    stats() {
        return {
            candidates: GENERIC_LISTS,
            hitRates: Array.from(this.hits, (h) => (this.weight > 0 ? h / this.weight : 0)),
            checks: this.checked,
        };
    }
}
//# sourceMappingURL=genericLists.js.map