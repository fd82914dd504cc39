import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CosineNeighbours } from '../src/eval/cosineNeighbours.js';
import { Rng } from '../src/util/random.js';
/** The dense reference: full co-occurrence matrix, every candidate scored, sorted by (score desc, first seen). */
function dense(groups) {
    const ids = [];
    const at = new Map();
    for (const g of groups)
        for (const id of g)
            if (!at.has(id))
                at.set(id, ids.push(id) - 1);
    const n = ids.length;
    const co = new Float64Array(n * n);
    const deg = new Float64Array(n);
    for (const g of groups)
        for (const a of g) {
            deg[at.get(a)]++;
            for (const b of g)
                if (a !== b)
                    co[at.get(a) * n + at.get(b)]++;
        }
    const sim = (i, j) => co[i * n + j] / Math.sqrt(deg[i] * deg[j]);
    return {
        neighbours(id, k) {
            const i = at.get(id);
            const out = ids.map((x, j) => ({ id: x, score: sim(i, j), j })).filter((e) => e.j !== i && co[i * n + e.j] > 0);
            out.sort((a, b) => b.score - a.score || a.j - b.j);
            return out.slice(0, k).map(({ id: x, score }) => ({ id: x, score }));
        },
        profile(profile, k, exclude) {
            const scores = new Float64Array(n);
            for (const id of profile)
                for (let j = 0; j < n; j++)
                    if (co[at.get(id) * n + j] > 0)
                        scores[j] += sim(at.get(id), j);
            const order = [...ids.keys()].filter((j) => scores[j] > 0 && !exclude.has(ids[j]));
            order.sort((a, b) => scores[b] - scores[a] || a - b);
            return order.slice(0, k).map((j) => ids[j]);
        },
    };
}
test('sparse cosine neighbours equal the dense computation (ties by first appearance), ItemKNN profiles included', () => {
    const rng = new Rng(11);
    // Skewed popularity so that rows differ in length and ties occur.
    const groups = Array.from({ length: 300 }, () => new Set(Array.from({ length: 1 + rng.int(12) }, () => `i${Math.floor(rng.next() ** 2 * 150)}`)));
    const sparse = new CosineNeighbours(groups, 16); // a small memo: rows are recomputed and must not drift
    const ref = dense(groups);
    for (const id of sparse.ids) {
        for (const k of [1, 5, 40])
            assert.deepEqual(sparse.neighbours(id, k), ref.neighbours(id, k), `${id} k=${k}`);
    }
    for (const g of groups.slice(0, 120)) {
        const exclude = new Set([...g].slice(0, 1));
        for (const k of [3, 20])
            assert.deepEqual(sparse.scoreFromProfile(g, k, exclude), ref.profile(g, k, exclude));
    }
    assert.equal(sparse.neighbours('nobody', 5), null);
    assert.equal(sparse.scoreFromProfile(new Set(['nobody']), 5, new Set()), null);
    const [a, b] = [...groups[0]];
    if (a && b)
        assert.ok(Math.abs(sparse.similarity(a, b) - sparse.similarity(b, a)) < 1e-15);
});
test('sparse cosine neighbours scale: 100,000 items and 1,000,000 interactions in bounded time and memory', () => {
    const rng = new Rng(5);
    const users = 50_000;
    const groups = [];
    for (let u = 0; u < users; u++) {
        const g = new Set();
        while (g.size < 20)
            g.add(`i${Math.floor(rng.next() ** 3 * 100_000)}`);
        groups.push(g);
    }
    const started = Date.now();
    const heapBefore = process.memoryUsage().heapUsed;
    const sim = new CosineNeighbours(groups);
    assert.ok(sim.ids.length > 50_000, `${sim.ids.length} items`);
    for (let u = 0; u < 500; u++)
        assert.ok(sim.scoreFromProfile(groups[u], 20, groups[u]).length > 0);
    const seconds = (Date.now() - started) / 1000;
    const mib = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    // A dense matrix of this catalogue would need tens of GiB; the bounds leave room for slow CI machines.
    assert.ok(seconds < 60, `${seconds} s`);
    assert.ok(mib < 2048, `${mib} MiB`);
});
//# sourceMappingURL=cosineNeighbours.test.js.map