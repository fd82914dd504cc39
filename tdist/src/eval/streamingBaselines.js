/** Per-user seen items and a bounded recent history, shared by the streaming baselines. */
class UserMemory {
    historyLength;
    seen = new Map();
    recent = new Map();
    constructor(historyLength) {
        this.historyLength = historyLength;
    }
    add(e) {
        let s = this.seen.get(e.userId);
        if (!s)
            this.seen.set(e.userId, (s = new Set()));
        s.add(e.itemId);
        let r = this.recent.get(e.userId);
        if (!r)
            this.recent.set(e.userId, (r = []));
        r.push(e.itemId);
        if (r.length > this.historyLength)
            r.shift();
    }
    seenBy(userId) {
        return this.seen.get(userId) ?? EMPTY;
    }
}
/** Items by count over the last `window` events (ties: the item counted first), the user's seen items excluded. */
export class SlidingWindowPopularity {
    size;
    counts = new Map();
    window = [];
    users = new UserMemory(0);
    /** The ranking of the current window, rebuilt after each batch (ranks between batches read it). */
    order = null;
    constructor(size) {
        this.size = size;
    }
    async learnMany(events) {
        this.order = null;
        for (const e of events) {
            this.users.add(e);
            this.window.push(e.itemId);
            this.counts.set(e.itemId, (this.counts.get(e.itemId) ?? 0) + 1);
            if (this.window.length > this.size) {
                const old = this.window.shift();
                const n = this.counts.get(old) - 1;
                if (n === 0)
                    this.counts.delete(old);
                else
                    this.counts.set(old, n);
            }
        }
    }
    rank(userId, k) {
        this.order ??= [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
        const seen = this.users.seenBy(userId);
        const out = [];
        for (const id of this.order) {
            if (out.length === k)
                break;
            if (!seen.has(id))
                out.push(id);
        }
        return out;
    }
}
/**
 * Incremental item-to-item co-occurrence (streaming ItemKNN): each event adds a co-occurrence of
 * its item with each of the user's last `historyLength` items, both ways; a user's ranking sums
 * cosine-normalised co-occurrence over their recent items. Users with no history get nothing (null).
 */
export class StreamingCooccurrence {
    co = new Map();
    degree = new Map();
    users;
    constructor(historyLength) {
        this.users = new UserMemory(historyLength);
    }
    async learnMany(events) {
        for (const e of events) {
            for (const other of this.users.recent.get(e.userId) ?? []) {
                if (other === e.itemId)
                    continue;
                this.bump(e.itemId, other);
                this.bump(other, e.itemId);
            }
            this.degree.set(e.itemId, (this.degree.get(e.itemId) ?? 0) + 1);
            this.users.add(e);
        }
    }
    rank(userId, k) {
        const recent = this.users.recent.get(userId);
        if (!recent || recent.length === 0)
            return null;
        const seen = this.users.seenBy(userId);
        const scores = new Map();
        for (const i of new Set(recent)) {
            const di = this.degree.get(i) ?? 1;
            for (const [j, c] of this.co.get(i) ?? []) {
                if (seen.has(j))
                    continue;
                scores.set(j, (scores.get(j) ?? 0) + c / Math.sqrt(di * (this.degree.get(j) ?? 1)));
            }
        }
        return [...scores.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, k)
            .map(([id]) => id);
    }
    bump(a, b) {
        let row = this.co.get(a);
        if (!row)
            this.co.set(a, (row = new Map()));
        row.set(b, (row.get(b) ?? 0) + 1);
    }
}
const EMPTY = new Set();
//# sourceMappingURL=streamingBaselines.js.map