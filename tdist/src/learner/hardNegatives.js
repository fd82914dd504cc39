import { Rng } from '../util/random.js';
/**
 * Group the snapshot's ids by cluster, compute the centroids from all members, and keep at most
 * `samplePerCluster` members per cluster (a seeded partial shuffle, so runs stay reproducible).
 */
export function buildNegativePools(clusterOf, k, snapshot, dim, samplePerCluster, seed) {
    const members = Array.from({ length: k }, () => []);
    const centroids = new Float32Array(k * dim);
    for (const id of snapshot.ids) {
        const c = clusterOf.get(id);
        const v = snapshot.vector(id);
        if (c === undefined || c < 0 || c >= k || !v)
            continue;
        members[c].push(id);
        for (let d = 0; d < dim; d++)
            centroids[c * dim + d] += v[d];
    }
    for (let c = 0; c < k; c++) {
        let norm = 0;
        for (let d = 0; d < dim; d++)
            norm += centroids[c * dim + d] ** 2;
        if (norm > 0)
            for (let d = 0, s = 1 / Math.sqrt(norm); d < dim; d++)
                centroids[c * dim + d] *= s;
    }
    const rng = new Rng(seed);
    const memberVectors = members.map((list) => {
        if (list.length > samplePerCluster) {
            for (let i = 0; i < samplePerCluster; i++) {
                const j = i + rng.int(list.length - i);
                [list[i], list[j]] = [list[j], list[i]];
            }
            list.length = samplePerCluster;
        }
        const out = new Float32Array(list.length * dim);
        list.forEach((id, i) => out.set(snapshot.vector(id), i * dim));
        return out;
    });
    return { k, dim, clusterOf, centroids, members, memberVectors, chosen: new Map() };
}
/**
 * MIC's cluster hard negatives: for each anchor, the `perAnchor` sampled members of other clusters
 * nearest to it (inner product), searched in the `nearestClusters` other clusters whose centroids
 * are nearest to the anchor. Anchors without a vector get none (masked); an anchor without a
 * cluster (new since the clustering) belongs to its nearest centroid.
 */
export function clusterHardNegatives(anchorIds, snapshot, pools, perAnchor, nearestClusters) {
    const { dim, k } = pools;
    const out = {
        perAnchor,
        dim,
        data: new Float32Array(anchorIds.length * perAnchor * dim),
        mask: new Float32Array(anchorIds.length * perAnchor),
    };
    const centroidScore = new Float64Array(k);
    const bestScore = new Float64Array(perAnchor);
    const bestCluster = new Int32Array(perAnchor);
    const bestRow = new Int32Array(perAnchor);
    anchorIds.forEach((id, a) => {
        const memo = pools.chosen.get(id);
        let picks = memo && memo.perAnchor === perAnchor && memo.nearestClusters === nearestClusters ? memo.picks : null;
        if (!picks) {
            const v = snapshot.vector(id);
            if (!v)
                return;
            picks = searchOtherClusters(v, pools.clusterOf.get(id), pools, perAnchor, nearestClusters, centroidScore, bestScore, bestCluster, bestRow);
            pools.chosen.set(id, { perAnchor, nearestClusters, picks });
        }
        for (let slot = 0; slot < picks.length / 2; slot++) {
            const c = picks[2 * slot];
            const r = picks[2 * slot + 1];
            out.data.set(pools.memberVectors[c].subarray(r * dim, (r + 1) * dim), (a * perAnchor + slot) * dim);
            out.mask[a * perAnchor + slot] = 1;
        }
    });
    return out;
}
/** The best `perAnchor` sampled members of the nearest other clusters, as (cluster, row) pairs, best first. */
function searchOtherClusters(v, ownCluster, pools, perAnchor, nearestClusters, centroidScore, bestScore, bestCluster, bestRow) {
    const { dim, k, centroids } = pools;
    for (let c = 0; c < k; c++) {
        let s = 0;
        for (let d = 0; d < dim; d++)
            s += v[d] * centroids[c * dim + d];
        centroidScore[c] = pools.members[c].length > 0 ? s : -Infinity;
    }
    let own = ownCluster;
    if (own === undefined) {
        own = 0;
        for (let c = 1; c < k; c++)
            if (centroidScore[c] > centroidScore[own])
                own = c;
    }
    centroidScore[own] = -Infinity;
    let found = 0;
    for (let pick = 0; pick < nearestClusters; pick++) {
        let c = -1;
        for (let j = 0; j < k; j++)
            if (centroidScore[j] > -Infinity && (c < 0 || centroidScore[j] > centroidScore[c]))
                c = j;
        if (c < 0)
            break;
        centroidScore[c] = -Infinity;
        const vectors = pools.memberVectors[c];
        const count = pools.members[c].length;
        for (let r = 0; r < count; r++) {
            let s = 0;
            for (let d = 0, off = r * dim; d < dim; d++)
                s += v[d] * vectors[off + d];
            // Keep the best `perAnchor` candidates, sorted descending (insertion into a short list).
            if (found === perAnchor && s <= bestScore[found - 1])
                continue;
            let at = found < perAnchor ? found++ : perAnchor - 1;
            while (at > 0 && bestScore[at - 1] < s) {
                bestScore[at] = bestScore[at - 1];
                bestCluster[at] = bestCluster[at - 1];
                bestRow[at] = bestRow[at - 1];
                at--;
            }
            bestScore[at] = s;
            bestCluster[at] = c;
            bestRow[at] = r;
        }
    }
    const picks = new Int32Array(2 * found);
    for (let slot = 0; slot < found; slot++) {
        picks[2 * slot] = bestCluster[slot];
        picks[2 * slot + 1] = bestRow[slot];
    }
    return picks;
}
//# sourceMappingURL=hardNegatives.js.map