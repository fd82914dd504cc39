import * as tf from '@tensorflow/tfjs';
import { inBatchSoftmaxLoss } from './losses.js';
import type { PreparedBatch } from './batchBuilder.js';
import { DssmTower, type Tower } from './towers.js';

export interface TwoTowerOptions {
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  temperature: number;
  seed: number;
}

/** Loss terms of one step; `total` is what the optimizer minimises. */
export interface LossTerms {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

/** The tower inputs of a batch as tensors: pooled features of the unique users [U, F] and items [M, F]. */
export interface BatchFeatures {
  users: tf.Tensor2D;
  items: tf.Tensor2D;
}

/** A [B, n] 0/1 matrix selecting row idx[b] for each b: gather as a matmul (gather's gradient is missing on wasm). */
export function selectionMatrix(idx: Int32Array, n: number): tf.Tensor2D {
  const m = new Float32Array(idx.length * n);
  idx.forEach((j, b) => (m[b * n + j] = 1));
  return tf.tensor2d(m, [idx.length, n]);
}

/**
 * Towers plus tasks (TFRS style): the model only computes the loss of a batch; the Trainer owns
 * the optimizer step. One user tower and one item tower serve U2I, U2U and I2I.
 */
export class TwoTowerModel {
  readonly userTower: Tower;
  readonly itemTower: Tower;
  readonly options: TwoTowerOptions;

  constructor(options: TwoTowerOptions) {
    this.options = options;
    const common = { embeddingDim: options.embeddingDim, hiddenDim: options.hiddenDim, outputDim: options.outputDim };
    this.userTower = new DssmTower({ name: 'user', ...common, seed: options.seed * 7 + 1 });
    this.itemTower = new DssmTower({ name: 'item', ...common, seed: options.seed * 7 + 3 });
  }

  get variables(): tf.Variable[] {
    return [...this.userTower.variables, ...this.itemTower.variables];
  }

  /** Must run inside a tidy or variableGrads (it allocates intermediate tensors). */
  computeLoss(features: BatchFeatures, batch: PreparedBatch): LossTerms {
    const users = this.userTower.apply(features.users, { training: true });
    const items = this.itemTower.apply(features.items, { training: true });
    const queries: tf.Tensor2D = tf.matMul(selectionMatrix(batch.eventUser, batch.userIds.length), users);
    const u2i = inBatchSoftmaxLoss(queries, items, tf.tensor1d(batch.eventItem, 'int32'), {
      temperature: this.options.temperature,
      logQ: tf.tensor1d(batch.itemLogQ),
      removeMask: batch.removeMask ? tf.tensor2d(batch.removeMask, [batch.eventUser.length, batch.itemIds.length]) : undefined,
      weights: tf.tensor1d(batch.weights),
    });
    return { total: u2i, terms: { u2i } };
  }

  dispose(): void {
    this.userTower.dispose();
    this.itemTower.dispose();
  }
}
