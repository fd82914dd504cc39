/** User segments by trained history length: each gets its own prior weight. */
export const PRIOR_SEGMENTS = ['new', 'short', 'medium', 'long'];
/** The segment of a user with `seenCount` trained items: none, 1-4, 5-19, 20 or more. */
export function priorSegment(seenCount) {
    return seenCount === 0 ? 'new' : seenCount < 5 ? 'short' : seenCount < 20 ? 'medium' : 'long';
}
/** Cosine neighbours read before the prior re-ranks them (besides the trending candidates). */
export const PRIOR_DEPTH = 200;
/**
 * Candidates for a U2I query under a prior: the `depth` nearest items by cosine and the trending
 * ones, without `exclude`, each with its cosine. Trending items without a vector are skipped.
 */
export function priorCandidates(items, query, exclude, prior, depth = PRIOR_DEPTH) {
    const near = items.query(query, depth, exclude);
    const have = new Set(near.map((n) => n.id));
    for (const id of prior.trending) {
        if (have.has(id) || exclude.has(id))
            continue;
        const v = items.vector(id);
        if (!v)
            continue;
        let dot = 0;
        for (let d = 0; d < v.length; d++)
            dot += v[d] * query[d];
        near.push({ id, score: dot });
        have.add(id);
    }
    return near;
}
/** Candidates re-scored with the prior at weight `beta`, best first (stable: ties keep candidate order), at most k. */
export function rankWithPrior(candidates, prior, beta, k) {
    const scale = beta * prior.temperature;
    return candidates
        .map((n) => ({ id: n.id, score: n.score + scale * (prior.logQ.get(n.id) ?? prior.floor) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
}
/**
 * The prior as data, its logQ table written out for `itemIds` (what a snapshot can rank: a live
 * view has no list of its own); without ids the prior's logQ must be a table.
 */
export function priorToData(p, itemIds) {
    const logQ = [];
    if (itemIds) {
        for (const id of itemIds) {
            const l = p.logQ.get(id);
            if (l !== undefined)
                logQ.push([id, l]);
        }
    }
    else if (p.logQ instanceof Map) {
        for (const entry of p.logQ)
            logQ.push(entry);
    }
    else {
        throw new RangeError('priorToData: a live logQ view needs the item ids to write out');
    }
    return { temperature: p.temperature, beta: { ...p.beta }, logQ, floor: p.floor, trending: [...p.trending] };
}
/** @throws RangeError naming what is malformed. */
export function priorFromData(d) {
    const o = d;
    const finite = (x) => typeof x === 'number' && Number.isFinite(x);
    if (!o || typeof o !== 'object')
        throw new RangeError('prior: not an object');
    if (!finite(o.temperature) || !(o.temperature > 0))
        throw new RangeError('prior: temperature must be a number > 0');
    if (!finite(o.floor))
        throw new RangeError('prior: floor must be a finite number');
    if (!o.beta || !PRIOR_SEGMENTS.every((s) => finite(o.beta[s]) && o.beta[s] >= 0))
        throw new RangeError(`prior: beta must give a number >= 0 for each of ${PRIOR_SEGMENTS.join(', ')}`);
    if (!Array.isArray(o.logQ) || !o.logQ.every((e) => Array.isArray(e) && typeof e[0] === 'string' && finite(e[1])))
        throw new RangeError('prior: logQ must be [item, number] pairs');
    if (!Array.isArray(o.trending) || !o.trending.every((i) => typeof i === 'string'))
        throw new RangeError('prior: trending must be item ids');
    const beta = Object.fromEntries(PRIOR_SEGMENTS.map((s) => [s, o.beta[s]]));
    return { temperature: o.temperature, beta, logQ: new Map(o.logQ), floor: o.floor, trending: o.trending };
}
//# sourceMappingURL=popularityPrior.js.map