import * as tf from '@tensorflow/tfjs';
/**
 * On the native backend, TensorFlow's eager kernel for aᵀ·b is ~1.5x slower than (bᵀ·a)ᵀ when the
 * product is tall (a [B, M], b [B, D], M > D) and a is large: 2.2 -> 1.4 ms at [1024, 729]ᵀ [1024,
 * 64], 0.67 -> 0.49 ms at [512, 400]; below ~150k elements the extra Transpose kernel costs more than
 * it saves (0.18 -> 0.21 ms at [256, 200]). Measured with scratch micro-benchmarks, session 9.
 */
const NATIVE_TALL_TRANSPOSE_MIN_SIZE = 150_000;
/**
 * a·b with optional transposes (like tf.matMul on 2-D tensors), written in the form that is fastest
 * on the active backend:
 * - wasm: its BatchMatMul uses XNNPACK only when neither operand is transposed (tfjs PR #2532) and
 *   otherwise a scalar loop, 5-10x slower than an explicit Transpose followed by the XNNPACK
 *   matmul (e.g. [600, 128]·[256, 128]ᵀ 22.4 -> 2.3 ms, [1024, 729]ᵀ·[1024, 64] 53 -> 11 ms);
 * - tensorflow: a tall aᵀ·b as (bᵀ·a)ᵀ (see NATIVE_TALL_TRANSPOSE_MIN_SIZE);
 * - otherwise tf.matMul as asked.
 * The result is the same product up to floating-point summation order.
 */
export function matMulFast(a, b, transposeA = false, transposeB = false) {
    if (!transposeA && !transposeB)
        return tf.matMul(a, b);
    const backend = tf.getBackend();
    if (backend === 'wasm')
        return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
    if (backend === 'tensorflow' && transposeA && !transposeB && a.shape[1] > b.shape[1] && a.size >= NATIVE_TALL_TRANSPOSE_MIN_SIZE) {
        return tf.transpose(tf.matMul(b, a, true, false));
    }
    return tf.matMul(a, b, transposeA, transposeB);
}
//# sourceMappingURL=matMul.js.map