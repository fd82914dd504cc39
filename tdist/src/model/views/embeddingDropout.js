/**
 * The mask of inverted embedding dropout, drawn on the host: each entry is 0 with probability
 * `rate`, else 1 / (1 - rate), so the expected feature is unchanged. TF.js draws its seeded
 * dropout noise in JavaScript too (an alea generator, one draw per entry, then three kernels to
 * threshold and scale it); this draws two 16-bit uniforms from each Mulberry32 output: at the MIC
 * views' size (~1,000 x 256 entries per step at batch 1024) dropout with the multiply went from
 * 3.7 to 1.2 ms (native). The rate is applied at 16-bit resolution (within 2^-16 of the request).
 */
export function dropoutMask(size, rate, seed) {
    if (!(rate >= 0 && rate < 1))
        throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
    const mask = new Float32Array(size);
    const keep = 1 / (1 - rate);
    const threshold = Math.round(rate * 65536); // drop when the 16-bit draw is below it
    let state = seed >>> 0;
    for (let n = 0; n < size; n += 2) {
        // Mulberry32 (as util/random's Rng), inlined: this loop runs ~500k times per MIC step.
        let t = (state = (state + 0x6d2b79f5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        t = (t ^ (t >>> 14)) >>> 0;
        mask[n] = (t & 0xffff) >= threshold ? keep : 0;
        if (n + 1 < size)
            mask[n + 1] = t >>> 16 >= threshold ? keep : 0;
    }
    return mask;
}
//# sourceMappingURL=embeddingDropout.js.map