import { fuseNeighbours } from './neighbourFusion.js';
import { UserCoconsumption } from './userCoconsumption.js';
/** Neighbours read from each source before the fusion. */
export const U2U_FUSION_DEPTH = 50;
/** The indexed users that have no seen items (they cannot contribute to U2U). */
export function usersWithoutItems(users, seenItems) {
    return new Set(users.ids().filter((u) => seenItems(u).size === 0));
}
/**
 * The user's nearest users that have seen items (U2U), without the user: the towers' nearest users,
 * fused with the co-consumption neighbours when the snapshot has that source (see
 * neighbourFusion.ts). Null when neither source knows the user. The one U2U neighbour rule of the
 * API, merged recall, the learner's checks and the evaluation.
 * @param withoutItems indexed users without seen items (`usersWithoutItems`): cold users'
 *   attribute-only vectors sit close together, so without this a cold user's neighbours would be
 *   other cold users and U2U would propose nothing. Co-consumption neighbours always have items.
 */
export function similarUsers(snap, userId, k, withoutItems) {
    const v = snap.users.vector(userId);
    const co = snap.coconsumption;
    const depth = co ? Math.max(k, U2U_FUSION_DEPTH) : k;
    const fromTowers = v
        ? snap.users
            .query(v, depth + 1, withoutItems)
            .filter((n) => n.id !== userId)
            .slice(0, depth)
        : null;
    if (!co)
        return fromTowers;
    const fromCo = co.table.neighbours(userId, U2U_FUSION_DEPTH);
    if (!fromTowers && !fromCo)
        return null;
    return fuseNeighbours(fromTowers ?? [], fromCo ?? [], co.weight, k);
}
/**
 * Recommendation through neighbours: each item scores the summed similarity of the neighbours who
 * interacted with it, the user's own `seen` items left out; the best `n`, ties by id.
 */
export function itemsThroughNeighbours(neighbours, seenItems, seen, n) {
    const scores = new Map();
    for (const nb of neighbours)
        for (const item of seenItems(nb.id))
            if (!seen.has(item))
                scores.set(item, (scores.get(item) ?? 0) + nb.score);
    return [...scores]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, n)
        .map(([id]) => id);
}
export function coconsumptionToData(co) {
    return { weight: co.weight, table: co.table.toData() };
}
/** @throws RangeError naming what is malformed. */
export function coconsumptionFromData(d) {
    const o = d;
    if (!o || typeof o !== 'object')
        throw new RangeError('coconsumption: not an object');
    if (typeof o.weight !== 'number' || !(o.weight >= 0 && o.weight <= 1))
        throw new RangeError('coconsumption: weight must be a number in [0, 1]');
    if (!o.table || typeof o.table !== 'object')
        throw new RangeError('coconsumption: table missing');
    return { weight: o.weight, table: UserCoconsumption.fromData(o.table) };
}
//# sourceMappingURL=userNeighbours.js.map