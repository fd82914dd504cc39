import { EMPTY_SET } from '../measure/channelMetrics.js';
/**
 * Items ranked by count over `events`, as a reusable ranker. Ties go to the larger count over
 * `tiesBy` (e.g. recent popularity broken by lifetime popularity), then to the first seen.
 */
export class PopularityRanker {
    order;
    constructor(events, tiesBy) {
        const counts = new Map();
        for (const e of events)
            counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
        const secondary = new Map();
        if (tiesBy)
            for (const e of tiesBy)
                if (counts.has(e.itemId))
                    secondary.set(e.itemId, (secondary.get(e.itemId) ?? 0) + 1);
        this.order = [...counts.entries()]
            .sort((a, b) => b[1] - a[1] || (secondary.get(b[0]) ?? 0) - (secondary.get(a[0]) ?? 0))
            .map(([id]) => id);
    }
    /** Top-k items not in `exclude`. */
    rank(k, exclude = EMPTY_SET) {
        const out = [];
        for (const id of this.order) {
            if (exclude.has(id))
                continue;
            out.push(id);
            if (out.length === k)
                break;
        }
        return out;
    }
}
export { CosineNeighbours } from './cosineNeighbours.js';
//# sourceMappingURL=baselines.js.map