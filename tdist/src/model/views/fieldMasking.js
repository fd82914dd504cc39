import { DEFAULT_RECENT_LENGTH, emptyTowerInput } from '../towerInput.js';
export const USER_MASKING_DEFAULTS = { id: 0.5, attribute: 0.2, history: 0.2, historyItem: 0.3 };
export const ITEM_MASKING_DEFAULTS = { id: 0.5, attribute: 0.2, history: 0.2, historyItem: 0.3 };
/**
 * MIC's multi-level perturbation: independent Bernoulli masks on the id, on each attribute value,
 * on the whole interaction sequence and on each of its entries. Masked values are simply left out, so mean pooling renormalises over what remains;
 * a masked id reads as the zero vector (as an id the model has never seen would).
 */
export function maskFields(fields, rng, options) {
    return {
        id: fields.id !== null && rng.next() >= options.id ? fields.id : null,
        attributes: options.attribute > 0 ? fields.attributes.filter(() => rng.next() >= options.attribute) : fields.attributes,
        history: rng.next() < options.history
            ? []
            : options.historyItem > 0
                ? fields.history.filter(() => rng.next() >= options.historyItem)
                : fields.history,
    };
}
/**
 * maskFields applied to entities already resolved to batch rows: the same draws in the same order
 * (so a view is identical to building it from masked fields), but on the original's row indices,
 * without looking any key up again. At batch 1024 a MIC step builds ~1,000 views; re-resolving
 * their ~20,000 string keys was a measurable part of batch preparation.
 */
export function maskTowerInput(input, rng, options, recentLength = DEFAULT_RECENT_LENGTH) {
    const n = input.n;
    const idIdx = new Int32Array(n);
    const idW = new Float32Array(n);
    // Kept row indices per entity, compacted to the front of the original's slots.
    const attrKept = new Int32Array(n * input.attrSlots);
    const attrCount = new Int32Array(n);
    const histKept = new Int32Array(n * input.histSlots);
    const histCount = new Int32Array(n);
    let attrSlots = 1;
    let histSlots = 1;
    for (let i = 0; i < n; i++) {
        if (input.idW[i] !== 0 && rng.next() >= options.id) {
            idIdx[i] = input.idIdx[i];
            idW[i] = 1;
        }
        let a = 0;
        for (let s = i * input.attrSlots; s < (i + 1) * input.attrSlots; s++) {
            if (input.attrW[s] === 0)
                continue;
            if (options.attribute > 0 && rng.next() < options.attribute)
                continue;
            attrKept[i * input.attrSlots + a++] = input.attrIdx[s];
        }
        attrCount[i] = a;
        let h = 0;
        if (rng.next() >= options.history) {
            for (let s = i * input.histSlots; s < (i + 1) * input.histSlots; s++) {
                if (input.histW[s] === 0)
                    continue;
                if (options.historyItem > 0 && rng.next() < options.historyItem)
                    continue;
                histKept[i * input.histSlots + h++] = input.histIdx[s];
            }
        }
        histCount[i] = h;
        attrSlots = Math.max(attrSlots, a);
        histSlots = Math.max(histSlots, h);
    }
    const out = emptyTowerInput(n, attrSlots, histSlots, recentLength);
    out.idIdx.set(idIdx);
    out.idW.set(idW);
    const recentSlots = out.recentSlots;
    for (let i = 0; i < n; i++) {
        copyPooled(attrKept, i * input.attrSlots, attrCount[i], out.attrIdx, out.attrW, i * attrSlots);
        copyPooled(histKept, i * input.histSlots, histCount[i], out.histIdx, out.histW, i * histSlots);
        if (recentLength > 0) {
            const r = Math.min(recentLength, histCount[i]);
            copyPooled(histKept, i * input.histSlots + histCount[i] - r, r, out.recentIdx, out.recentW, i * recentSlots);
        }
    }
    return out;
}
/** Mean-pooling slots for `count` row indices (buildTowerInput's weights: 1 / count each). */
function copyPooled(from, start, count, idx, w, offset) {
    const weight = 1 / count;
    for (let s = 0; s < count; s++) {
        idx[offset + s] = from[start + s];
        w[offset + s] = weight;
    }
}
//# sourceMappingURL=fieldMasking.js.map