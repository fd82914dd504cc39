import { gatherRows } from '../../ops/gatherRows.js';
import { pointwiseBceLoss } from '../losses.js';
/** Pointwise BCE: each event's user against its item and one sampled in-batch negative item. */
export class BceTask {
    weight;
    temperature;
    name = 'bce';
    variables = [];
    constructor(weight, temperature) {
        this.weight = weight;
        this.temperature = temperature;
    }
    loss({ batch, items, eventQueries }) {
        if (!batch.bceNegatives)
            return null;
        const positives = gatherRows(items, batch.eventItem);
        const negatives = gatherRows(items, batch.bceNegatives);
        return pointwiseBceLoss(eventQueries(), positives, negatives, this.temperature);
    }
}
//# sourceMappingURL=bceTask.js.map