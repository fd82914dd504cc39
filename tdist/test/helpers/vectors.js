import { Rng } from '../../src/util/random.js';
/** n seeded random unit vectors of `dim`, row-major. */
export function unitVectors(n, dim, seed) {
    const rng = new Rng(seed);
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
        let norm = 0;
        for (let j = 0; j < dim; j++)
            norm += (out[i * dim + j] = rng.normal()) ** 2;
        for (let j = 0; j < dim; j++)
            out[i * dim + j] /= Math.sqrt(norm);
    }
    return out;
}
//# sourceMappingURL=vectors.js.map