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
  /**
   * Extra positive weight [B, M] (accidental hits treated as positives): row b's target becomes
   * (onehot(pos_b) + extraPositives_b) normalised to sum 1.
   */
  extraPositives?: tf.Tensor2D;
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
    // tf.oneHot rejects depth 1 (a batch with a single candidate); that one-hot is all ones.
    let targets: tf.Tensor2D = m === 1 ? tf.ones([positives.shape[0], 1]) : (tf.oneHot(positives, m).toFloat() as tf.Tensor2D);
    if (options.extraPositives) {
      const t = tf.add(targets, options.extraPositives);
      targets = tf.div(t, tf.sum(t, 1, true));
    }
    const target = tf.sum(tf.mul(logits, targets), 1);
    const perExample = tf.sub(tf.logSumExp(logits, 1), target);
    if (!options.weights) return tf.mean(perExample) as tf.Scalar;
    return tf.div(tf.sum(tf.mul(perExample, options.weights)), tf.sum(options.weights)) as tf.Scalar;
  });
}

export interface ContrastiveOptions {
  temperature: number;
  /** Extra negatives per anchor [N, H, D] (cluster hard negatives), constants. */
  extraNegatives?: tf.Tensor3D;
  /** Extra positives per anchor [N, K, D] (kNN / co-occurrence positives), constants. */
  extraPositives?: tf.Tensor3D;
  /** Weight of each extra positive relative to the view positive (weight 1). */
  extraPositiveWeight?: number;
  /** 1 = real, 0 = padding, [N, H] / [N, K]: anchors with fewer extras pad and mask them out. */
  extraNegativeMask?: tf.Tensor2D;
  extraPositiveMask?: tf.Tensor2D;
}

/**
 * NT-Xent / InfoNCE between N anchors and their perturbed views, extended with extra positives
 * and negatives (multi-positive form, as in SupCon's L_out). Rows are the 2N examples z = [a ; b];
 * the candidates of row r are every other example, then r's anchor's extra negatives and extra
 * positives. With P(r) = {the other view of r} ∪ extra positives and weights w (1 for the view,
 * `extraPositiveWeight` for extras):
 *   loss_r = -Σ_{p∈P(r)} w_p (s_rp - logsumexp_c s_rc) / Σ w_p,   s = <z_r, candidate> / tau.
 * Shapes: a, b [N, D]. @returns scalar mean over the 2N rows.
 */
export function contrastiveLoss(a: tf.Tensor2D, b: tf.Tensor2D, options: ContrastiveOptions): tf.Scalar {
  return tf.tidy(() => {
    const n = a.shape[0];
    const z = tf.concat([a, b], 0);
    const columns: tf.Tensor2D[] = [];
    // In-batch similarities, self excluded.
    const self = tf.mul(tf.eye(2 * n), -1e9);
    columns.push(tf.add(tf.div(tf.matMul(z, z, false, true), options.temperature), self) as tf.Tensor2D);
    const twice = <T extends tf.Tensor>(t: T): T => tf.concat([t, t], 0) as T;
    const perRow = (extra: tf.Tensor3D, mask: tf.Tensor2D | undefined): tf.Tensor2D => {
      // Both views of anchor i use anchor i's extras; padded extras get -1e9 (out of the softmax).
      const s = tf.div(tf.sum(tf.mul(z.expandDims(1), twice(extra)), 2), options.temperature) as tf.Tensor2D;
      return mask ? tf.add(s, tf.mul(tf.sub(1, twice(mask)), -1e9)) : s;
    };
    const h = options.extraNegatives?.shape[1] ?? 0;
    const k = options.extraPositives?.shape[1] ?? 0;
    if (options.extraNegatives && h > 0) columns.push(perRow(options.extraNegatives, options.extraNegativeMask));
    if (options.extraPositives && k > 0) columns.push(perRow(options.extraPositives, options.extraPositiveMask));
    const logits = columns.length === 1 ? columns[0]! : tf.concat(columns, 1);
    const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true));
    // Target weights: 1 at the other view, w at the extra positives.
    const viewTarget = tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]);
    const parts: tf.Tensor2D[] = [tf.oneHot(viewTarget, 2 * n).toFloat() as tf.Tensor2D];
    if (h > 0) parts.push(tf.zeros([2 * n, h]));
    if (k > 0) {
      const w = tf.fill([2 * n, k], options.extraPositiveWeight ?? 1) as tf.Tensor2D;
      parts.push(options.extraPositiveMask ? tf.mul(w, twice(options.extraPositiveMask)) : w);
    }
    const weights = parts.length === 1 ? parts[0]! : tf.concat(parts, 1);
    const perExample = tf.div(tf.neg(tf.sum(tf.mul(weights, logProb), 1)), tf.sum(weights, 1));
    return tf.mean(perExample) as tf.Scalar;
  });
}

/**
 * Pointwise binary cross-entropy on observed positives and sampled negatives:
 * softplus(-<q,p>/tau) + softplus(<q,n>/tau), mean over rows. Shapes: [B, D] each.
 */
export function pointwiseBceLoss(queries: tf.Tensor2D, positives: tf.Tensor2D, negatives: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const sPos = tf.div(tf.sum(tf.mul(queries, positives), 1), temperature);
    const sNeg = tf.div(tf.sum(tf.mul(queries, negatives), 1), temperature);
    return tf.mean(tf.add(tf.softplus(tf.neg(sPos)), tf.softplus(sNeg))) as tf.Scalar;
  });
}
