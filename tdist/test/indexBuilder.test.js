import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackgroundIndexBuilder } from '../src/index/backgroundIndexBuilder.js';
import { HnswIndex } from '../src/index/hnswIndex.js';
import { IndexError } from '../src/errors.js';
import { unitVectors } from './helpers/vectors.js';
test('BackgroundIndexBuilder: a worker-built index answers exactly like one built inline; bad input fails with IndexError and the builder carries ' +
    'on', async () => {
    const dim = 16;
    const n = 2000;
    const ids = Array.from({ length: n }, (_, i) => `v${i}`);
    const vectors = unitVectors(n, dim, 1);
    const options = { dim, m: 16, efConstruction: 100, efSearch: 50, seed: 7 };
    const inline = new HnswIndex({ ...options, initialCapacity: n });
    inline.add(ids, vectors);
    const builder = new BackgroundIndexBuilder();
    try {
        const [built, again] = await Promise.all([
            builder.build(ids, vectors, options),
            builder.build(ids.slice(0, 10), vectors.subarray(0, 10 * dim), options),
        ]);
        assert.equal(built.size, n);
        assert.equal(again.size, 10);
        assert.deepEqual(built.ids(), ids);
        assert.deepEqual([...built.vector('v42')], [...vectors.subarray(42 * dim, 43 * dim)]);
        const queries = unitVectors(50, dim, 2);
        for (let q = 0; q < 50; q++) {
            const v = queries.subarray(q * dim, (q + 1) * dim);
            assert.deepEqual(built.query(v, 10).map((r) => r.id), inline.query(v, 10).map((r) => r.id));
        }
        assert.ok(vectors[0] !== 0 && vectors.length === n * dim, 'the caller keeps its vectors');
        await assert.rejects(builder.build(['a', 'b'], new Float32Array(3), options), IndexError);
        const after = await builder.build(['x'], vectors.subarray(0, dim), options);
        assert.deepEqual(after.query(vectors.subarray(0, dim), 1).map((r) => r.id), ['x']);
    }
    finally {
        await builder.close();
    }
});
//# sourceMappingURL=indexBuilder.test.js.map