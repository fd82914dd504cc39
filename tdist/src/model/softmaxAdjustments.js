import * as tf from '@tensorflow/tfjs';
import { oneHotFloat } from '../ops/softmaxCrossEntropy.js';
/**
 * The adjustments of an in-batch softmax, each a small unit that the loss composes
 * (inBatchSoftmaxLoss): the logQ sampling-bias correction and candidate removal shift the logits,
 * accidental hits may instead become extra positives of the targets, and example weights weight
 * the rows. Logits are l_bj = <q_b, c_j> / tau + offset_bj.
 */
/** A large negative logit offset: a removed candidate takes no part in the softmax. */
export const REMOVED_LOGIT = -1e9;
/** The logQ correction as a [1, M] offset row: -log q(candidate j), broadcast over the queries. */
export function logQOffset(logQ) {
    return tf.tensor2d(logQ.map((x) => -x), [1, logQ.length]);
}
/**
 * One removed candidate per query as a [B, M] offset built on the device from [B] column indices
 * (-1: nothing removed in that row), e.g. the next-item task's own query item.
 */
export function removedColumns(columns, m) {
    return oneHotFloat(columns, m, REMOVED_LOGIT);
}
/**
 * The whole offset as a dense host [B * M] row-major array, for when a dense removal mask is given
 * anyway (accidental hits removed): -logQ_j, plus REMOVED_LOGIT where removeMask is 1 and at each
 * query's removed column.
 */
export function denseLogitOffset(b, m, o) {
    const data = new Float32Array(b * m);
    for (let r = 0; r < b; r++)
        for (let j = 0; j < m; j++)
            data[r * m + j] = -(o.logQ?.[j] ?? 0) + REMOVED_LOGIT * o.removeMask[r * m + j];
    if (o.removeColumn)
        for (let r = 0; r < b; r++)
            if (o.removeColumn[r] >= 0)
                data[r * m + o.removeColumn[r]] += REMOVED_LOGIT;
    return data;
}
/**
 * Each query's positive column as its target; with `extraPositives` ([B * M] row-major weights,
 * accidental hits treated as positives) row b becomes (onehot(pos_b) + extraPositives_b) / its sum.
 */
export function softmaxTargets(positives, m, extraPositives) {
    if (!extraPositives)
        return { classes: positives };
    const b = positives.length;
    const targets = new Float32Array(b * m);
    for (let r = 0; r < b; r++) {
        const row = r * m;
        targets[row + positives[r]] = 1;
        let sum = 0;
        for (let j = 0; j < m; j++)
            sum += targets[row + j] += extraPositives[row + j];
        for (let j = 0; j < m; j++)
            targets[row + j] /= sum;
    }
    return { dense: tf.tensor2d(targets, [b, m]) };
}
/**
 * The weight of each query's loss in the batch mean: w_b / Σw as a [B] tensor, or the number 1 / B
 * when all weights are equal (then the loss is a plain mean, one kernel less each way).
 */
export function rowWeights(b, weights) {
    let weightSum = 0;
    let uniform = true;
    for (let r = 0; r < b; r++) {
        const w = weights ? weights[r] : 1;
        weightSum += w;
        if (weights && w !== weights[0])
            uniform = false;
    }
    return uniform ? 1 / b : tf.tensor1d(Float32Array.from({ length: b }, (_, r) => weights[r] / weightSum));
}
//# sourceMappingURL=softmaxAdjustments.js.map