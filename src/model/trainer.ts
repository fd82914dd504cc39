import * as tf from '@tensorflow/tfjs';
import type { EmbeddingStore } from './embeddingStore.js';
import type { PreparedBatch } from './batchBuilder.js';
import type { TwoTowerModel } from './twoTowerModel.js';
import { FIELD_GROUPS, poolFeatures, RowTable, scatterFeatureGrads, type TowerInput } from './towerInput.js';
import type { Tower } from './towers.js';

export interface TrainerOptions {
  /** Adam learning rate of the dense tower weights (sparse rows use the store's Adagrad). */
  denseLearningRate: number;
}

export interface StepResult {
  loss: number;
  terms: Record<string, number>;
}

let featureCounter = 0;

/**
 * Owns the optimizer step: gathers the batch's rows from the EmbeddingStore and pools them into
 * tower features on the host, differentiates the model's loss w.r.t. those features and the dense
 * weights, applies Adam to the dense weights, and scatters the feature gradients back to the rows
 * they came from (Adagrad per row). Only the batch's rows are read or written.
 * Steps must be serialised (the pipeline does this); the tensor count is flat across steps.
 */
export class Trainer {
  private readonly optimizer: tf.Optimizer;

  constructor(
    private readonly model: TwoTowerModel,
    private readonly store: EmbeddingStore,
    options: TrainerOptions,
  ) {
    this.optimizer = tf.train.adam(options.denseLearningRate);
  }

  async step(batch: PreparedBatch): Promise<StepResult> {
    const dim = this.store.dim;
    const width = FIELD_GROUPS * dim;
    const rows = new Float32Array(batch.rows.rowCount * dim);
    this.store.gather(batch.rows.keys, true, rows, 1);
    const id = featureCounter++;
    const users = tf.variable(tf.tensor2d(poolFeatures(batch.users, rows, dim), [batch.users.n, width]), true, `features_u_${id}`);
    const items = tf.variable(tf.tensor2d(poolFeatures(batch.items, rows, dim), [batch.items.n, width]), true, `features_i_${id}`);
    const dense = this.model.variables;
    const termTensors: Record<string, tf.Scalar> = {};
    let grads: tf.NamedTensorMap = {};
    let value: tf.Scalar | null = null;
    try {
      ({ value, grads } = tf.variableGrads(() => {
        const { total, terms } = this.model.computeLoss({ users, items }, batch);
        for (const [name, t] of Object.entries(terms)) termTensors[name] = tf.keep(t);
        return total;
      }, [users, items, ...dense]));
      const denseGrads: tf.NamedTensorMap = {};
      for (const v of dense) denseGrads[v.name] = grads[v.name]!;
      this.optimizer.applyGradients(denseGrads);
      const rowGrads = new Float32Array(rows.length);
      scatterFeatureGrads(batch.users, (await grads[users.name]!.data()) as Float32Array, dim, rowGrads);
      scatterFeatureGrads(batch.items, (await grads[items.name]!.data()) as Float32Array, dim, rowGrads);
      this.store.applyGradients(batch.rows.keys, rowGrads, 1);
      const loss = (await value.data())[0]!;
      const terms: Record<string, number> = {};
      for (const [name, t] of Object.entries(termTensors)) terms[name] = (await t.data())[0]!;
      return { loss, terms };
    } finally {
      value?.dispose();
      for (const g of Object.values(grads)) g.dispose();
      users.dispose();
      items.dispose();
      for (const t of Object.values(termTensors)) t.dispose();
    }
  }
}

/**
 * Encode entities with a tower, without training and without creating store rows (unknown keys
 * read as zeros). @returns [n, outputDim] row-major unit vectors.
 */
export async function encodeWithTower(tower: Tower, store: EmbeddingStore, build: (rows: RowTable) => TowerInput): Promise<Float32Array> {
  const table = new RowTable();
  const input = build(table);
  const rows = new Float32Array(table.rowCount * store.dim);
  store.gather(table.keys, false, rows, 1);
  const features = poolFeatures(input, rows, store.dim);
  const out = tf.tidy(() => tower.apply(tf.tensor2d(features, [input.n, FIELD_GROUPS * store.dim]), { training: false }));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}
