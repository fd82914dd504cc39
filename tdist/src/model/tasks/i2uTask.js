import { gatherRows } from '../../ops/gatherRows.js';
import { inBatchSoftmaxLoss } from '../losses.js';
/**
 * I2U, the other direction of U2I (bidirectional retrieval): each event's item against the
 * batch's users, with the users' logQ. `trainsUsers` false keeps the user vectors out of its
 * gradient (see TaskOptions.i2uTrainsUsers for why that is the default).
 */
export class I2UTask {
    weight;
    temperature;
    trainsUsers;
    name = 'i2u';
    variables = [];
    constructor(weight, temperature, trainsUsers) {
        this.weight = weight;
        this.temperature = temperature;
        this.trainsUsers = trainsUsers;
    }
    loss({ batch, users, items }) {
        return inBatchSoftmaxLoss(gatherRows(items, batch.eventItem), users, batch.eventUser, {
            candidateGradient: this.trainsUsers,
            temperature: this.temperature,
            ...(batch.userLogQ ? { logQ: batch.userLogQ } : {}),
            weights: batch.weights,
        });
    }
}
//# sourceMappingURL=i2uTask.js.map