import * as tf from '@tensorflow/tfjs';
import { FIELD_GROUPS } from './towerInput.js';
import { matMulFast } from '../ops/matMul.js';
let instanceCounter = 0;
/** Dense(relu) -> Dense -> L2 normalisation: the output head both towers share. */
export class MlpHead {
    variables;
    w1;
    b1;
    w2;
    b2;
    constructor(scope, inputDim, o) {
        this.w1 = tf.variable(tf.initializers.glorotUniform({ seed: o.seed }).apply([inputDim, o.hiddenDim]), true, `${scope}/w1`);
        this.b1 = tf.variable(tf.zeros([o.hiddenDim]), true, `${scope}/b1`);
        this.w2 = tf.variable(tf.initializers.glorotUniform({ seed: o.seed + 1 }).apply([o.hiddenDim, o.outputDim]), true, `${scope}/w2`);
        this.b2 = tf.variable(tf.zeros([o.outputDim]), true, `${scope}/b2`);
        this.variables = [this.w1, this.b1, this.w2, this.b2];
    }
    /** Call inside a tidy. */
    apply(x) {
        return fusedMlpHead(x, this.w1, this.b1, this.w2, this.b2);
    }
    /** relu(x W1 + b1) W2 + b2 without the normalisation (autodiff), for towers that add to it. Call inside a tidy. */
    applyUnnormalised(x) {
        return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, this.w1), this.b1)), this.w2), this.b2);
    }
}
/**
 * relu(x W1 + b1) W2 + b2, L2-normalised, with a hand-written backward pass. Autodiff of the same
 * expression records ~10 forward and ~20 backward kernels; this records one node whose gradient
 * takes 13. On the native backend every kernel costs ~20 us of dispatch whatever its size, and the
 * towers run 2-4 times per step, so the kernel count, not the FLOPs, sets the step time.
 * Tested against autodiff of the plain expression (test/model.test.ts).
 */
export const fusedMlpHead = tf.customGrad(((x, w1, b1, w2, b2, save) => {
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    const o = tf.add(tf.matMul(h, w2), b2);
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(o), 1, true), 1e-12));
    const y = tf.div(o, norm);
    save([x, w1, w2, h, norm, y]);
    return {
        value: y,
        gradFunc: (dy, saved) => {
            const [sx, sw1, sw2, sh, snorm, sy] = saved;
            // d(o/|o|) = (dy - y <dy, y>) / |o|
            const dO = tf.div(tf.sub(dy, tf.mul(sy, tf.sum(tf.mul(dy, sy), 1, true))), snorm);
            const dPre = tf.mul(matMulFast(dO, sw2, false, true), tf.sign(sh));
            return [
                matMulFast(dPre, sw1, false, true),
                matMulFast(sx, dPre, true, false),
                tf.sum(dPre, 0),
                matMulFast(sh, dO, true, false),
                tf.sum(dO, 0),
            ];
        },
    };
}));
/**
 * DSSM tower: [id ; mean(attributes) ; mean(sequence) ; mean(most recent)] -> Dense(relu) ->
 * Dense -> L2 normalisation.
 */
export class DssmTower {
    usesSequence = false;
    name;
    outputDim;
    variables;
    head;
    constructor(o) {
        this.name = o.name;
        this.outputDim = o.outputDim;
        this.head = new MlpHead(`${o.name}_${instanceCounter++}`, FIELD_GROUPS * o.embeddingDim, o);
        this.variables = this.head.variables;
    }
    apply(features, _options) {
        return tf.tidy(() => this.head.apply(features));
    }
    dispose() {
        for (const v of this.variables)
            v.dispose();
    }
}
/**
 * Sequence tower with target-free attention over the last L interactions (DIN/SASRec-style
 * pooling without a candidate): a query from the entity's own fields [id ; attributes ; most
 * recent] scores each sequence entry, the softmax-weighted sum replaces the plain mean, and the
 * MLP sees [pooled fields ; attended sequence] -> L2 normalisation.
 */
export class AttentionSequenceTower {
    usesSequence = true;
    name;
    outputDim;
    variables;
    embeddingDim;
    wq;
    head;
    constructor(o) {
        this.name = o.name;
        this.outputDim = o.outputDim;
        this.embeddingDim = o.embeddingDim;
        const scope = `${o.name}_attn_${instanceCounter++}`;
        const d = o.embeddingDim;
        this.wq = tf.variable(tf.initializers.glorotUniform({ seed: o.seed + 7 }).apply([3 * d, d]), true, `${scope}/wq`);
        this.head = new MlpHead(scope, (FIELD_GROUPS + 1) * d, o);
        this.variables = [this.wq, ...this.head.variables];
    }
    apply(features, options) {
        const seq = options.sequence;
        if (!seq)
            throw new RangeError(`${this.name}: the attention tower needs the sequence input`);
        return tf.tidy(() => {
            const d = this.embeddingDim;
            const n = features.shape[0];
            // Query from [id ; attributes ; most recent] (the mean-pooled sequence is left out on purpose).
            const own = tf.concat([tf.slice(features, [0, 0], [n, 2 * d]), tf.slice(features, [0, 3 * d], [n, d])], 1);
            const q = tf.matMul(own, this.wq); // [n, d]
            const scores = tf.div(tf.sum(tf.mul(seq.values, q.expandDims(1)), 2), Math.sqrt(d)); // [n, L]
            const masked = tf.add(scores, tf.mul(tf.sub(1, seq.mask), -1e9));
            // Entities with an empty sequence: the softmax is uniform over padding, zeroed by the mask.
            const weights = tf.mul(tf.softmax(masked), seq.mask);
            const attended = tf.sum(tf.mul(seq.values, weights.expandDims(2)), 1); // [n, d]
            return this.head.apply(tf.concat([features, attended], 1));
        });
    }
    dispose() {
        for (const v of this.variables)
            v.dispose();
    }
}
/**
 * DSSM tower with a residual path from the embeddings: unit(MLP(x) + sum_g a_g x_g), x_g the pooled
 * field groups (id, attributes, sequence, most recent) and a_g learned gates (start at 1). The MLP
 * alone has to learn every id's place through shared weights, which one pass over a sparse stream
 * does not give it time to; the residual path lets the rows act directly (as in matrix
 * factorisation: a user is near the items it consumed), while the MLP learns what attributes and
 * the sequence add. When outputDim differs from embeddingDim the residual goes through a learned
 * projection that starts as the identity on the shared dimensions.
 */
export class ResidualTower {
    usesSequence = false;
    name;
    outputDim;
    variables;
    embeddingDim;
    head;
    gates;
    projection;
    constructor(o) {
        this.name = o.name;
        this.outputDim = o.outputDim;
        this.embeddingDim = o.embeddingDim;
        const scope = `${o.name}_res_${instanceCounter++}`;
        const d = o.embeddingDim;
        this.head = new MlpHead(scope, FIELD_GROUPS * d, o);
        this.gates = tf.variable(tf.ones([1, FIELD_GROUPS, 1]), true, `${scope}/gates`);
        this.projection = o.outputDim === d ? null : tf.variable(tf.eye(d, o.outputDim), true, `${scope}/projection`);
        this.variables = [...this.head.variables, this.gates, ...(this.projection ? [this.projection] : [])];
    }
    apply(features, _options) {
        return tf.tidy(() => {
            const n = features.shape[0];
            const mlp = this.head.applyUnnormalised(features);
            const pooled = tf.sum(tf.mul(tf.reshape(features, [n, FIELD_GROUPS, this.embeddingDim]), this.gates), 1);
            const o = tf.add(mlp, this.projection ? tf.matMul(pooled, this.projection) : pooled);
            return tf.div(o, tf.sqrt(tf.add(tf.sum(tf.square(o), 1, true), 1e-12)));
        });
    }
    dispose() {
        for (const v of this.variables)
            v.dispose();
    }
}
export function makeTower(kind, options) {
    if (kind === 'attention')
        return new AttentionSequenceTower(options);
    return kind === 'residual' ? new ResidualTower(options) : new DssmTower(options);
}
//# sourceMappingURL=towers.js.map