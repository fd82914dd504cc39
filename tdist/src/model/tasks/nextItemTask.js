import { gatherRows } from '../../ops/gatherRows.js';
import { inBatchSoftmaxLoss } from '../losses.js';
/**
 * Next item (co-consumption into the item vectors that I2I serves): the item a user consumed
 * before an event's item, as a query through the item tower, against the batch's items, in-batch
 * softmax with logQ and the query's own column removed. Nothing to learn when the batch has no
 * such pairs.
 */
export class NextItemTask {
    weight;
    temperature;
    name = 'next';
    variables = [];
    constructor(weight, temperature) {
        this.weight = weight;
        this.temperature = temperature;
    }
    loss({ batch, items }) {
        const next = batch.nextItem;
        if (!next || next.query.length === 0)
            return null;
        return inBatchSoftmaxLoss(gatherRows(items, next.query), items, next.target, {
            temperature: this.temperature,
            logQ: batch.itemLogQ,
            removeColumn: next.query,
        });
    }
}
//# sourceMappingURL=nextItemTask.js.map