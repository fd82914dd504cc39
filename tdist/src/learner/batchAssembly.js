import { prepareBatch } from '../model/batchBuilder.js';
import { contrastiveSides } from './learnerOptions.js';
/** What live and replayed batches share: accidental hits, logQ from the estimators, the recent group. */
function commonOptions(entities, o) {
    return { accidentalHits: o.accidentalHits, logQ: o.logQ, userEstimator: entities.userFrequency, recentLength: o.recentLength };
}
/**
 * A step's batch from its events: their users' and items' features from the entity state, logQ
 * from its frequencies, perturbed views for the sides with a contrastive task, and the sampled
 * parts the enabled tasks need (BCE negatives, next-item pairs, cold-start dropout), drawn from
 * `rng`. The step number seeds the step's embedding dropout.
 */
export function assembleBatch(events, entities, o, rng, step) {
    const mic = o.mic;
    const sides = contrastiveSides(mic);
    const user = sides.includes('user');
    const item = sides.includes('item');
    return prepareBatch(events, entities.features, entities.itemFrequency, {
        ...commonOptions(entities, o),
        views: user || item ? { user: user ? mic.userMasking : null, item: item ? mic.itemMasking : null, rng } : undefined,
        bceNegatives: mic.tasks.bceWeight > 0 ? rng : undefined,
        nextItemPairs: mic.tasks.nextItemWeight > 0,
        coldDropout: mic.userColdDropout > 0 || mic.itemColdDropout > 0 ? { user: mic.userColdDropout, item: mic.itemColdDropout, rng } : undefined,
    }, o.seed * 100003 + step);
}
/**
 * A replayed batch (events trained before, EventReplay): the U2I task's parts only (no views, no
 * snapshot extras, no next-item pairs: those follow the live stream), each user's and item's
 * history without the batch's own pairs, logQ from the current frequencies (replay does not count
 * the events again). `replay` numbers the step's replayed batches (their dropout seeds).
 */
export function assembleReplayBatch(events, entities, o, step, replay) {
    return prepareBatch(events, entities.features, entities.itemFrequency, { ...commonOptions(entities, o), excludeOwnTargets: true }, (o.seed * 100003 + step) * 31 + replay + 1);
}
//# sourceMappingURL=batchAssembly.js.map