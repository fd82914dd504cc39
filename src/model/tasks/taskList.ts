import { MlpHead } from '../towers.js';
import { BceTask } from './bceTask.js';
import { ContrastiveTask } from './contrastiveTask.js';
import { I2UTask } from './i2uTask.js';
import { NextItemTask } from './nextItemTask.js';
import type { Task } from './task.js';
import { U2ITask } from './u2iTask.js';

/** Weights and switches of MIC's tasks; every part can be turned off for ablations. */
export interface TaskOptions {
  /** Softmax temperature of the U2I (and I2U) task. */
  temperature: number;
  /** Add the item->user in-batch softmax (bidirectional U2I). */
  bidirectional: boolean;
  /** Weight of the item->user direction when bidirectional. */
  i2uWeight: number;
  /**
   * Let the item->user direction update the user tower too. Off by default: with it on, I2U pulled
   * user vectors toward id-discriminative directions and cost U2I (most of all for cold users,
   * whose vectors come from attributes); item-only I2U kept U2I and lifted I2I (docs/BENCHMARKS.md).
   */
  i2uTrainsUsers: boolean;
  /** lambda_u: weight of the user-side contrastive task (0 = off). */
  u2uWeight: number;
  /** lambda_i: weight of the item-side contrastive task (0 = off). */
  i2iWeight: number;
  /** Temperature of the U2U / I2I contrastive tasks. */
  contrastiveTemperature: number;
  /** Dropout rate in the embedded-feature space of the perturbed views. */
  featureDropout: number;
  /** Weight of each kNN / co-occurrence extra positive relative to the view positive. */
  extraPositiveWeight: number;
  /** Weight of the pointwise BCE term (0 = off). */
  bceWeight: number;
  /**
   * Weight of the next-item task (0 = off): the item a user consumed before an event's item, as a
   * query through the item tower, against the batch's items (in-batch softmax with logQ, the
   * query's own column removed): co-consumption trained into the item vectors that I2I serves.
   */
  nextItemWeight: number;
  /**
   * SimCLR-style projection head g(.) per side: the U2U / I2I contrastive tasks compare g(v), not v,
   * so the view-invariance they ask for need not be carried by the served vectors (default off).
   */
  projectionHead?: boolean;
}

export interface TaskListOptions {
  embeddingDim: number;
  outputDim: number;
  seed: number;
}

/**
 * The model's tasks for `options`, in the order their terms are summed (U2I, I2U, U2U, I2I, next
 * item, BCE); a task with weight 0 is left out. Projection heads are seeded from the model seed.
 */
export function buildTasks(options: TaskOptions, model: TaskListOptions): Task[] {
  const t = options;
  const head = (name: 'user' | 'item', seed: number) =>
    new MlpHead(`${name}_projection`, model.outputDim, {
      name,
      embeddingDim: model.embeddingDim,
      hiddenDim: model.outputDim,
      outputDim: model.outputDim,
      seed,
    });
  const contrastive = (side: 'user' | 'item', weight: number, seed: number) =>
    new ContrastiveTask(side, {
      weight,
      temperature: t.contrastiveTemperature,
      extraPositiveWeight: t.extraPositiveWeight,
      projection: t.projectionHead ? head(side, seed) : null,
    });
  const tasks: Task[] = [new U2ITask(t.temperature)];
  if (t.bidirectional) tasks.push(new I2UTask(t.i2uWeight, t.temperature, t.i2uTrainsUsers));
  if (t.u2uWeight > 0) tasks.push(contrastive('user', t.u2uWeight, model.seed * 7 + 5));
  if (t.i2iWeight > 0) tasks.push(contrastive('item', t.i2iWeight, model.seed * 7 + 6));
  if (t.nextItemWeight > 0) tasks.push(new NextItemTask(t.nextItemWeight, t.temperature));
  if (t.bceWeight > 0) tasks.push(new BceTask(t.bceWeight, t.temperature));
  return tasks;
}
