import { Rng } from '../util/random.js';
function sqDist(a, ao, b, bo, dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
        const d = a[ao + j] - b[bo + j];
        s += d * d;
    }
    return s;
}
/**
 * k-means with k-means++ seeding (Arthur & Vassilvitskii 2007) on n vectors of `dim`
 * ([n, dim] row-major). Deterministic for a seed. k is clamped to n.
 */
export function kMeansPlusPlus(vectors, dim, k, seed, maxIterations = 25) {
    const n = vectors.length / dim;
    if (!Number.isInteger(n))
        throw new RangeError('vectors length is not a multiple of dim');
    const kk = Math.max(1, Math.min(k, n));
    const rng = new Rng(seed);
    const centroids = new Float32Array(kk * dim);
    const assignments = new Int32Array(n);
    if (n === 0)
        return { assignments, centroids, iterations: 0, inertia: 0 };
    // Seeding: first centre uniform, then each next one with probability proportional to D(x)^2.
    const first = rng.int(n);
    centroids.set(vectors.subarray(first * dim, (first + 1) * dim), 0);
    const d2 = new Float64Array(n);
    for (let i = 0; i < n; i++)
        d2[i] = sqDist(vectors, i * dim, centroids, 0, dim);
    for (let c = 1; c < kk; c++) {
        let total = 0;
        for (let i = 0; i < n; i++)
            total += d2[i];
        let pick = n - 1;
        if (total > 0) {
            let u = rng.next() * total;
            for (let i = 0; i < n; i++) {
                u -= d2[i];
                if (u <= 0) {
                    pick = i;
                    break;
                }
            }
        }
        else
            pick = rng.int(n);
        centroids.set(vectors.subarray(pick * dim, (pick + 1) * dim), c * dim);
        for (let i = 0; i < n; i++)
            d2[i] = Math.min(d2[i], sqDist(vectors, i * dim, centroids, c * dim, dim));
    }
    // Lloyd iterations.
    let iterations = 0;
    let inertia = 0;
    const sums = new Float64Array(kk * dim);
    const counts = new Int32Array(kk);
    for (; iterations < maxIterations; iterations++) {
        let changed = 0;
        inertia = 0;
        for (let i = 0; i < n; i++) {
            let best = 0;
            let bestD = Infinity;
            for (let c = 0; c < kk; c++) {
                const d = sqDist(vectors, i * dim, centroids, c * dim, dim);
                if (d < bestD)
                    [best, bestD] = [c, d];
            }
            if (assignments[i] !== best || iterations === 0)
                changed++;
            assignments[i] = best;
            inertia += bestD;
        }
        if (changed === 0 && iterations > 0)
            break;
        sums.fill(0);
        counts.fill(0);
        for (let i = 0; i < n; i++) {
            const c = assignments[i];
            counts[c]++;
            for (let j = 0; j < dim; j++)
                sums[c * dim + j] += vectors[i * dim + j];
        }
        for (let c = 0; c < kk; c++) {
            if (counts[c] === 0)
                continue; // keep an empty cluster's centre where it was
            for (let j = 0; j < dim; j++)
                centroids[c * dim + j] = sums[c * dim + j] / counts[c];
        }
    }
    return { assignments, centroids, iterations, inertia };
}
//# sourceMappingURL=kMeans.js.map