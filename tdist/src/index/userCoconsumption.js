import { IdTable } from '../util/idTable.js';
export const USER_COCONSUMPTION_DEFAULTS = { window: 20, usersPerItem: 50 };
/**
 * Streaming user-to-user co-consumption, the learner's memory-based U2U source beside the towers:
 * each user keeps their latest `window` distinct items, each item its latest `usersPerItem`
 * distinct users, and a user's neighbours are the users met through their window's items, ranked
 * by shared items / sqrt(|window(u)| |window(v)|) (User-CF's cosine over recent behaviour). Memory
 * is bounded per id; what counts is recent, so a user's neighbours follow their current tastes.
 */
export class UserCoconsumption {
    options;
    /** Insertion-ordered: the oldest first, so a re-seen id moves to the end. */
    windows = new Map();
    usersOf = new Map();
    constructor(options = {}) {
        this.options = { ...USER_COCONSUMPTION_DEFAULTS, ...options };
        for (const key of ['window', 'usersPerItem']) {
            const v = this.options[key];
            if (!(Number.isInteger(v) && v >= 1))
                throw new RangeError(`user co-consumption: ${key} must be an integer >= 1, got ${v}`);
        }
    }
    /** Take the trained events in, in order (after the step). */
    learn(events) {
        for (const e of events) {
            let window = this.windows.get(e.userId);
            if (!window)
                this.windows.set(e.userId, (window = new Set()));
            pushRecent(window, e.itemId, this.options.window);
            let users = this.usersOf.get(e.itemId);
            if (!users)
                this.usersOf.set(e.itemId, (users = new Set()));
            pushRecent(users, e.userId, this.options.usersPerItem);
        }
    }
    /** Up to `n` neighbours of `userId`, best first (ties: met first); null when the user has no window. */
    neighbours(userId, n) {
        const window = this.windows.get(userId);
        if (!window)
            return null;
        const shared = new Map();
        for (const item of window)
            for (const other of this.usersOf.get(item) ?? [])
                if (other !== userId)
                    shared.set(other, (shared.get(other) ?? 0) + 1);
        const out = [];
        for (const [other, count] of shared) {
            // A forgotten user (id expiry) has no window: it is not answered any more.
            const size = this.windows.get(other)?.size;
            if (size)
                out.push({ id: other, score: count / Math.sqrt(window.size * size) });
        }
        out.sort((a, b) => b.score - a.score);
        return out.length > n ? out.slice(0, n) : out;
    }
    /** Ids held in the users' windows and the items' user lists, for the memory metrics. */
    get entryCount() {
        let n = 0;
        for (const w of this.windows.values())
            n += w.size;
        for (const u of this.usersOf.values())
            n += u.size;
        return n;
    }
    /** Users with a window (what U2U can answer from co-consumption). */
    users() {
        return this.windows.keys();
    }
    forgetUser(userId) {
        this.windows.delete(userId);
    }
    forgetItem(itemId) {
        this.usersOf.delete(itemId);
    }
    /** Checkpoint / publish state: ids once, windows and item users as index lists, oldest first. */
    toData() {
        const table = new IdTable();
        const idOf = table.numberOf;
        const windows = [];
        for (const [user, items] of this.windows)
            windows.push([idOf(user), [...items].map(idOf)]);
        const usersOf = [];
        for (const [item, users] of this.usersOf)
            usersOf.push([idOf(item), [...users].map(idOf)]);
        return { options: { ...this.options }, ids: table.ids, windows, usersOf };
    }
    /** The state `toData` described: it answers and continues exactly as the original. @throws RangeError when malformed. */
    static fromData(data) {
        const loading = UserCoconsumption.loading(data);
        let step = loading.next();
        while (!step.done)
            step = loading.next();
        return step.value;
    }
    /** `fromData` in steps: `pause` is awaited every `LOAD_STEP` entries (a thread that answers requests meanwhile). */
    static async fromDataInSteps(data, pause) {
        const loading = UserCoconsumption.loading(data);
        let step = loading.next();
        while (!step.done) {
            await pause();
            step = loading.next();
        }
        return step.value;
    }
    static *loading(data) {
        const c = new UserCoconsumption(data.options);
        const id = (i) => {
            const s = typeof i === 'number' ? data.ids[i] : undefined;
            if (typeof s !== 'string')
                throw new RangeError(`user co-consumption state: id ${String(i)} out of range`);
            return s;
        };
        if (!Array.isArray(data.ids))
            throw new RangeError('user co-consumption state: ids must be an array');
        for (const [list, into, name] of [
            [data.windows, c.windows, 'windows'],
            [data.usersOf, c.usersOf, 'usersOf'],
        ]) {
            if (!Array.isArray(list))
                throw new RangeError(`user co-consumption state: ${name} must be an array`);
            let n = 0;
            for (const entry of list) {
                if (!Array.isArray(entry) || !Array.isArray(entry[1]))
                    throw new RangeError(`user co-consumption state: each of ${name} must be [id, ids]`);
                into.set(id(entry[0]), new Set(entry[1].map(id)));
                if (++n % LOAD_STEP === 0)
                    yield;
            }
        }
        return c;
    }
}
/** Entries loaded between pauses of `fromDataInSteps`. */
const LOAD_STEP = 250;
/** Move `id` to the newest end of `recent` and drop the oldest beyond `cap`. */
function pushRecent(recent, id, cap) {
    recent.delete(id);
    recent.add(id);
    if (recent.size > cap)
        recent.delete(recent.values().next().value);
}
//# sourceMappingURL=userCoconsumption.js.map