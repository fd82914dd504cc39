/**
 * The `capacity` ids with the largest key, kept up to date one offer at a time, for keys that only
 * grow (lifetime counts, forward-decayed frequencies): an id outside the list can enter only when
 * its own key grows, so offering the ids whose keys changed keeps the list exact without a scan.
 * Ties rank the id that reached the key first higher. Removing ids (expiry, pruning) makes the list
 * incomplete: `invalidate` it, and the next read rebuilds it from every id.
 */
export class TopItems {
    capacity;
    all;
    /** Members, best first. */
    ranked = [];
    keys = new Map();
    stale = false;
    constructor(capacity, 
    /** Every candidate id with its key, for rebuilds (ties: iteration order). */
    all) {
        this.capacity = capacity;
        this.all = all;
        if (!(Number.isInteger(capacity) && capacity > 0))
            throw new RangeError(`TopItems: capacity must be a positive integer, got ${capacity}`);
    }
    /** `id`'s key is now `key` (never below its previous key). */
    offer(id, key) {
        if (this.stale || !(key > Number.NEGATIVE_INFINITY))
            return;
        const old = this.keys.get(id);
        if (old !== undefined) {
            if (key === old)
                return;
            this.ranked.splice(this.position(id, old), 1);
        }
        else if (this.ranked.length === this.capacity && !(key > this.ranked[this.capacity - 1].key)) {
            return;
        }
        // After every member with a key >= this one: an id that reached a key first stays ahead.
        let lo = 0;
        let hi = this.ranked.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.ranked[mid].key >= key)
                lo = mid + 1;
            else
                hi = mid;
        }
        this.ranked.splice(lo, 0, { id, key });
        this.keys.set(id, key);
        if (this.ranked.length > this.capacity)
            this.keys.delete(this.ranked.pop().id);
    }
    /** Ids were removed or their keys fell: rebuild from every id at the next read. */
    invalidate() {
        this.stale = true;
    }
    /** The best `n` ids (at most `capacity`), best first. */
    top(n) {
        if (this.stale)
            this.rebuild();
        const out = [];
        for (let i = 0; i < Math.min(n, this.ranked.length); i++)
            out.push(this.ranked[i].id);
        return out;
    }
    /** Checkpoint state: the members with their keys, and whether a rebuild is due. */
    toData() {
        return { ranked: this.ranked.map((e) => [e.id, e.key]), stale: this.stale };
    }
    restore(data) {
        this.ranked = data.ranked.slice(0, this.capacity).map(([id, key]) => ({ id, key }));
        this.keys.clear();
        for (const e of this.ranked)
            this.keys.set(e.id, e.key);
        this.stale = data.stale;
    }
    rebuild() {
        const scored = [];
        let order = 0;
        for (const [id, key] of this.all())
            if (key > Number.NEGATIVE_INFINITY)
                scored.push({ id, key, order: order++ });
        scored.sort((a, b) => b.key - a.key || a.order - b.order);
        this.ranked = scored.slice(0, this.capacity).map(({ id, key }) => ({ id, key }));
        this.keys.clear();
        for (const e of this.ranked)
            this.keys.set(e.id, e.key);
        this.stale = false;
    }
    /** The index of member `id` with key `key` (binary search to its key's run, then a scan of the ties). */
    position(id, key) {
        let lo = 0;
        let hi = this.ranked.length;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.ranked[mid].key > key)
                lo = mid + 1;
            else
                hi = mid;
        }
        while (this.ranked[lo].id !== id)
            lo++;
        return lo;
    }
}
//# sourceMappingURL=topItems.js.map