import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HnswIndex } from '../src/index/hnswIndex.js';
import { BruteForceIndex } from '../src/index/bruteForceIndex.js';
import { IndexError } from '../src/errors.js';
import { unitVectors } from './helpers/vectors.js';
const require = createRequire(import.meta.url);
test('the hnswlib-node native addon was built at install (allowScripts) and loads', () => {
    const pkgDir = dirname(require.resolve('hnswlib-node/package.json'));
    assert.ok(existsSync(join(pkgDir, 'build', 'Release', 'addon.node')), 'addon.node missing: npm skipped the hnswlib-node install script (check allowScripts)');
    const binding = require('hnswlib-node');
    assert.equal(typeof binding.HierarchicalNSW, 'function');
});
test('HnswIndex agrees with the brute-force oracle (recall@10 >= 0.95), grows past its initial capacity', () => {
    const dim = 16;
    const n = 3000;
    const ids = Array.from({ length: n }, (_, i) => `v${i}`);
    const vectors = unitVectors(n, dim, 1);
    const hnsw = new HnswIndex({ dim, initialCapacity: 100 });
    const exact = new BruteForceIndex(dim);
    hnsw.add(ids, vectors);
    exact.add(ids, vectors);
    assert.equal(hnsw.size, n);
    assert.equal(hnsw.isExact(), false);
    assert.equal(exact.isExact(), true);
    const queries = unitVectors(100, dim, 2);
    let found = 0;
    for (let q = 0; q < 100; q++) {
        const v = queries.subarray(q * dim, (q + 1) * dim);
        const truth = new Set(exact.query(v, 10).map((r) => r.id));
        const got = hnsw.query(v, 10);
        assert.equal(got.length, 10);
        for (let i = 1; i < got.length; i++)
            assert.ok(got[i - 1].score >= got[i].score - 1e-6, 'scores sorted best first');
        found += got.filter((r) => truth.has(r.id)).length;
    }
    assert.ok(found / 1000 >= 0.95, `recall@10 = ${found / 1000}`);
});
test('per-query search effort: a small ef trades recall for speed, never returns fewer than k, and leaves the index ef as configured', () => {
    const dim = 16;
    const n = 3000;
    const ids = Array.from({ length: n }, (_, i) => `v${i}`);
    const vectors = unitVectors(n, dim, 1);
    const hnsw = new HnswIndex({ dim, m: 4, efConstruction: 20, efSearch: 200, initialCapacity: n });
    const exact = new BruteForceIndex(dim);
    hnsw.add(ids, vectors);
    exact.add(ids, vectors);
    const queries = unitVectors(200, dim, 3);
    const recall = (run) => {
        let found = 0;
        for (let q = 0; q < 200; q++) {
            const v = queries.subarray(q * dim, (q + 1) * dim);
            const truth = new Set(exact.query(v, 10).map((r) => r.id));
            const got = run(v);
            assert.equal(got.length, 10);
            found += got.filter((id) => truth.has(id)).length;
        }
        return found / 2000;
    };
    const before = recall((v) => hnsw.query(v, 10).map((r) => r.id));
    const low = recall((v) => hnsw.query(v, 10, undefined, { ef: 1 }).map((r) => r.id)); // raised to k = 10
    const after = recall((v) => hnsw.query(v, 10).map((r) => r.id));
    console.log(`recall@10 at ef 200: ${before}, at ef = k: ${low}`);
    assert.ok(low < before, `ef = k should lose some recall on this sparse graph (${low} vs ${before})`);
    assert.equal(after, before, 'the configured ef is restored after a per-query ef');
});
test('exclusion, replacement, vectors and k larger than the index', () => {
    const hnsw = new HnswIndex({ dim: 2 });
    hnsw.add(['a', 'b', 'c'], new Float32Array([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]));
    assert.deepEqual(hnsw.query(new Float32Array([1, 0]), 2).map((r) => r.id), ['a', 'c']);
    assert.deepEqual(hnsw.query(new Float32Array([1, 0]), 2, new Set(['a'])).map((r) => r.id), ['c', 'b']);
    assert.equal(hnsw.query(new Float32Array([1, 0]), 50).length, 3);
    assert.ok(Math.abs(hnsw.query(new Float32Array([1, 0]), 1)[0].score - 1) < 1e-6, 'score = inner product');
    assert.deepEqual([...hnsw.vector('a')], [1, 0]);
    assert.equal(hnsw.vector('a'), hnsw.vector('a'), 'read back once, then kept');
    hnsw.add(['a'], new Float32Array([0, 1]));
    assert.equal(hnsw.size, 3);
    assert.deepEqual([...hnsw.vector('a')], [0, 1], 'a replaced vector is read back anew');
    assert.equal(hnsw.vector('zzz'), undefined);
    assert.throws(() => hnsw.add(['d'], new Float32Array([1, 2, 3])), IndexError);
});
//# sourceMappingURL=index.test.js.map