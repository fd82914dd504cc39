import { I2I_FUSION_DEPTH } from '../index/itemNeighbours.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
import { FUSION_WEIGHT_DEFAULTS, FUSION_WEIGHTS, FusionWeightProbe, } from './fusionWeightProbe.js';
/** The co-occurrence weights the checks compare (0 = the towers' neighbours only). */
export const I2I_FUSION_WEIGHTS = FUSION_WEIGHTS;
export const I2I_FUSION_DEFAULTS = FUSION_WEIGHT_DEFAULTS;
/**
 * The weight of the co-occurrence neighbours in the served I2I answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`)
 * ask whether the event's item is in the top K of the I2I answer for the user's previous item
 * under each candidate weight (the same fusion as serving, src/index/itemNeighbours.ts). The
 * question is the one I2I answers (and the evaluation asks): what comes next after this item.
 * Decayed hit counts per candidate; the argmax is served (DecayedChoice).
 */
export class I2IFusionProbe extends FusionWeightProbe {
    constructor(options, live) {
        super('I2I fusion', { ...I2I_FUSION_DEFAULTS, ...options }, live);
    }
    check(events, allowed, live) {
        // Each event's trigger: the user's previous event in this batch, else their latest trained item.
        const previous = new Map();
        const pairs = [];
        for (const e of events) {
            const before = previous.get(e.userId) ?? live.lastItem(e.userId);
            if (before !== undefined && before !== e.itemId)
                pairs.push([before, e.itemId]);
            previous.set(e.userId, e.itemId);
        }
        // Evenly spaced over the batch's pairs, so that one burst does not take every check.
        const n = Math.min(allowed, pairs.length);
        const k = this.options.checkK;
        for (let c = 0; c < n; c++) {
            const [trigger, next] = pairs[Math.floor((c * pairs.length) / n)];
            const exclude = new Set([trigger]);
            const fromCo = live.cooccurrence.neighbours(trigger, exclude) ?? [];
            const v = live.items?.vector(trigger);
            const fromTowers = v && live.items ? live.items.query(v, I2I_FUSION_DEPTH, exclude) : [];
            if (fromCo.length === 0 && fromTowers.length === 0)
                continue;
            this.choice.record((w) => fuseNeighbours(fromTowers, fromCo, w, k).some((x) => x.id === next));
        }
    }
}
//# sourceMappingURL=i2iFusionProbe.js.map