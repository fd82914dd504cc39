import * as tf from '@tensorflow/tfjs';
/**
 * The [B, n] 0/1 matrix selecting row idx[b] for each b (gather as a matmul: gather's gradient is
 * missing on wasm), or its [n, B] transpose, built on the host either way.
 */
export function selectionMatrix(idx, n, transposed = false) {
    const b = idx.length;
    const m = new Float32Array(b * n);
    idx.forEach((j, r) => (m[transposed ? j * b + r : r * n + j] = 1));
    return tf.tensor2d(m, transposed ? [n, b] : [b, n]);
}
/**
 * Rows idx[b] of x, differentiable on every backend, with a hand-written gradient (the scatter of
 * dy back onto the rows):
 * - native TensorFlow: tf.gather, gradient one UnsortedSegmentSum (tfjs-core's own gather gradient
 *   wraps it in two identity-permutation Transposes that still copy: 18 kernels per MIC 256 step);
 * - elsewhere a selection-matrix matmul, gradient Sᵀ dy with Sᵀ built on the host (autodiff's
 *   transposed matmul runs outside XNNPACK on wasm, 5-10x slower, see matMul.ts): wasm has no
 *   UnsortedSegmentSum, and the plain-JS cpu backend has one that made a DSSM step ~1.9x slower
 *   than the matmul (bench:train).
 * Index tensors and matrices are made where they are used: one made outside the forward function
 * is disposed before the gradient runs.
 */
export function gatherRows(x, idx) {
    const n = x.shape[0];
    const native = tf.getBackend() === 'tensorflow';
    const gather = tf.customGrad(((rows) => ({
        value: native ? tf.gather(rows, tf.tensor1d(idx, 'int32')) : tf.matMul(selectionMatrix(idx, n), rows),
        gradFunc: (dy) => [
            native ? tf.unsortedSegmentSum(dy, tf.tensor1d(idx, 'int32'), n) : tf.matMul(selectionMatrix(idx, n, true), dy),
        ],
    })));
    return gather(x);
}
//# sourceMappingURL=gatherRows.js.map