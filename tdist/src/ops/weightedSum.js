import * as tf from '@tensorflow/tfjs';
/**
 * Σ w_i t_i of scalar loss terms as one recorded node: autodiff of the same adds and multiplies
 * records ~6 kernels per term on the tape (Cast, Reshape and Multiply in the backward); this
 * takes one multiply per weighted term each way and one AddN.
 */
export function weightedSum(terms) {
    if (terms.length === 1 && terms[0][1] === 1)
        return terms[0][0];
    const weights = terms.map(([, w]) => w);
    const sum = tf.customGrad(((...args) => {
        const scalars = args.slice(0, weights.length);
        return {
            value: tf.addN(scalars.map((t, i) => (weights[i] === 1 ? t : tf.mul(t, weights[i])))),
            gradFunc: (dy) => weights.map((w) => (w === 1 ? tf.clone(dy) : tf.mul(dy, w))),
        };
    }));
    return sum(...terms.map(([t]) => t));
}
//# sourceMappingURL=weightedSum.js.map