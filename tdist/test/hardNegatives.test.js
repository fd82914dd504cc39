import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNegativePools, clusterHardNegatives } from '../src/learner/hardNegatives.js';
/** Unit vectors in 2-D at the given angles (degrees), as a snapshot. */
function snapshot(angles) {
    const vectors = new Map(Object.entries(angles).map(([id, deg]) => [id, Float32Array.from([Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)])]));
    return { ids: [...vectors.keys()], vector: (id) => vectors.get(id) };
}
test('cluster hard negatives: nearest sampled members of the nearest other clusters, best first; never the own cluster', () => {
    // Cluster 0 around 0°, cluster 1 around 60°, cluster 2 around 180° (far from everything in cluster 0).
    const snap = snapshot({ a0: 0, a1: 10, a2: -10, b0: 50, b1: 60, b2: 70, c0: 170, c1: 180, c2: 190 });
    const clusterOf = new Map([...'abc'].flatMap((p, c) => [0, 1, 2].map((i) => [`${p}${i}`, c])));
    const pools = buildNegativePools(clusterOf, 3, snap, 2, 10, 7);
    assert.deepEqual(pools.members.map((m) => m.length), [3, 3, 3]);
    const one = clusterHardNegatives(['a1'], snap, pools, 2, 1);
    // a1 at 10°: cluster 1 is the nearest other cluster; its nearest members are b0 (50°), then b1 (60°).
    const at = (out, slot) => Array.from(out.data.subarray(slot * 2, slot * 2 + 2));
    assert.deepEqual(Array.from(one.mask), [1, 1]);
    assert.deepEqual(at(one, 0), Array.from(snap.vector('b0')));
    assert.deepEqual(at(one, 1), Array.from(snap.vector('b1')));
    // Two clusters searched, four slots: the three cluster-1 members beat every cluster-2 member; c0 (170°) is next.
    const four = clusterHardNegatives(['a1'], snap, pools, 4, 2);
    assert.deepEqual(Array.from(four.mask), [1, 1, 1, 1]);
    assert.deepEqual(at(four, 2), Array.from(snap.vector('b2')));
    assert.deepEqual(at(four, 3), Array.from(snap.vector('c0')));
    // Unknown anchors get masked slots; an anchor missing from the clustering belongs to its nearest centroid.
    const unknown = clusterHardNegatives(['zz'], snap, pools, 2, 1);
    assert.deepEqual(Array.from(unknown.mask), [0, 0]);
    const lateSnap = snapshot({ a0: 0, a1: 10, a2: -10, b0: 50, b1: 60, b2: 70, c0: 170, c1: 180, c2: 190, new: 5 });
    const late = clusterHardNegatives(['new'], lateSnap, pools, 1, 1);
    assert.deepEqual(at(late, 0), Array.from(snap.vector('b0')), 'treated as cluster 0: negatives from cluster 1');
});
test('cluster hard negatives: the member sample is bounded, seeded and reproducible', () => {
    const angles = {};
    for (let i = 0; i < 200; i++)
        angles[`x${i}`] = (i % 2 ? 0 : 180) + (i % 17);
    const snap = snapshot(angles);
    const clusterOf = new Map(Object.keys(angles).map((id, i) => [id, i % 2]));
    const a = buildNegativePools(clusterOf, 2, snap, 2, 16, 3);
    const b = buildNegativePools(clusterOf, 2, snap, 2, 16, 3);
    const c = buildNegativePools(clusterOf, 2, snap, 2, 16, 4);
    assert.deepEqual(a.members.map((m) => m.length), [16, 16]);
    assert.deepEqual(a.members, b.members);
    assert.notDeepEqual(a.members, c.members);
    for (const [cluster, list] of a.members.entries())
        for (const id of list)
            assert.equal(clusterOf.get(id), cluster);
    // Centroids are unit length and come from all members, not only the sample.
    for (let k = 0; k < 2; k++)
        assert.ok(Math.abs(Math.hypot(a.centroids[2 * k], a.centroids[2 * k + 1]) - 1) < 1e-6);
});
//# sourceMappingURL=hardNegatives.test.js.map