/**
 * Stable sort by timestamp (ties keep input order), then the first `trainFraction` of events is
 * training and the rest, up to `endFraction`, test: `0.8` is the test protocol, `0.6, 0.8` its
 * validation split (knobs are chosen there, the test period never seen). 0 < train < end <= 1.
 */
export function temporalSplit(events, trainFraction, endFraction = 1) {
    if (!(trainFraction > 0 && trainFraction < endFraction && endFraction <= 1))
        throw new RangeError(`expected 0 < trainFraction < endFraction <= 1, got ${trainFraction}, ${endFraction}`);
    const sorted = events
        .map((e, i) => [e, i])
        .sort((a, b) => a[0].timestamp - b[0].timestamp || a[1] - b[1])
        .map(([e]) => e);
    // The first floor(F * n) events train, as the reference protocol (../shared/datasets/README.md) cuts.
    const cut = Math.floor(sorted.length * trainFraction);
    return { train: sorted.slice(0, cut), test: sorted.slice(cut, Math.floor(sorted.length * endFraction)) };
}
/** Per-user item sets of a list of events. */
export function itemsByUser(events) {
    const out = new Map();
    for (const e of events) {
        let s = out.get(e.userId);
        if (!s)
            out.set(e.userId, (s = new Set()));
        s.add(e.itemId);
    }
    return out;
}
/** Consecutive (a then b) item pairs of the same user within `events` (already in time order). */
export function consecutivePairs(events) {
    const last = new Map();
    const pairs = [];
    for (const e of events) {
        const prev = last.get(e.userId);
        // A repeat of the same item is no I2I question (the query item is excluded from its own neighbours).
        if (prev !== undefined && prev !== e.itemId)
            pairs.push([prev, e.itemId]);
        last.set(e.userId, e.itemId);
    }
    return pairs;
}
//# sourceMappingURL=temporalSplit.js.map