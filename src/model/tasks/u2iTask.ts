import type * as tf from '@tensorflow/tfjs';
import { inBatchSoftmaxLoss } from '../losses.js';
import type { Task, TaskContext } from './task.js';

/**
 * U2I retrieval: each event's user against the batch's items, in-batch softmax with the logQ
 * correction, the batch's accidental hits (removed or counted as positives, per the batch's mode)
 * and the events' weights. Always on: it is what U2I serves.
 */
export class U2ITask implements Task {
  readonly name = 'u2i';
  readonly weight = 1;
  readonly variables: readonly tf.Variable[] = [];

  constructor(private readonly temperature: number) {}

  loss({ batch, items, eventQueries }: TaskContext): tf.Scalar {
    const hits = batch.accidentalHits
      ? { [batch.accidentalHitMode === 'mask' ? 'removeMask' : 'extraPositives']: batch.accidentalHits }
      : {};
    return inBatchSoftmaxLoss(eventQueries(), items, batch.eventItem, {
      temperature: this.temperature,
      logQ: batch.itemLogQ,
      ...hits,
      weights: batch.weights,
    });
  }
}
