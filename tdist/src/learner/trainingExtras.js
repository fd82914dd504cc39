import { buildNegativePools, clusterHardNegatives } from './hardNegatives.js';
import { vectorTable } from '../index/indexSnapshot.js';
export function encodedSide(ids, vectors, row) {
    return { ...vectorTable(ids, vectors, row), neighbours: new Map() };
}
/**
 * Hard-negative pools for a (clustering, snapshot) pair, rebuilt only when either changes: pools
 * carry the per-anchor memo of chosen negatives, which is valid for exactly that pair.
 */
export class PoolCache {
    cached = null;
    pools(spec, vectors, dim) {
        const c = this.cached;
        if (c && c.spec === spec && c.vectors === vectors)
            return c.pools;
        const pools = buildNegativePools(spec.clusterOf, spec.k, vectors, dim, spec.sample, spec.seed);
        this.cached = { spec, vectors, pools };
        return pools;
    }
}
export function sideExtras(ids, index, vectors, dim, pools, o) {
    return {
        positives: o.knnPositives > 0 ? knnPositives(ids, index, vectors, dim, o.knnPositives, o.searchEf) : null,
        negatives: pools && o.hardNegatives > 0 ? clusterHardNegatives(ids, vectors, pools, o.hardNegatives, o.hardNegativeClusters) : null,
    };
}
/**
 * kNN positives: each anchor's k nearest neighbours in the snapshot's index. Anchors not yet in
 * the index get masked-out slots.
 */
export function knnPositives(ids, index, vectors, dim, k, ef) {
    const positives = {
        perAnchor: k,
        dim,
        data: new Float32Array(ids.length * k * dim),
        mask: new Float32Array(ids.length * k),
    };
    ids.forEach((id, a) => {
        const v = vectors.vector(id);
        if (!v)
            return;
        // The snapshot is immutable, so an anchor's neighbours are fixed until the next refresh; popular
        // anchors recur in most batches, and the memo turns their repeated HNSW searches into lookups.
        let found = vectors.neighbours.get(id);
        if (!found || found.k < k) {
            // One extra result instead of an exclusion filter: hnswlib calls a JS filter per visited node.
            found = {
                k,
                list: index
                    .query(v, k + 1, undefined, { ef: ef > 0 ? ef : k + 1 })
                    .filter((nb) => nb.id !== id)
                    .slice(0, k),
            };
            vectors.neighbours.set(id, found);
        }
        found.list.slice(0, k).forEach((nb, slot) => {
            positives.data.set(vectors.vector(nb.id), (a * k + slot) * dim);
            positives.mask[a * k + slot] = 1;
        });
    });
    return positives;
}
/** The distinct users and items of a batch in order of first appearance (the batch's anchor order). */
export function batchAnchors(events) {
    const users = new Set();
    const items = new Set();
    for (const e of events) {
        users.add(e.userId);
        items.add(e.itemId);
    }
    return { userIds: [...users], itemIds: [...items] };
}
//# sourceMappingURL=trainingExtras.js.map