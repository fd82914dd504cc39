import type * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../../ops/gatherRows.js';
import { inBatchSoftmaxLoss } from '../losses.js';
import type { Task, TaskContext } from './task.js';

/**
 * I2U, the other direction of U2I (bidirectional retrieval): each event's item against the
 * batch's users, with the users' logQ. `trainsUsers` false keeps the user vectors out of its
 * gradient (see TaskOptions.i2uTrainsUsers for why that is the default).
 */
export class I2UTask implements Task {
  readonly name = 'i2u';
  readonly variables: readonly tf.Variable[] = [];

  constructor(
    readonly weight: number,
    private readonly temperature: number,
    private readonly trainsUsers: boolean,
  ) {}

  loss({ batch, users, items }: TaskContext): tf.Scalar {
    return inBatchSoftmaxLoss(gatherRows(items, batch.eventItem), users, batch.eventUser, {
      candidateGradient: this.trainsUsers,
      temperature: this.temperature,
      ...(batch.userLogQ ? { logQ: batch.userLogQ } : {}),
      weights: batch.weights,
    });
  }
}
