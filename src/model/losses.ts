import * as tf from '@tensorflow/tfjs';

export interface InBatchSoftmaxOptions {
  /** Softmax temperature tau: logits are scores / tau. */
  temperature: number;
  /** log q(candidate) for the logQ sampling-bias correction, [M]; subtracted from the logits. */
  logQ?: tf.Tensor1D;
  /** 1 where a non-target candidate is also a positive of the query (accidental hit) to remove, [B, M]. */
  removeMask?: tf.Tensor2D;
  /** Per-example weights [B]; the loss is their weighted mean. */
  weights?: tf.Tensor1D;
}

/**
 * In-batch sampled softmax: each query's positive candidate against all other candidates of the
 * batch. loss_b = logsumexp_j(l_bj) - l_b,pos(b), with l_bj = <q_b, c_j> / tau - logQ_j.
 * Shapes: queries [B, D], candidates [M, D], positives int32 [B] (column of each query's positive).
 * @returns scalar mean loss.
 */
export function inBatchSoftmaxLoss(queries: tf.Tensor2D, candidates: tf.Tensor2D, positives: tf.Tensor1D, options: InBatchSoftmaxOptions): tf.Scalar {
  return tf.tidy(() => {
    let logits = tf.div(tf.matMul(queries, candidates, false, true), options.temperature) as tf.Tensor2D;
    if (options.logQ) logits = tf.sub(logits, options.logQ.expandDims(0));
    if (options.removeMask) logits = tf.add(logits, tf.mul(options.removeMask, -1e9));
    const m = candidates.shape[0];
    const target = tf.sum(tf.mul(logits, tf.oneHot(positives, m)), 1);
    const perExample = tf.sub(tf.logSumExp(logits, 1), target);
    if (!options.weights) return tf.mean(perExample) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(perExample, options.weights)), tf.sum(options.weights)) as tf.Scalar;
  });
}
