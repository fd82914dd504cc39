import * as tf from '@tensorflow/tfjs';
import { matMulFast } from '../ops/matMul.js';
import { softmaxCrossEntropy } from '../ops/softmaxCrossEntropy.js';
import { denseLogitOffset, logQOffset, removedColumns, rowWeights, softmaxTargets } from './softmaxAdjustments.js';
/** tf.customGrad over two matrices, typed for the losses below. */
function customLoss(f) {
    return tf.customGrad(f);
}
/**
 * The constant inputs of the in-batch softmax, composed from the adjustments of
 * softmaxAdjustments.ts: the additive logit offset (logQ correction, removed candidates), the
 * targets (one class per query, or dense rows when accidental hits count as extra positives) and
 * the row weights. Only the dense options (removeMask, extraPositives) build [B, M] arrays on the
 * host: at B = 1024 the host build and upload of those matrices cost more than the kernels that
 * replace them.
 */
function softmaxConstants(b, m, positives, o) {
    if (positives.length !== b)
        throw new RangeError(`inBatchSoftmaxLoss: ${positives.length} positives for ${b} queries`);
    if (o.removeColumn && o.removeColumn.length !== b)
        throw new RangeError(`inBatchSoftmaxLoss: ${o.removeColumn.length} removed columns for ${b} queries`);
    let offset;
    if (o.removeMask) {
        offset = tf.tensor2d(denseLogitOffset(b, m, { removeMask: o.removeMask, logQ: o.logQ, removeColumn: o.removeColumn }), [b, m]);
    }
    else {
        const negLogQ = o.logQ ? logQOffset(o.logQ) : null;
        const removed = o.removeColumn ? removedColumns(o.removeColumn, m) : null;
        offset = negLogQ && removed ? tf.add(removed, negLogQ) : (removed ?? negLogQ);
    }
    return { offset, targets: softmaxTargets(positives, m, o.extraPositives), rowWeight: rowWeights(b, o.weights) };
}
/**
 * In-batch sampled softmax: each query's positive candidate against all other candidates of the
 * batch. loss_b = logsumexp_j(l_bj) - l_b,pos(b), with l_bj = <q_b, c_j> / tau - logQ_j.
 * Shapes: queries [B, D], candidates [M, D], positives [B] (column of each query's positive).
 * The backward pass is written out, dL/dl = w_b (softmax(l_b) - T_b), taken from the fused softmax
 * cross-entropy of the forward (softmaxCrossEntropy: one kernel on native TensorFlow), so that the
 * step runs two matmuls instead of autodiff's ~25 kernels (kernel dispatch dominates small steps
 * on every backend).
 * @returns scalar (weighted) mean loss.
 */
export function inBatchSoftmaxLoss(queries, candidates, positives, options) {
    const tau = options.temperature;
    const loss = customLoss((q, c, save) => {
        const { offset, targets, rowWeight } = softmaxConstants(q.shape[0], c.shape[0], positives, options);
        // 1/tau folded into the [B, D] side: one small division instead of one over [B, M].
        let logits = matMulFast(tf.div(q, tau), c, false, true);
        if (offset)
            logits = tf.add(logits, offset);
        const { loss: rowLoss, dLogits } = softmaxCrossEntropy(logits, targets);
        const weights = typeof rowWeight === 'number' ? null : tf.reshape(rowWeight, [-1, 1]);
        save([q, c, dLogits, ...(weights ? [weights] : [])]);
        return {
            value: (typeof rowWeight === 'number' ? tf.mean(rowLoss) : tf.sum(tf.mul(rowLoss, rowWeight))),
            gradFunc: (dy, saved) => {
                const [sq, sc, sdl, sw] = saved;
                const scale = sw ? tf.mul(sw, tf.div(dy, tau)) : tf.mul(dy, rowWeight / tau);
                const g = tf.mul(sdl, scale);
                return [tf.matMul(g, sc), options.candidateGradient === false ? tf.zerosLike(sc) : matMulFast(g, sq, true, false)];
            },
        };
    });
    return tf.tidy(() => loss(queries, candidates));
}
/**
 * Largest spread of the logits (2 * max |logit|) for which the 'shared' path is used: every
 * exponential is then >= e^-10 of the largest, so neither an underflowed row sum nor the removal
 * of the self-similarity term can lose precision, and exp(logit) <= e^5 needs no shift against
 * overflow. Unit vectors at tau >= 0.2 qualify (tau 0.5 is the default); anything else takes the
 * per-row-max path.
 */
const SHARED_PATH_RANGE = 10;
/**
 * Below this many rows (2N) the [2N, 2N] passes are cheap and the shared path's norm download and
 * extra small kernels cost as much as they save (2N = 440: 3.6 vs 3.5 ms; 2N = 1800: 26 vs 36-48 ms).
 */
const SHARED_PATH_MIN_ROWS = 512;
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
export function contrastiveLoss(a, b, options) {
    const tau = options.temperature;
    const h = options.extraNegatives?.shape[1] ?? 0;
    const k = options.extraPositives?.shape[1] ?? 0;
    const w = options.extraPositiveWeight ?? 1;
    const loss = customLoss((x, y, save) => {
        const n = x.shape[0];
        const z = tf.concat([x, y], 0);
        const partner = tf.concat([y, x], 0); // row r's positive view
        const twice = (t) => tf.concat([t, t], 0);
        // Both views of anchor i use anchor i's extras: negatives then positives, [2N, H + K, D].
        const extraParts = [];
        const maskParts = [];
        if (h > 0) {
            extraParts.push(options.extraNegatives);
            maskParts.push(options.extraNegativeMask ?? tf.ones([n, h]));
        }
        if (k > 0) {
            extraParts.push(options.extraPositives);
            maskParts.push(options.extraPositiveMask ?? tf.ones([n, k]));
        }
        const extras = extraParts.length ? twice(extraParts.length === 1 ? extraParts[0] : tf.concat(extraParts, 1)) : null;
        // When a bound s >= every |logit| (Cauchy-Schwarz on the largest norms) is small, the
        // exponentials of the [2N, 2N] logits form one symmetric matrix E = exp(z zᵀ / tau) with no
        // shift at all: no per-row max, no diagonal mask (the self term exp(|z_r|² / tau) is subtracted
        // from the row sums instead), and in the backward Pᵀz = E (scale ⊙ z), so E is never
        // transposed: the passes over the 13 MB matrix at 2N = 1800 drop from ten to four. The norms
        // come from one small download.
        let zNormSq = null;
        let bound = 0; // >= every |logit|
        const mode = options.stabilisation ?? 'auto';
        let shared = mode === 'shared';
        if (mode === 'shared' || (mode === 'auto' && 2 * n >= SHARED_PATH_MIN_ROWS)) {
            zNormSq = tf.sum(tf.square(z), 1);
            const [zMax, exMax] = tf.tidy(() => tf.stack([tf.max(zNormSq), extras ? tf.max(tf.sum(tf.square(extras), 2)) : tf.scalar(0)]).dataSync());
            bound = Math.max(zMax, Math.sqrt(zMax * exMax)) / tau;
            shared ||= 2 * bound <= SHARED_PATH_RANGE;
        }
        const zt = tf.div(z, tau); // 1/tau on the [2N, D] side, not on the [2N, 2N] similarities
        let target = tf.div(tf.sum(tf.mul(z, partner), 1), tau); // the view's logit
        let posWeight = null; // w at real extra positives, [2N, K]
        let weightSum = null; // 1 + Σ posWeight per row
        let extraLogits = null; // [2N, H + K], padded extras at -1e9 (out of the softmax)
        if (extras) {
            const extraMask = twice(maskParts.length === 1 ? maskParts[0] : tf.concat(maskParts, 1));
            const sEx = tf.reshape(tf.matMul(tf.expandDims(zt, 1), extras, false, true), [2 * n, h + k]);
            if (k > 0) {
                posWeight = tf.mul(tf.slice(extraMask, [0, h], [2 * n, k]), w);
                weightSum = tf.add(1, tf.sum(posWeight, 1));
                target = tf.div(tf.add(target, tf.sum(tf.mul(posWeight, tf.slice(sEx, [0, h], [2 * n, k])), 1)), weightSum);
            }
            extraLogits = tf.add(sEx, tf.mul(tf.sub(1, extraMask), -1e9));
        }
        let e;
        let rowMax = null; // the per-row shift, 'rowMax' path only
        let selfTerm = null; // exp(|z_r|² / tau), [2N, 1], 'shared' path only
        if (shared) {
            // Every logit lies in [-s, s] with s <= SHARED_PATH_RANGE / 2, so exp needs no shift at all
            // (at most e^5 at the range limit; a shift would only rescale, costing a pass over E).
            e = tf.exp(matMulFast(zt, z, false, true));
            selfTerm = tf.exp(tf.div(tf.reshape(zNormSq, [-1, 1]), tau));
        }
        else {
            const logits = tf.add(matMulFast(zt, z, false, true), selfMask(2 * n)); // self excluded
            let max = tf.max(logits, 1, true);
            if (extraLogits)
                max = tf.maximum(max, tf.max(extraLogits, 1, true));
            e = tf.exp(tf.sub(logits, max));
            rowMax = max;
        }
        const eEx = extraLogits ? tf.exp(rowMax ? tf.sub(extraLogits, rowMax) : extraLogits) : null;
        let total = tf.sum(e, 1, true);
        if (selfTerm)
            total = tf.sub(total, selfTerm);
        if (eEx)
            total = tf.add(total, tf.sum(eEx, 1, true));
        const lse = rowMax ? tf.add(tf.log(total), rowMax) : tf.log(total);
        // Targets stay implicit (the view column and the extra positives), never a dense [2N, 2N + H + K] matrix.
        save([
            z,
            partner,
            e,
            total,
            selfTerm ?? tf.zeros([1, 1]),
            ...(extras && eEx ? [extras, eEx] : []),
            ...(posWeight && weightSum ? [posWeight, weightSum] : []),
        ]);
        return {
            value: tf.mean(tf.sub(tf.reshape(lse, [-1]), target)),
            gradFunc: (dy, saved) => {
                const [sz, sp, se, stot, sself, ...rest] = saved;
                const [sx, sex, spw, sws] = (extras ? rest : [undefined, undefined, ...rest]);
                const c = tf.div(dy, 2 * n * tau);
                const scale = tf.div(c, stot); // [2N, 1]: softmax = e / total, times the loss scale
                let dz;
                if (shared) {
                    // (P + Pᵀ) z with P = diag(scale) E off the diagonal and E symmetric: scale ⊙ (E z) +
                    // E (scale ⊙ z), minus the self terms 2 scale_r E_rr z_r. Two matmuls read E; nothing
                    // elementwise passes over it.
                    dz = tf.add(tf.mul(tf.matMul(se, sz), scale), tf.matMul(se, tf.mul(sz, scale)));
                    dz = tf.sub(dz, tf.mul(sz, tf.mul(tf.mul(scale, sself), 2)));
                }
                else {
                    const p = tf.mul(se, scale); // softmax part of dL/ds over the batch, scaled
                    // (P + Pᵀ) z: one transpose and add over the big matrix cost less than a second [2N, 2N] matmul.
                    dz = tf.matMul(tf.add(p, tf.transpose(p)), sz);
                }
                // Target part: row r pulls toward its partner with weight 1/Σw_r, and is pulled by its partner's row.
                const tv = sws ? tf.div(c, sws) : null;
                const pull = tv ? tf.expandDims(tf.add(tv, tf.concat([tf.slice(tv, [n], [n]), tf.slice(tv, [0], [n])])), 1) : tf.mul(c, 2);
                dz = tf.sub(dz, tf.mul(pull, sp));
                if (sx && sex) {
                    let gEx = tf.mul(sex, scale);
                    if (spw && tv) {
                        const tPos = tf.mul(spw, tf.expandDims(tv, 1));
                        gEx = tf.sub(gEx, h > 0 ? tf.concat([tf.zeros([2 * n, h]), tPos], 1) : tPos);
                    }
                    dz = tf.add(dz, tf.reshape(tf.matMul(tf.expandDims(gEx, 1), sx), [2 * n, -1]));
                }
                return [tf.slice(dz, [0, 0], [n, -1]), tf.slice(dz, [n, 0], [n, -1])];
            },
        };
    });
    return tf.tidy(() => loss(a, b));
}
/** [m, m] with -1e9 on the diagonal, from a zeroed typed array (tf.eye fills a TensorBuffer element by element). */
function selfMask(m) {
    const data = new Float32Array(m * m);
    for (let i = 0; i < m; i++)
        data[i * m + i] = -1e9;
    return tf.tensor2d(data, [m, m]);
}
/**
 * Pointwise binary cross-entropy on observed positives and sampled negatives:
 * softplus(-<q,p>/tau) + softplus(<q,n>/tau), mean over rows. Shapes: [B, D] each.
 */
export function pointwiseBceLoss(queries, positives, negatives, temperature) {
    return tf.tidy(() => {
        const sPos = tf.div(tf.sum(tf.mul(queries, positives), 1), temperature);
        const sNeg = tf.div(tf.sum(tf.mul(queries, negatives), 1), temperature);
        return tf.mean(tf.add(tf.softplus(tf.neg(sPos)), tf.softplus(sNeg)));
    });
}
//# sourceMappingURL=losses.js.map