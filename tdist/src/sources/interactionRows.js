import { DatasetError } from '../errors.js';
/** More unreadable rows than this share and the file is not what it claims to be: refuse it. */
const MAX_BAD_SHARE = 0.1;
/** Seconds since 1970 stay below this until the year 5138; milliseconds are above it since 1973. */
const MILLISECONDS_ABOVE = 1e11;
/**
 * Collects a dataset's interaction rows, then turns them into events: the time unit (seconds or
 * milliseconds) told from the values, date strings parsed, rows without a user, an item or a
 * readable time skipped and counted (refused above MAX_BAD_SHARE), and a file without a time
 * column kept in file order (one second per row).
 */
export class InteractionRows {
    file;
    hasTime;
    users = [];
    items = [];
    times = [];
    bad = 0;
    firstBad = '';
    constructor(file, hasTime) {
        this.file = file;
        this.hasTime = hasTime;
    }
    add(user, item, time, lineNumber) {
        const u = user?.trim() ?? '';
        const i = item?.trim() ?? '';
        const t = this.hasTime ? parseTime(time) : this.users.length;
        if (u.length === 0 || i.length === 0 || !(t >= 0)) {
            this.bad++;
            if (!this.firstBad)
                this.firstBad = `${this.file}:${lineNumber}: ${u.length === 0 ? 'no user' : i.length === 0 ? 'no item' : `time ${JSON.stringify(time)} unreadable`}`;
            return;
        }
        this.users.push(u);
        this.items.push(i);
        this.times.push(t);
    }
    /** The events in file order, with side attributes joined; what was inferred goes to `notes`. */
    toEvents(users, items, notes) {
        const total = this.users.length + this.bad;
        if (total === 0)
            throw new DatasetError(`${this.file} holds no interactions`);
        if (this.bad > MAX_BAD_SHARE * total)
            throw new DatasetError(`${this.file}: ${this.bad} of ${total} rows unreadable (first: ${this.firstBad})`);
        if (this.bad > 0)
            notes.push(`${this.file}: skipped ${this.bad} unreadable rows of ${total} (first: ${this.firstBad})`);
        // Without a time column `times` holds row numbers: one second per row.
        const toMs = this.hasTime && median(this.times) > MILLISECONDS_ABOVE ? 1 : 1000;
        if (!this.hasTime)
            notes.push(`${this.file}: no time column; events keep file order, one second apart`);
        else if (toMs === 1)
            notes.push(`${this.file}: times read as milliseconds`);
        return this.users.map((userId, k) => {
            const event = { userId, itemId: this.items[k], timestamp: this.times[k] * toMs, type: 'rating' };
            const ua = users.get(userId);
            const ia = items.get(event.itemId);
            if (ua && Object.keys(ua).length > 0)
                event.userAttributes = ua;
            if (ia && Object.keys(ia).length > 0)
                event.itemAttributes = ia;
            return event;
        });
    }
}
/** A number, or a date string (ISO, RFC 2822) as milliseconds / 1000; NaN when neither. */
function parseTime(cell) {
    const text = cell?.trim() ?? '';
    if (text.length === 0)
        return NaN;
    const n = Number(text);
    if (Number.isFinite(n))
        return n;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? ms / 1000 : NaN;
}
function median(values) {
    const step = Math.max(1, Math.floor(values.length / 1001));
    const sample = [];
    for (let i = 0; i < values.length; i += step)
        sample.push(values[i]);
    sample.sort((a, b) => a - b);
    return sample[Math.floor(sample.length / 2)] ?? 0;
}
//# sourceMappingURL=interactionRows.js.map