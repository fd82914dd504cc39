import * as tf from '@tensorflow/tfjs';
import { dropoutMask } from './views/embeddingDropout.js';
import { gatherRows } from '../ops/gatherRows.js';
import { weightedSum } from '../ops/weightedSum.js';
import type { BatchInputs, PreparedBatch } from './batchBuilder.js';
import { buildTasks, type TaskOptions } from './tasks/taskList.js';
import type { Task, TaskContext } from './tasks/task.js';
import { makeTower, type Tower, type TowerKind } from './towers.js';

export interface TwoTowerOptions {
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  seed: number;
  tasks: TaskOptions;
  /** Tower architecture of both sides (default dssm). */
  towerKind?: TowerKind;
}

/** Loss terms of one step; `total` is what the optimizer minimises. */
export interface LossTerms {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

export type InputName = keyof BatchInputs;
export interface SequenceTensors {
  values: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/**
 * The tower inputs of a batch as tensors, one per BatchInputs entry ([n, 4 * embeddingDim]), and
 * for sequence towers the unpooled sequences.
 */
export type BatchFeatures = { [K in InputName]: BatchInputs[K] extends undefined ? never : tf.Tensor2D } & {
  sequences?: Partial<Record<InputName, SequenceTensors>>;
};

/** Which tower reads an input. */
export function towerSideOf(name: InputName): 'user' | 'item' {
  return name === 'users' || name === 'userViews' ? 'user' : 'item';
}

/**
 * Originals and views stacked for one tower pass. A view's sequence can be shorter than its
 * original's (masking drops entries, and each input has as many slots as its longest sequence),
 * so the shorter one is padded with masked slots.
 */
function concatSequences(a: SequenceTensors, b: SequenceTensors): SequenceTensors {
  const slots = Math.max(a.values.shape[1], b.values.shape[1]);
  const padded = (s: SequenceTensors): SequenceTensors => {
    const extra = slots - s.values.shape[1];
    if (extra === 0) return s;
    return {
      values: tf.pad(s.values, [
        [0, 0],
        [0, extra],
        [0, 0],
      ]),
      mask: tf.pad(s.mask, [
        [0, 0],
        [0, extra],
      ]),
    };
  };
  const [pa, pb] = [padded(a), padded(b)];
  return { values: tf.concat([pa.values, pb.values], 0), mask: tf.concat([pa.mask, pb.mask], 0) };
}

/**
 * Towers plus tasks (TFRS style): the model only computes the loss of a batch; the Trainer owns
 * the optimizer step. One user tower and one item tower serve U2I, U2U and I2I; the tasks
 * (src/model/tasks: U2I, I2U, U2U / I2I contrastive, next item, BCE) score the towers' outputs and
 * the total is Σ weight · loss over them. The towers run on the originals and, for the sides a
 * task reads views of, on their perturbed views in the same pass.
 */
export class TwoTowerModel {
  readonly userTower: Tower;
  readonly itemTower: Tower;
  readonly options: TwoTowerOptions;
  readonly tasks: readonly Task[];

  constructor(options: TwoTowerOptions) {
    this.options = options;
    const common = { embeddingDim: options.embeddingDim, hiddenDim: options.hiddenDim, outputDim: options.outputDim };
    const kind = options.towerKind ?? 'dssm';
    this.userTower = makeTower(kind, { name: 'user', ...common, seed: options.seed * 7 + 1 });
    this.itemTower = makeTower(kind, { name: 'item', ...common, seed: options.seed * 7 + 3 });
    this.tasks = buildTasks(options.tasks, options);
  }

  get variables(): tf.Variable[] {
    return [...this.userTower.variables, ...this.itemTower.variables, ...this.tasks.flatMap((t) => t.variables)];
  }

  /** Must run inside a tidy or variableGrads (it allocates intermediate tensors). */
  computeLoss(features: BatchFeatures, batch: PreparedBatch): LossTerms {
    const seq = (name: InputName) => features.sequences?.[name];
    const wantsViews = (side: 'user' | 'item') => this.tasks.some((t) => t.views === side);
    // Originals and their perturbed views go through a tower in one pass (one set of kernels, not two).
    const [users, userViews] = this.applyWithViews(
      this.userTower,
      features.users,
      wantsViews('user') ? features.userViews : undefined,
      seq('users'),
      seq('userViews'),
      batch.seed,
    );
    const [items, itemViews] = this.applyWithViews(
      this.itemTower,
      features.items,
      wantsViews('item') ? features.itemViews : undefined,
      seq('items'),
      seq('itemViews'),
      batch.seed + 1,
    );
    let queries: tf.Tensor2D | null = null;
    const context: TaskContext = {
      batch,
      users,
      items,
      ...(userViews ? { userViews } : {}),
      ...(itemViews ? { itemViews } : {}),
      eventQueries: () => (queries ??= gatherRows(users, batch.eventUser)),
    };
    const terms: Record<string, tf.Scalar> = {};
    const weighted: [tf.Scalar, number][] = [];
    for (const task of this.tasks) {
      const loss = task.loss(context);
      if (!loss) continue;
      terms[task.name] = loss;
      weighted.push([loss, task.weight]);
    }
    return { total: weightedSum(weighted), terms };
  }

  /** The tower on the originals and, when given, on the (dropped-out) views, as one batch. */
  private applyWithViews(
    tower: Tower,
    originals: tf.Tensor2D,
    views: tf.Tensor2D | undefined,
    seqOriginals: SequenceTensors | undefined,
    seqViews: SequenceTensors | undefined,
    seed: number,
  ): [tf.Tensor2D, tf.Tensor2D | undefined] {
    if (!views) return [tower.apply(originals, { training: true, ...(seqOriginals ? { sequence: seqOriginals } : {}) }), undefined];
    const n = originals.shape[0];
    const x = tf.concat([originals, this.dropout(views, seed)], 0);
    const sequence = seqOriginals && seqViews ? concatSequences(seqOriginals, seqViews) : undefined;
    const out = tower.apply(x, { training: true, ...(sequence ? { sequence } : {}) });
    return [tf.slice(out, [0, 0], [n, -1]), tf.slice(out, [n, 0], [-1, -1])];
  }

  private dropout(x: tf.Tensor2D, seed: number): tf.Tensor2D {
    const rate = this.options.tasks.featureDropout;
    return rate > 0 ? (tf.mul(x, tf.tensor2d(dropoutMask(x.shape[0] * x.shape[1], rate, seed), x.shape)) as tf.Tensor2D) : x;
  }

  dispose(): void {
    this.userTower.dispose();
    this.itemTower.dispose();
    for (const v of this.tasks.flatMap((t) => t.variables)) v.dispose();
  }
}
