import type * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../../ops/gatherRows.js';
import { pointwiseBceLoss } from '../losses.js';
import type { Task, TaskContext } from './task.js';

/** Pointwise BCE: each event's user against its item and one sampled in-batch negative item. */
export class BceTask implements Task {
  readonly name = 'bce';
  readonly variables: readonly tf.Variable[] = [];

  constructor(
    readonly weight: number,
    private readonly temperature: number,
  ) {}

  loss({ batch, items, eventQueries }: TaskContext): tf.Scalar | null {
    if (!batch.bceNegatives) return null;
    const positives = gatherRows(items, batch.eventItem);
    const negatives = gatherRows(items, batch.bceNegatives);
    return pointwiseBceLoss(eventQueries(), positives, negatives, this.temperature);
  }
}
