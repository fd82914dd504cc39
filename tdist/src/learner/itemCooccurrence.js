import { IdTable } from '../util/idTable.js';
export const ITEM_COOCCURRENCE_DEFAULTS = { window: 20, keep: 100 };
/**
 * Streaming item-to-item co-occurrence, the learner's memory-based I2I source beside the towers:
 * each trained event counts one co-occurrence of its item with each of the user's previous
 * `window` items, and an item's neighbours rank by count / sqrt(deg(a) deg(b)) (the cosine of
 * Item-CF, over pairs near in each user's sequence). Memory is bounded per item: a row that reaches
 * 2 x `keep` entries keeps its `keep` largest counts, so pairs that keep coming back stay and
 * one-off pairs go; the degrees are one number per item, the windows `window` ids per user.
 */
export class ItemCooccurrence {
    options;
    rows = new Map();
    degree = new Map();
    recent = new Map();
    constructor(options = {}) {
        this.options = { ...ITEM_COOCCURRENCE_DEFAULTS, ...options };
        const { window, keep } = this.options;
        if (!(Number.isInteger(window) && window >= 1))
            throw new RangeError(`item co-occurrence: window must be an integer >= 1, got ${window}`);
        if (!(Number.isInteger(keep) && keep >= 1))
            throw new RangeError(`item co-occurrence: keep must be an integer >= 1, got ${keep}`);
    }
    /** Count the events' pairs, in order (call once per trained event, after the step). */
    learn(events) {
        for (const e of events) {
            let window = this.recent.get(e.userId);
            if (!window)
                this.recent.set(e.userId, (window = []));
            for (const other of window) {
                if (other === e.itemId)
                    continue;
                this.bump(e.itemId, other);
                this.bump(other, e.itemId);
            }
            this.degree.set(e.itemId, (this.degree.get(e.itemId) ?? 0) + 1);
            window.push(e.itemId);
            if (window.length > this.options.window)
                window.shift();
        }
    }
    /** The user's latest item (the trigger of their next I2I question), if any. */
    lastItem(userId) {
        return this.recent.get(userId)?.at(-1);
    }
    /** Up to `n` neighbours of `itemId` by cosine-normalised count, best first (ties: first counted); null when it has none. */
    neighbours(itemId, n) {
        const row = this.rows.get(itemId);
        const da = this.degree.get(itemId);
        if (!row || da === undefined)
            return null;
        const out = [];
        for (const [id, count] of row) {
            const db = this.degree.get(id);
            // A forgotten item (id expiry) keeps no degree: it is not answered any more.
            if (db === undefined)
                continue;
            out.push({ id, score: count / Math.sqrt(da * db) });
        }
        out.sort((a, b) => b.score - a.score);
        return out.length > n ? out.slice(0, n) : out;
    }
    /** Items with a row (what I2I can answer from co-occurrence). */
    items() {
        return this.rows.keys();
    }
    /** Stored pairs (one per direction), for the memory metrics. */
    get pairCount() {
        let n = 0;
        for (const row of this.rows.values())
            n += row.size;
        return n;
    }
    forgetUser(userId) {
        this.recent.delete(userId);
    }
    forgetItem(itemId) {
        this.rows.delete(itemId);
        this.degree.delete(itemId);
    }
    /** Offline epochs replay the stream from its start: the windows restart empty (the counts carry over). */
    clearWindows() {
        this.recent.clear();
    }
    /** Checkpoint state: ids once, rows and windows as index arrays. */
    toData() {
        const table = new IdTable();
        const idOf = table.numberOf;
        const degreeIds = new Int32Array(this.degree.size);
        const degrees = new Float64Array(this.degree.size);
        let d = 0;
        for (const [id, n] of this.degree)
            [degreeIds[d], degrees[d++]] = [idOf(id), n];
        let pairs = 0;
        for (const row of this.rows.values())
            pairs += row.size;
        const rowIds = new Int32Array(this.rows.size);
        const rowEnds = new Int32Array(this.rows.size);
        const neighbours = new Int32Array(pairs);
        const counts = new Float64Array(pairs);
        let r = 0;
        let p = 0;
        for (const [id, row] of this.rows) {
            rowIds[r] = idOf(id);
            for (const [other, count] of row)
                [neighbours[p], counts[p++]] = [idOf(other), count];
            rowEnds[r++] = p;
        }
        const windows = [];
        for (const [user, items] of this.recent)
            windows.push([user, items.map(idOf)]);
        return { options: { ...this.options }, ids: table.ids, degreeIds, degrees, rowIds, rowEnds, neighbours, counts, windows };
    }
    /** The table `toData` described: it answers and continues exactly as the original (insertion orders kept). */
    static fromData(data) {
        const c = new ItemCooccurrence(data.options);
        const id = (i) => {
            const s = data.ids[i];
            if (s === undefined)
                throw new RangeError(`item co-occurrence state: id ${i} out of range`);
            return s;
        };
        data.degreeIds.forEach((i, d) => c.degree.set(id(i), data.degrees[d]));
        let p = 0;
        data.rowIds.forEach((i, r) => {
            const row = new Map();
            for (; p < data.rowEnds[r]; p++)
                row.set(id(data.neighbours[p]), data.counts[p]);
            c.rows.set(id(i), row);
        });
        for (const [user, items] of data.windows)
            c.recent.set(user, items.map(id));
        return c;
    }
    bump(a, b) {
        let row = this.rows.get(a);
        if (!row)
            this.rows.set(a, (row = new Map()));
        row.set(b, (row.get(b) ?? 0) + 1);
        if (row.size >= 2 * this.options.keep)
            this.shrink(a, row);
    }
    /** Keep the row's `keep` largest counts (ties: the first counted), in their counting order. */
    shrink(id, row) {
        const kept = new Set([...row]
            .map(([other, count], order) => ({ other, count, order }))
            .sort((x, y) => y.count - x.count || x.order - y.order)
            .slice(0, this.options.keep)
            .map((e) => e.other));
        const next = new Map();
        for (const [other, count] of row)
            if (kept.has(other))
                next.set(other, count);
        this.rows.set(id, next);
    }
}
//# sourceMappingURL=itemCooccurrence.js.map