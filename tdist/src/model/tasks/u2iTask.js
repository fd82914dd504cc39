import { inBatchSoftmaxLoss } from '../losses.js';
/**
 * U2I retrieval: each event's user against the batch's items, in-batch softmax with the logQ
 * correction, the batch's accidental hits (removed or counted as positives, per the batch's mode)
 * and the events' weights. Always on: it is what U2I serves.
 */
export class U2ITask {
    temperature;
    name = 'u2i';
    weight = 1;
    variables = [];
    constructor(temperature) {
        this.temperature = temperature;
    }
    loss({ batch, items, eventQueries }) {
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
//# sourceMappingURL=u2iTask.js.map