import * as tf from '@tensorflow/tfjs';
/**
 * Adam for the dense tower weights with the moments and a master copy of the weights on the
 * host. Same update as tf.train.adam, but one gradient download and one upload per variable
 * instead of ~16 small kernels per variable: on the native backend each kernel costs tens of
 * microseconds of dispatch whatever its size, and the towers' weights are small (tens of
 * thousands of floats), so this is cheaper than running Adam as tensor ops.
 */
export class HostAdam {
    variables;
    lr;
    beta1;
    beta2;
    epsilon;
    offsets = [];
    weights;
    m;
    v;
    accBeta1 = 1;
    accBeta2 = 1;
    constructor(variables, options) {
        this.variables = variables;
        this.lr = options.learningRate;
        this.beta1 = options.beta1 ?? 0.9;
        this.beta2 = options.beta2 ?? 0.999;
        this.epsilon = options.epsilon ?? 1e-7;
        let total = 0;
        for (const v of variables) {
            this.offsets.push(total);
            total += v.size;
        }
        this.weights = new Float32Array(total);
        variables.forEach((v, i) => this.weights.set(v.dataSync(), this.offsets[i]));
        this.m = new Float32Array(total);
        this.v = new Float32Array(total);
    }
    /** Checkpoint state: the weights (all variables, concatenated), both moments and the bias-correction products. */
    toData() {
        return {
            sizes: this.variables.map((v) => v.size),
            weights: this.weights.slice(),
            m: this.m.slice(),
            v: this.v.slice(),
            accBeta1: this.accBeta1,
            accBeta2: this.accBeta2,
        };
    }
    /** Take a checkpoint's weights and moments, and write the weights into the variables. */
    restore(data) {
        const sizes = this.variables.map((v) => v.size);
        if (data.sizes.length !== sizes.length || data.sizes.some((s, i) => s !== sizes[i]))
            throw new RangeError(`dense state has variable sizes [${data.sizes.join(', ')}], this model [${sizes.join(', ')}]`);
        this.weights.set(data.weights);
        this.m.set(data.m);
        this.v.set(data.v);
        ({ accBeta1: this.accBeta1, accBeta2: this.accBeta2 } = data);
        this.writeVariables();
    }
    /** Number of scalar parameters updated per step. */
    get size() {
        return this.weights.length;
    }
    /**
     * One Adam step. @param grads gradient per variable name (missing = zero gradient, as for a
     * variable the loss did not reach); the caller keeps ownership of the tensors.
     */
    async apply(grads) {
        // Per-variable downloads into one host buffer: cheaper than a device-side concat and one download.
        const g = new Float32Array(this.weights.length);
        for (let i = 0; i < this.variables.length; i++) {
            const grad = grads[this.variables[i].name];
            if (grad)
                g.set((await grad.data()), this.offsets[i]);
        }
        this.accBeta1 *= this.beta1;
        this.accBeta2 *= this.beta2;
        const { beta1, beta2, epsilon, m, v, weights } = this;
        // Bias corrections folded into two constants: w -= lr·c1·m / (sqrt(c2)·sqrt(v) + eps).
        const step = this.lr / (1 - this.accBeta1);
        const vScale = Math.sqrt(1 / (1 - this.accBeta2));
        const keep1 = 1 - beta1;
        const keep2 = 1 - beta2;
        const n = weights.length;
        for (let j = 0; j < n; j++) {
            const gj = g[j];
            const mj = beta1 * m[j] + keep1 * gj;
            const vj = beta2 * v[j] + keep2 * gj * gj;
            m[j] = mj;
            v[j] = vj;
            weights[j] -= (step * mj) / (Math.sqrt(vj) * vScale + epsilon);
        }
        this.writeVariables();
    }
    writeVariables() {
        tf.tidy(() => {
            this.variables.forEach((variable, i) => {
                const start = this.offsets[i];
                variable.assign(tf.tensor(this.weights.subarray(start, start + variable.size), variable.shape, 'float32'));
            });
        });
    }
}
//# sourceMappingURL=hostAdam.js.map