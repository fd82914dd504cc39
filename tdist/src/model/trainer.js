import * as tf from '@tensorflow/tfjs';
import { towerSideOf } from './twoTowerModel.js';
import { FIELD_GROUPS, gatherSequence, poolFeatures, RowTable, scatterFeatureGrads, scatterSequenceGrads, } from './towerInput.js';
import { HostAdam } from './hostAdam.js';
import { poolingPlan, poolOnDevice } from './devicePooling.js';
import { nativeKernels } from '../ops/nativeKernels.js';
let featureCounter = 0;
/**
 * Owns the optimizer step: gathers the batch's rows from the EmbeddingStore and mean-pools them into
 * tower features (on the device with native TensorFlow, else on the host), differentiates the
 * model's loss w.r.t. the rows (or the pooled features, whose gradients are scattered back to their
 * rows on the host) and the dense weights, applies Adam to the dense weights and Adagrad to each
 * row. Only the batch's rows are read or written.
 * Steps must be serialised (the pipeline does this); the tensor count is flat across steps.
 */
export class Trainer {
    model;
    store;
    optimizer;
    pooling;
    constructor(model, store, options) {
        this.model = model;
        this.store = store;
        this.optimizer = new HostAdam(model.variables, { learningRate: options.denseLearningRate });
        this.pooling = options.pooling ?? 'auto';
    }
    /** The dense weights and Adam state (checkpoints). */
    get denseState() {
        return this.optimizer;
    }
    /** One optimizer step on the batch: Adam on the dense weights, Adagrad on the batch's rows. */
    async step(batch) {
        const g = await this.computeGradients(batch);
        try {
            await this.optimizer.apply(g.denseGrads);
            this.store.applyRowGradients(g.slots, g.rowGrads, 1);
            return { loss: g.loss, terms: g.terms };
        }
        finally {
            for (const t of Object.values(g.denseGrads))
                t.dispose();
        }
    }
    /**
     * Loss and gradients of a batch without applying them: row gradients on the host
     * ([rowCount, dim], row 0 = padding) and dense gradients as tensors that the caller disposes.
     */
    async computeGradients(batch) {
        const dim = this.store.dim;
        const rows = new Float32Array(batch.rows.rowCount * dim);
        const slots = this.store.resolveRows(batch.rows.keys, true);
        this.store.gatherRows(slots, rows, 1);
        const id = featureCounter++;
        const entries = Object.entries(batch.inputs).filter((e) => e[1] !== undefined);
        const seqEntries = entries.filter(([name]) => this.towerOf(name).usesSequence);
        // Native backend: pool on the device (one SparseSegmentMean kernel each way) and differentiate
        // w.r.t. the rows; elsewhere pool on the host and differentiate w.r.t. the pooled features.
        const native = this.pooling === 'auto' ? nativeKernels() : null;
        const plan = native ? poolingPlan(entries.map(([, input]) => input)) : null;
        const rowsVar = plan
            ? tf.tidy(() => tf.variable(tf.tensor2d(rows, [batch.rows.rowCount, dim]), true, `rows_${id}`))
            : null;
        // tf.variable shares, not takes, its initial tensor: create them inside tidy so the initial tensors go.
        const vars = plan
            ? []
            : tf.tidy(() => entries.map(([name, input]) => tf.variable(tf.tensor2d(poolFeatures(input, rows, dim), [input.n, FIELD_GROUPS * dim]), true, `features_${name}_${id}`)));
        const seqHost = seqEntries.map(([, input]) => gatherSequence(input, rows, dim));
        const seqVars = tf.tidy(() => seqEntries.map(([name, input], i) => tf.variable(tf.tensor3d(seqHost[i].values, [input.n, input.histSlots, dim]), true, `sequence_${name}_${id}`)));
        const seqMasks = seqEntries.map(([, input], i) => tf.tensor2d(seqHost[i].mask, [input.n, input.histSlots]));
        // What the gradient is taken w.r.t. besides the dense weights: the rows (device pooling) or the pooled features.
        const inputVars = rowsVar ? [rowsVar] : vars;
        const sequences = seqEntries.length
            ? Object.fromEntries(seqEntries.map(([name], i) => [name, { values: seqVars[i], mask: seqMasks[i] }]))
            : null;
        const dense = this.model.variables;
        const termTensors = {};
        let grads = {};
        let value = null;
        const denseGrads = {};
        try {
            ({ value, grads } = tf.variableGrads(() => {
                const pooled = plan && native && rowsVar ? poolOnDevice(native, rowsVar, plan) : vars;
                const features = Object.fromEntries(entries.map(([name], i) => [name, pooled[i]]));
                if (sequences)
                    features.sequences = sequences;
                const { total, terms } = this.model.computeLoss(features, batch);
                for (const [name, t] of Object.entries(terms))
                    termTensors[name] = tf.keep(t);
                return total;
            }, [...inputVars, ...seqVars, ...dense]));
            for (const v of dense)
                denseGrads[v.name] = grads[v.name];
            const rowGrad = rowsVar ? grads[rowsVar.name] : undefined;
            const rowGrads = rowGrad ? (await rowGrad.data()) : new Float32Array(rows.length);
            for (let i = 0; i < vars.length; i++) {
                const g = grads[vars[i].name];
                if (g)
                    scatterFeatureGrads(entries[i][1], (await g.data()), dim, rowGrads);
            }
            for (let i = 0; i < seqEntries.length; i++) {
                const g = grads[seqVars[i].name];
                if (g)
                    scatterSequenceGrads(seqEntries[i][1], (await g.data()), dim, rowGrads);
            }
            const loss = (await value.data())[0];
            const terms = {};
            for (const [name, t] of Object.entries(termTensors))
                terms[name] = (await t.data())[0];
            return { loss, terms, rowGrads, denseGrads, slots };
        }
        catch (err) {
            for (const t of Object.values(denseGrads))
                t.dispose();
            throw err;
        }
        finally {
            value?.dispose();
            for (const v of [...inputVars, ...seqVars]) {
                grads[v.name]?.dispose();
                v.dispose();
            }
            for (const m of seqMasks)
                m.dispose();
            for (const t of Object.values(termTensors))
                t.dispose();
        }
    }
    towerOf(name) {
        return towerSideOf(name) === 'user' ? this.model.userTower : this.model.itemTower;
    }
    /** The batch loss at the current parameters (no gradients, nothing updated). Rows must exist. */
    async evaluateLoss(batch) {
        const dim = this.store.dim;
        const rows = new Float32Array(batch.rows.rowCount * dim);
        this.store.gather(batch.rows.keys, false, rows, 1);
        const loss = tf.tidy(() => {
            const entries = Object.entries(batch.inputs).filter((e) => e[1] !== undefined);
            const features = Object.fromEntries(entries.map(([name, input]) => [name, tf.tensor2d(poolFeatures(input, rows, dim), [input.n, FIELD_GROUPS * dim])]));
            features.sequences = Object.fromEntries(entries
                .filter(([name]) => this.towerOf(name).usesSequence)
                .map(([name, input]) => {
                const host = gatherSequence(input, rows, dim);
                return [
                    name,
                    {
                        values: tf.tensor3d(host.values, [input.n, input.histSlots, dim]),
                        mask: tf.tensor2d(host.mask, [input.n, input.histSlots]),
                    },
                ];
            }));
            return this.model.computeLoss(features, batch).total;
        });
        try {
            return (await loss.data())[0];
        }
        finally {
            loss.dispose();
        }
    }
}
/**
 * Encode entities with a tower, without training and without creating store rows (unknown keys
 * read as zeros). @returns [n, outputDim] row-major unit vectors.
 */
export async function encodeWithTower(tower, store, build) {
    const table = new RowTable();
    const input = build(table);
    const rows = new Float32Array(table.rowCount * store.dim);
    store.gather(table.keys, false, rows, 1);
    const features = poolFeatures(input, rows, store.dim);
    const out = tf.tidy(() => {
        const sequence = tower.usesSequence ? gatherSequence(input, rows, store.dim) : null;
        return tower.apply(tf.tensor2d(features, [input.n, FIELD_GROUPS * store.dim]), {
            training: false,
            ...(sequence
                ? {
                    sequence: {
                        values: tf.tensor3d(sequence.values, [input.n, input.histSlots, store.dim]),
                        mask: tf.tensor2d(sequence.mask, [input.n, input.histSlots]),
                    },
                }
                : {}),
        });
    });
    try {
        return (await out.data());
    }
    finally {
        out.dispose();
    }
}
//# sourceMappingURL=trainer.js.map