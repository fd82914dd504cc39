import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from './nativeKernels.js';
/**
 * Row-wise softmax cross-entropy of logits [B, M] against target distributions, with its gradient:
 *   loss_b = logsumexp_j(l_bj) - Σ_j T_bj l_bj,   dLogits_b = softmax(l_b) - T_b,
 * computed together because every softmax loss here needs exactly that gradient in its backward.
 * Targets: one class per row (int32 [B], `classes`) or dense rows summing to 1 ([B, M], `dense`).
 * On native TensorFlow this is one kernel ((Sparse)SoftmaxCrossEntropyWithLogits, which also
 * stabilises by the row max); elsewhere the same numbers from tfjs ops (`native` null forces
 * them, for tests). Not differentiable itself: call it inside a tf.customGrad forward function.
 */
export function softmaxCrossEntropy(logits, targets, native = nativeKernels()) {
    const [b, m] = logits.shape;
    if ('classes' in targets && targets.classes.length !== b)
        throw new RangeError(`softmaxCrossEntropy: ${targets.classes.length} classes for ${b} rows`);
    if (native) {
        const [loss, dLogits] = 'classes' in targets
            ? native.runMany('SparseSoftmaxCrossEntropyWithLogits', { T: 'float32', Tlabels: 'int32' }, [logits, tf.tensor1d(targets.classes, 'int32')], 2)
            : native.runMany('SoftmaxCrossEntropyWithLogits', { T: 'float32' }, [logits, targets.dense], 2);
        return { loss: loss, dLogits: dLogits };
    }
    const t = 'classes' in targets ? oneHotFloat(targets.classes, m) : targets.dense;
    const max = tf.max(logits, 1, true);
    const shifted = tf.sub(logits, max);
    const e = tf.exp(shifted);
    const total = tf.sum(e, 1, true);
    // logsumexp - Σ T l = log(total) - Σ T (l - max), as the rows of T sum to 1.
    const loss = tf.sub(tf.reshape(tf.log(total), [b]), tf.sum(tf.mul(t, shifted), 1));
    return { loss, dLogits: tf.sub(tf.div(e, total), t) };
}
/**
 * A float32 [n, depth] one-hot (out-of-range columns: an all-zero row). The wasm backend's OneHot
 * kernel (tfjs 4.22) writes int32 whatever dtype is asked for, so there it is built as int32 and
 * cast; OneHot needs depth >= 2, so a one-column batch is built on the host.
 */
export function oneHotFloat(columns, depth, on = 1) {
    if (depth < 2) {
        const data = new Float32Array(columns.length * depth);
        columns.forEach((c, r) => {
            if (c >= 0 && c < depth)
                data[r * depth + c] = on;
        });
        return tf.tensor2d(data, [columns.length, depth]);
    }
    const indices = tf.tensor1d(columns, 'int32');
    if (tf.getBackend() !== 'wasm')
        return tf.oneHot(indices, depth, on, 0, 'float32');
    const ones = tf.cast(tf.oneHot(indices, depth, 1, 0, 'int32'), 'float32');
    return on === 1 ? ones : tf.mul(ones, on);
}
//# sourceMappingURL=softmaxCrossEntropy.js.map