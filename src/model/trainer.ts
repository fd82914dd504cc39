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

  /** One optimizer step on the batch: Adam on the dense weights, Adagrad on the batch's rows. */
  async step(batch: PreparedBatch): Promise<StepResult> {
    const g = await this.computeGradients(batch);
    try {
      this.optimizer.applyGradients(g.denseGrads);
      this.store.applyGradients(batch.rows.keys, g.rowGrads, 1);
      return { loss: g.loss, terms: g.terms };
    } finally {
      for (const t of Object.values(g.denseGrads)) t.dispose();
    }
  }

  /**
   * Loss and gradients of a batch without applying them: row gradients on the host
   * ([rowCount, dim], row 0 = padding) and dense gradients as tensors that the caller disposes.
   */
  async computeGradients(batch: PreparedBatch): Promise<{ loss: number; terms: Record<string, number>; rowGrads: Float32Array; denseGrads: tf.NamedTensorMap }> {
    const dim = this.store.dim;
    const width = FIELD_GROUPS * dim;
    const rows = new Float32Array(batch.rows.rowCount * dim);
    this.store.gather(batch.rows.keys, true, rows, 1);
    const id = featureCounter++;
    // tf.variable shares, not takes, its initial tensor: create both inside tidy so the initial tensors go.
    const [users, items] = tf.tidy(() => [
      tf.variable(tf.tensor2d(poolFeatures(batch.users, rows, dim), [batch.users.n, width]), true, `features_u_${id}`),
      tf.variable(tf.tensor2d(poolFeatures(batch.items, rows, dim), [batch.items.n, width]), true, `features_i_${id}`),
    ]) as [tf.Variable<tf.Rank.R2>, tf.Variable<tf.Rank.R2>];
    const dense = this.model.variables;
    const termTensors: Record<string, tf.Scalar> = {};
    let grads: tf.NamedTensorMap = {};
    let value: tf.Scalar | null = null;
    const denseGrads: tf.NamedTensorMap = {};
    try {
      ({ value, grads } = tf.variableGrads(() => {
        const { total, terms } = this.model.computeLoss({ users, items }, batch);
        for (const [name, t] of Object.entries(terms)) termTensors[name] = tf.keep(t);
        return total;
      }, [users, items, ...dense]));
      for (const v of dense) denseGrads[v.name] = grads[v.name]!;
      const rowGrads = new Float32Array(rows.length);
      scatterFeatureGrads(batch.users, (await grads[users.name]!.data()) as Float32Array, dim, rowGrads);
      scatterFeatureGrads(batch.items, (await grads[items.name]!.data()) as Float32Array, dim, rowGrads);
      const loss = (await value.data())[0]!;
      const terms: Record<string, number> = {};
      for (const [name, t] of Object.entries(termTensors)) terms[name] = (await t.data())[0]!;
      return { loss, terms, rowGrads, denseGrads };
    } catch (err) {
      for (const t of Object.values(denseGrads)) t.dispose();
      throw err;
    } finally {
      value?.dispose();
      grads[users.name]?.dispose();
      grads[items.name]?.dispose();
      users.dispose();
      items.dispose();
      for (const t of Object.values(termTensors)) t.dispose();
    }
  }

  /** The batch loss at the current parameters (no gradients, nothing updated). Rows must exist. */
  async evaluateLoss(batch: PreparedBatch): Promise<number> {
    const dim = this.store.dim;
    const rows = new Float32Array(batch.rows.rowCount * dim);
    this.store.gather(batch.rows.keys, false, rows, 1);
    const width = FIELD_GROUPS * dim;
    const loss = tf.tidy(() =>
      this.model.computeLoss(
        { users: tf.tensor2d(poolFeatures(batch.users, rows, dim), [batch.users.n, width]), items: tf.tensor2d(poolFeatures(batch.items, rows, dim), [batch.items.n, width]) },
        batch,
      ).total,
    );
    try {
      return (await loss.data())[0]!;
    } finally {
      loss.dispose();
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
