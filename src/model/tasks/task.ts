import type * as tf from '@tensorflow/tfjs';
import type { PreparedBatch } from '../batchBuilder.js';

/**
 * What a task reads of one step (TFRS style: the towers have run, a task only scores their
 * outputs). Tensors live in the step's tape; a task must not dispose them.
 */
export interface TaskContext {
  readonly batch: PreparedBatch;
  /** User tower outputs of the batch's unique users, [U, D]. */
  readonly users: tf.Tensor2D;
  /** Item tower outputs of the batch's unique items, [M, D]. */
  readonly items: tf.Tensor2D;
  /** The users' perturbed views, [U, D]: present when a task asked for them and the batch has them. */
  readonly userViews?: tf.Tensor2D;
  readonly itemViews?: tf.Tensor2D;
  /** Each event's user vector, [B, D], gathered once and shared by the tasks that query with it. */
  eventQueries(): tf.Tensor2D;
}

/**
 * One training objective of the shared towers: `loss` returns a scalar (or null when the batch
 * gives it nothing to learn from) that the model adds with `weight`. A task owns any variables it
 * adds (a projection head) and says which side's perturbed views it reads, so the model computes
 * views only for the tasks that use them. Adding a task touches no other task.
 */
export interface Task {
  /** Name of the loss term (reported per step as `terms[name]`). */
  readonly name: string;
  readonly weight: number;
  readonly views?: 'user' | 'item';
  readonly variables: readonly tf.Variable[];
  /** Call inside the step's tape (variableGrads or tidy): it allocates intermediate tensors. */
  loss(ctx: TaskContext): tf.Scalar | null;
}
