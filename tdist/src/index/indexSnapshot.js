import { PRIOR_DEPTH, priorCandidates, priorSegment, rankWithPrior } from './popularityPrior.js';
/** The vector a user's U2I query uses: the blended one when the snapshot has them, else the user's index vector. */
export function u2iQueryVector(snap, userId) {
    return snap.u2iQueries?.vector(userId) ?? snap.users.vector(userId);
}
/** id -> row of `ids`; build it once when several tables share the ids. */
export function rowIndex(ids) {
    return new Map(ids.map((id, i) => [id, i]));
}
export function vectorTable(ids, vectors, row = rowIndex(ids)) {
    const dim = ids.length ? vectors.length / ids.length : 0;
    if (!Number.isInteger(dim))
        throw new RangeError(`vectorTable: ${vectors.length} values for ${ids.length} ids`);
    return {
        ids,
        vectors,
        vector(id) {
            const r = row.get(id);
            return r === undefined ? undefined : vectors.subarray(r * dim, (r + 1) * dim);
        },
    };
}
/**
 * The U2I answer of a snapshot: the cosine neighbours, re-ranked by the snapshot's prior at the
 * user's segment weight when it has one above 0.
 */
export function u2iRanking(snap, query, k, seen) {
    const prior = snap.prior;
    const beta = prior ? prior.beta[priorSegment(seen.size)] : 0;
    if (!prior || !(beta > 0))
        return snap.items.query(query, k, seen);
    return rankWithPrior(priorCandidates(snap.items, query, seen, prior, Math.max(k, PRIOR_DEPTH)), prior, beta, k);
}
//# sourceMappingURL=indexSnapshot.js.map