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

type SaveFunc = (tensors: tf.Tensor[]) => void;
type LossGrad = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
/** tf.customGrad over two matrices, typed for the losses below. */
function customLoss(f: (x: tf.Tensor2D, y: tf.Tensor2D, save: SaveFunc) => { value: tf.Scalar; gradFunc: LossGrad }): (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar;
}

/**
 * In-batch sampled softmax: each query's positive candidate against all other candidates of the
 * batch. loss_b = logsumexp_j(l_bj) - l_b,pos(b), with l_bj = <q_b, c_j> / tau - logQ_j.
 * Shapes: queries [B, D], candidates [M, D], positives int32 [B] (column of each query's positive).
 * The backward pass is written out, dL/dl = w_b (softmax(l_b) - target_b), so that the step runs two
 * matmuls instead of autodiff's ~25 kernels (kernel dispatch dominates small steps on every backend).
 * @returns scalar (weighted) mean loss.
 */
export function inBatchSoftmaxLoss(queries: tf.Tensor2D, candidates: tf.Tensor2D, positives: tf.Tensor1D, options: InBatchSoftmaxOptions): tf.Scalar {
  const tau = options.temperature;
  const loss = customLoss((q, c, save) => {
    let logits = tf.div(tf.matMul(q, c, false, true), tau) as tf.Tensor2D;
    if (options.logQ) logits = tf.sub(logits, options.logQ.expandDims(0));
    if (options.removeMask) logits = tf.add(logits, tf.mul(options.removeMask, -1e9));
    const m = c.shape[0];
    // tf.oneHot rejects depth 1 (a batch with a single candidate); that one-hot is all ones.
    let targets: tf.Tensor2D = m === 1 ? tf.ones([positives.shape[0], 1]) : (tf.oneHot(positives, m).toFloat() as tf.Tensor2D);
    if (options.extraPositives) {
      const t = tf.add(targets, options.extraPositives);
      targets = tf.div(t, tf.sum(t, 1, true));
    }
    const lse = tf.logSumExp(logits, 1, true);
    const perExample = tf.sub(tf.reshape(lse, [-1]), tf.sum(tf.mul(logits, targets), 1));
    // Row weights normalised to sum 1: the loss is their weighted mean.
    const rowWeight = options.weights ? tf.div(options.weights, tf.sum(options.weights)) : tf.fill([q.shape[0]], 1 / q.shape[0]);
    save([q, c, logits, lse, targets, rowWeight]);
    return {
      value: tf.sum(tf.mul(perExample, rowWeight)) as tf.Scalar,
      gradFunc: (dy, saved) => {
        const [sq, sc, sl, slse, st, sw] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const g = tf.mul(tf.sub(tf.exp(tf.sub(sl, slse)), st), tf.expandDims(tf.mul(sw, tf.div(dy, tau)), 1)) as tf.Tensor2D;
        return [tf.matMul(g, sc), tf.matMul(g, sq, true, false)];
      },
    };
  });
  return tf.tidy(() => loss(queries, candidates));
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
 * Backward written out: with G = (softmax(s) - w / Σw) / 2N, dz = (G_in + G_inᵀ) z / tau plus
 * Σ_j G_rj e_rj / tau over the extras. Shapes: a, b [N, D]. @returns scalar mean over the 2N rows.
 */
export function contrastiveLoss(a: tf.Tensor2D, b: tf.Tensor2D, options: ContrastiveOptions): tf.Scalar {
  const tau = options.temperature;
  const h = options.extraNegatives?.shape[1] ?? 0;
  const k = options.extraPositives?.shape[1] ?? 0;
  const loss = customLoss((x, y, save) => {
    const n = x.shape[0];
    const z = tf.concat([x, y], 0);
    const twice = <T extends tf.Tensor>(t: T): T => tf.concat([t, t], 0) as T;
    // In-batch similarities, self excluded.
    const columns: tf.Tensor2D[] = [tf.add(tf.div(tf.matMul(z, z, false, true), tau), tf.mul(tf.eye(2 * n), -1e9)) as tf.Tensor2D];
    // Both views of anchor i use anchor i's extras: negatives then positives, [2N, H + K, D].
    const extraParts: tf.Tensor3D[] = [];
    const maskParts: tf.Tensor2D[] = [];
    if (h > 0) {
      extraParts.push(options.extraNegatives!);
      maskParts.push(options.extraNegativeMask ?? tf.ones([n, h]));
    }
    if (k > 0) {
      extraParts.push(options.extraPositives!);
      maskParts.push(options.extraPositiveMask ?? tf.ones([n, k]));
    }
    const extras = extraParts.length ? twice(extraParts.length === 1 ? extraParts[0]! : (tf.concat(extraParts, 1) as tf.Tensor3D)) : null;
    const extraMask = maskParts.length ? twice(maskParts.length === 1 ? maskParts[0]! : (tf.concat(maskParts, 1) as tf.Tensor2D)) : null;
    if (extras && extraMask) {
      const s = tf.div(tf.reshape(tf.matMul(tf.expandDims(z, 1), extras, false, true), [2 * n, h + k]), tau);
      // Padded extras get -1e9: out of the softmax.
      columns.push(tf.add(s, tf.mul(tf.sub(1, extraMask), -1e9)) as tf.Tensor2D);
    }
    const logits = columns.length === 1 ? columns[0]! : (tf.concat(columns, 1) as tf.Tensor2D);
    const lse = tf.logSumExp(logits, 1, true);
    // Target weights: 1 at the other view, w at the (real) extra positives, normalised per row.
    const viewTarget = tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]);
    const parts: tf.Tensor2D[] = [tf.oneHot(viewTarget, 2 * n).toFloat() as tf.Tensor2D];
    if (h > 0) parts.push(tf.zeros([2 * n, h]));
    if (k > 0) parts.push(tf.mul(tf.slice(extraMask!, [0, h], [2 * n, k]), options.extraPositiveWeight ?? 1) as tf.Tensor2D);
    const weights = parts.length === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor2D);
    const targets = tf.div(weights, tf.sum(weights, 1, true)) as tf.Tensor2D;
    const perExample = tf.sub(tf.reshape(lse, [-1]), tf.sum(tf.mul(targets, logits), 1));
    save(extras ? [z, logits, lse, targets, extras] : [z, logits, lse, targets]);
    return {
      value: tf.mean(perExample) as tf.Scalar,
      gradFunc: (dy, saved) => {
        const [sz, sl, slse, st, se] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor3D | undefined];
        const g = tf.mul(tf.sub(tf.exp(tf.sub(sl, slse)), st), tf.div(dy, 2 * n * tau)) as tf.Tensor2D;
        const gIn = se ? (tf.slice(g, [0, 0], [2 * n, 2 * n]) as tf.Tensor2D) : g;
        let dz = tf.matMul(tf.add(gIn, tf.transpose(gIn)), sz) as tf.Tensor2D;
        if (se) {
          const gEx = tf.slice(g, [0, 2 * n], [2 * n, h + k]);
          dz = tf.add(dz, tf.reshape(tf.matMul(tf.expandDims(gEx, 1), se), [2 * n, -1]));
        }
        return [tf.slice(dz, [0, 0], [n, -1]), tf.slice(dz, [n, 0], [n, -1])];
      },
    };
  });
  return tf.tidy(() => loss(a, b));
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
