import * as tf from '@tensorflow/tfjs';
import { FIELD_GROUPS } from './towerInput.js';
import { sparseSegmentMean } from '../ops/segmentMean.js';
/**
 * The plan of `inputs`, or null when some field group's weights are not a mean (equal weights
 * summing to 1): such inputs need poolFeatures' general weighted sum.
 */
export function poolingPlan(inputs) {
    let slots = 0;
    for (const input of inputs)
        slots += countUsed(input.idW) + countUsed(input.attrW) + countUsed(input.histW) + countUsed(input.recentW);
    const idx = new Int32Array(slots);
    const seg = new Int32Array(slots);
    let s = 0;
    let base = 0;
    for (const input of inputs) {
        const fields = [
            [input.idIdx, input.idW, 1],
            [input.attrIdx, input.attrW, input.attrSlots],
            [input.histIdx, input.histW, input.histSlots],
            [input.recentIdx, input.recentW, input.recentSlots],
        ];
        for (let i = 0; i < input.n; i++) {
            for (let f = 0; f < FIELD_GROUPS; f++) {
                const [fi, fw, width] = fields[f];
                const segment = base + i * FIELD_GROUPS + f;
                const first = s;
                let weight = 0;
                for (let k = i * width; k < (i + 1) * width; k++) {
                    const wk = fw[k];
                    if (wk === 0)
                        continue;
                    if (s > first && wk !== weight)
                        return null;
                    weight = wk;
                    idx[s] = fi[k];
                    seg[s++] = segment;
                }
                if (s > first && Math.abs(weight * (s - first) - 1) > 1e-6)
                    return null;
            }
        }
        base += input.n * FIELD_GROUPS;
    }
    return { idx, seg, segments: base, sizes: inputs.map((i) => i.n) };
}
function countUsed(w) {
    let n = 0;
    for (let k = 0; k < w.length; k++)
        if (w[k] !== 0)
            n++;
    return n;
}
/**
 * The features of every input of `plan` from the batch rows [rowCount, dim], pooled on the native
 * backend by one sparse segment mean each way (src/ops/segmentMean.ts). The same numbers as
 * poolFeatures up to summation order; one [n_e, FIELD_GROUPS * dim] tensor per input.
 * Differentiable w.r.t. `rows`.
 */
export function poolOnDevice(native, rows, plan) {
    const dim = rows.shape[1];
    const pooled = sparseSegmentMean(native, rows, plan.idx, plan.seg, plan.segments);
    const features = tf.reshape(pooled, [plan.segments / FIELD_GROUPS, FIELD_GROUPS * dim]);
    return plan.sizes.length === 1 ? [features] : tf.split(features, plan.sizes, 0);
}
//# sourceMappingURL=devicePooling.js.map