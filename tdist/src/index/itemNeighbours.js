import { fuseNeighbours } from './neighbourFusion.js';
/** Neighbours read from each source before the fusion (and written out per item when published). */
export const I2I_FUSION_DEPTH = 50;
/**
 * The I2I answer of a snapshot: the towers' nearest items, fused with the co-occurrence neighbours
 * when the snapshot has that source; never `exclude` (which must hold the query item). Null when
 * neither source knows the item (an item with no vector yet can still be answered by co-occurrence).
 */
export function similarItems(snap, itemId, k, exclude) {
    const v = snap.items.vector(itemId);
    const co = snap.cooccurrence;
    if (!co)
        return v ? snap.items.query(v, k, exclude) : null;
    const fromCo = co.neighbours(itemId, exclude);
    if (!v && !fromCo)
        return null;
    const fromTowers = v ? snap.items.query(v, Math.max(k, I2I_FUSION_DEPTH), exclude) : [];
    return fuseNeighbours(fromTowers, fromCo ?? [], co.weight, k);
}
/** Written out for every item with neighbours (`I2I_FUSION_DEPTH` each: all that `similarItems` reads). */
export function cooccurrenceToData(co) {
    const lists = [];
    for (const item of co.items()) {
        const n = co.neighbours(item);
        if (n && n.length > 0)
            lists.push([item, n.map((x) => [x.id, x.score])]);
    }
    return { weight: co.weight, lists };
}
/** @throws RangeError naming what is malformed. */
export function cooccurrenceFromData(d) {
    const o = d;
    if (!o || typeof o !== 'object')
        throw new RangeError('cooccurrence: not an object');
    if (typeof o.weight !== 'number' || !(o.weight >= 0 && o.weight <= 1))
        throw new RangeError('cooccurrence: weight must be a number in [0, 1]');
    if (!Array.isArray(o.lists))
        throw new RangeError('cooccurrence: lists must be an array');
    const table = new Map();
    addCooccurrenceLists(table, o.lists);
    return cooccurrenceOf(o.weight, table);
}
/** Add lists in the data's form (`CooccurrenceData.lists`) to a table. @throws RangeError naming what is malformed. */
export function addCooccurrenceLists(table, lists) {
    for (const entry of lists) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1]))
            throw new RangeError('cooccurrence: each list must be [item, neighbours]');
        const neighbours = entry[1].map((n) => {
            if (!Array.isArray(n) || typeof n[0] !== 'string' || typeof n[1] !== 'number' || !Number.isFinite(n[1]))
                throw new RangeError(`cooccurrence: neighbours of ${entry[0]} must be [item, finite score] pairs`);
            return { id: n[0], score: n[1] };
        });
        table.set(entry[0], neighbours.slice(0, I2I_FUSION_DEPTH));
    }
}
/** The co-occurrence source of a table of written-out lists (best first, `I2I_FUSION_DEPTH` at most). */
export function cooccurrenceOf(weight, table) {
    if (!(weight >= 0 && weight <= 1))
        throw new RangeError('cooccurrence: weight must be a number in [0, 1]');
    return {
        weight,
        items: () => table.keys(),
        neighbours(itemId, exclude) {
            const list = table.get(itemId);
            if (!list)
                return null;
            return exclude ? list.filter((x) => !exclude.has(x.id)) : list;
        },
    };
}
//# sourceMappingURL=itemNeighbours.js.map