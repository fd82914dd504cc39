/**
 * Assigns batch row numbers to store keys: row 0 is the zero padding row, each distinct key gets
 * one row, so duplicate uses of a key share one gradient row (summed by the gather's gradient).
 */
export class RowTable {
    keys = [];
    index = new Map();
    row(key) {
        let r = this.index.get(key);
        if (r === undefined) {
            r = this.keys.length + 1;
            this.index.set(key, r);
            this.keys.push(key);
        }
        return r;
    }
    /** Rows including the padding row. */
    get rowCount() {
        return this.keys.length + 1;
    }
}
/** Interactions (most recent last) pooled into the `recent` field group by default. */
export const DEFAULT_RECENT_LENGTH = 1;
/** A TowerInput of the given shape with every slot empty (padding, weight 0). */
export function emptyTowerInput(n, attrSlots, histSlots, recentLength) {
    const recentSlots = Math.max(1, recentLength);
    return {
        n,
        attrSlots,
        histSlots,
        idIdx: new Int32Array(n),
        idW: new Float32Array(n),
        attrIdx: new Int32Array(n * attrSlots),
        attrW: new Float32Array(n * attrSlots),
        histIdx: new Int32Array(n * histSlots),
        histW: new Float32Array(n * histSlots),
        recentSlots,
        recentIdx: new Int32Array(n * recentSlots),
        recentW: new Float32Array(n * recentSlots),
    };
}
/** Build a TowerInput for `entities`, registering their keys in `rows`. */
export function buildTowerInput(entities, rows, recentLength = DEFAULT_RECENT_LENGTH) {
    const n = entities.length;
    let attrSlots = 1;
    let histSlots = 1;
    for (const e of entities) {
        attrSlots = Math.max(attrSlots, e.attributes.length);
        histSlots = Math.max(histSlots, e.history.length);
    }
    const input = emptyTowerInput(n, attrSlots, histSlots, recentLength);
    const recentSlots = input.recentSlots;
    entities.forEach((e, i) => {
        if (e.id !== null) {
            input.idIdx[i] = rows.row(e.id);
            input.idW[i] = 1;
        }
        fillPooled(e.attributes, rows, input.attrIdx, input.attrW, i * attrSlots);
        fillPooled(e.history, rows, input.histIdx, input.histW, i * histSlots);
        if (recentLength > 0)
            fillPooled(e.history.slice(-recentLength), rows, input.recentIdx, input.recentW, i * recentSlots);
    });
    return input;
}
function fillPooled(values, rows, idx, w, offset) {
    if (values.length === 0)
        return;
    const weight = 1 / values.length;
    values.forEach((key, s) => {
        idx[offset + s] = rows.row(key);
        w[offset + s] = weight;
    });
}
/** Width of a tower's feature vector: [id ; mean(attributes) ; mean(history) ; mean(recent)]. */
export const FIELD_GROUPS = 4;
/**
 * Host-side embedding lookup and mean pooling: features [n, FIELD_GROUPS * dim] from the batch rows
 * (rows: [rowCount, dim], row 0 zeros). The wasm and cpu backends pool here (wasm has no kernel for
 * gather's gradient, UnsortedSegmentSum); native TensorFlow pools on the device (devicePooling.ts).
 */
export function poolFeatures(input, rows, dim) {
    const width = FIELD_GROUPS * dim;
    const out = new Float32Array(input.n * width);
    for (let i = 0; i < input.n; i++) {
        const base = i * width;
        accumulate(rows, dim, input.idIdx, input.idW, i, 1, out, base);
        accumulate(rows, dim, input.attrIdx, input.attrW, i * input.attrSlots, input.attrSlots, out, base + dim);
        accumulate(rows, dim, input.histIdx, input.histW, i * input.histSlots, input.histSlots, out, base + 2 * dim);
        accumulate(rows, dim, input.recentIdx, input.recentW, i * input.recentSlots, input.recentSlots, out, base + 3 * dim);
    }
    return out;
}
function accumulate(rows, dim, idx, w, start, slots, out, outOff) {
    for (let s = start; s < start + slots; s++) {
        const weight = w[s];
        if (weight === 0)
            continue;
        const r = idx[s] * dim;
        for (let j = 0; j < dim; j++)
            out[outOff + j] += weight * rows[r + j];
    }
}
/**
 * The adjoint of poolFeatures: adds d(loss)/d(rows) implied by d(loss)/d(features) into
 * `rowGrads` ([rowCount, dim]); duplicate uses of a row sum up.
 */
export function scatterFeatureGrads(input, featureGrads, dim, rowGrads) {
    const width = FIELD_GROUPS * dim;
    for (let i = 0; i < input.n; i++) {
        const base = i * width;
        scatter(featureGrads, dim, input.idIdx, input.idW, i, 1, rowGrads, base);
        scatter(featureGrads, dim, input.attrIdx, input.attrW, i * input.attrSlots, input.attrSlots, rowGrads, base + dim);
        scatter(featureGrads, dim, input.histIdx, input.histW, i * input.histSlots, input.histSlots, rowGrads, base + 2 * dim);
        scatter(featureGrads, dim, input.recentIdx, input.recentW, i * input.recentSlots, input.recentSlots, rowGrads, base + 3 * dim);
    }
}
function scatter(grads, dim, idx, w, start, slots, rowGrads, gOff) {
    for (let s = start; s < start + slots; s++) {
        const weight = w[s];
        if (weight === 0)
            continue;
        const r = idx[s] * dim;
        for (let j = 0; j < dim; j++)
            rowGrads[r + j] += weight * grads[gOff + j];
    }
}
/**
 * The unpooled interaction sequence for sequence towers: values [n, histSlots, dim] gathered from
 * the batch rows and a 0/1 mask [n, histSlots].
 */
export function gatherSequence(input, rows, dim) {
    const slots = input.histSlots;
    const values = new Float32Array(input.n * slots * dim);
    const mask = new Float32Array(input.n * slots);
    for (let s = 0; s < input.n * slots; s++) {
        if (input.histW[s] === 0)
            continue;
        mask[s] = 1;
        values.set(rows.subarray(input.histIdx[s] * dim, (input.histIdx[s] + 1) * dim), s * dim);
    }
    return { values, mask };
}
/** The adjoint of gatherSequence: adds the sequence gradient into `rowGrads`. */
export function scatterSequenceGrads(input, grads, dim, rowGrads) {
    for (let s = 0; s < input.n * input.histSlots; s++) {
        if (input.histW[s] === 0)
            continue;
        const r = input.histIdx[s] * dim;
        for (let j = 0; j < dim; j++)
            rowGrads[r + j] += grads[s * dim + j];
    }
}
//# sourceMappingURL=towerInput.js.map