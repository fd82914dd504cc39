import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { matMulFast } from '../src/ops/matMul.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
/** Float64 product of row-major matrices, with the transposes applied by index. */
function reference(a, [ar, ac], b, [br, bc], ta, tb) {
    const m = ta ? ac : ar;
    const k = ta ? ar : ac;
    const n = tb ? br : bc;
    assert.equal(k, tb ? bc : br, 'inner dimensions');
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
            let s = 0;
            for (let x = 0; x < k; x++)
                s += a[ta ? x * ac + i : i * ac + x] * b[tb ? j * bc + x : x * bc + j];
            out[i * n + j] = s;
        }
    return out;
}
test(`matMulFast equals the product for every transpose combination, small and past the native tall-product threshold (${tf.getBackend()})`, () => {
    // [600, 300]ᵀ·[600, 40] has 180k elements in a and M > D: the native backend's (bᵀa)ᵀ form.
    const cases = [
        [[5, 3], [3, 4], false, false],
        [[3, 5], [3, 4], true, false],
        [[5, 3], [4, 3], false, true],
        [[3, 5], [4, 3], true, true],
        [[600, 300], [600, 40], true, false],
        [[600, 40], [600, 300], true, false],
        [[300, 64], [200, 64], false, true],
    ];
    let seed = 1;
    const rand = (n) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    for (const [as, bs, ta, tb] of cases) {
        const a = rand(as[0] * as[1]);
        const b = rand(bs[0] * bs[1]);
        const got = tf.tidy(() => matMulFast(tf.tensor2d(a, as), tf.tensor2d(b, bs), ta, tb).dataSync());
        const want = reference(a, as, b, bs, ta, tb);
        assert.equal(got.length, want.length, `${as} ${bs} ${ta} ${tb}`);
        let worst = 0;
        for (let i = 0; i < want.length; i++)
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        // Inner dimension up to 600 of values in [-1, 1]: float32 summation error stays far below 1e-3.
        assert.ok(worst < 1e-3, `${as}${ta ? 'ᵀ' : ''} x ${bs}${tb ? 'ᵀ' : ''}: max error ${worst}`);
    }
});
//# sourceMappingURL=matMul.test.js.map