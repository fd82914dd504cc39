import { priorSegment } from '../index/popularityPrior.js';
import { PrequentialEvaluator } from '../measure/prequential.js';
import { replayTestThenTrain } from '../pipeline/testThenTrain.js';
/**
 * A streaming baseline through the same test-then-train driver and prequential evaluator as a
 * learned model (same K, sample and windows; checks start after the first batch, as the learner's
 * start once its first index exists).
 */
export async function streamingPrequential(ranker, train, config, seed) {
    const segments = new StreamSegments();
    const evaluator = new PrequentialEvaluator({
        k: config.prequentialK,
        sampleRate: config.prequentialSampleRate,
        seed,
        windowEvents: 5000,
        segmentOf: segments.segmentOf,
    });
    let steps = 0;
    await replayTestThenTrain(ranker, train, {
        batchSize: config.batchSize,
        probes: [
            segments.after(evaluator.probe((u, k) => ranker.rank(u, k), () => steps > 0)),
        ],
        afterStep: () => void steps++,
    });
    evaluator.flush();
    return { channel: prequentialChannel(evaluator), windows: evaluator.windows };
}
/** The prequential channel: HR@K overall (`hr`) and per user segment at check time (`hr_new`, `hr_short`, ...). */
export function prequentialChannel(evaluator, prefix = '') {
    const out = { [`${prefix}hr`]: evaluator.hitRate };
    for (const [segment, r] of Object.entries(evaluator.segmentHitRates())) {
        out[`${prefix}hr_${segment}`] = r.hitRate;
        out[`${prefix}trials_${segment}`] = r.trials;
    }
    return out;
}
/**
 * Each user's segment by the distinct items of their events before the batch being checked (the
 * prior's segments: new, short, medium, long), the same for every model of a run.
 */
export class StreamSegments {
    items = new Map();
    segmentOf = (userId) => priorSegment(this.items.get(userId)?.size ?? 0);
    /** The probes, then the batch counted (checks see only earlier batches). */
    after(...probes) {
        return {
            test: (events) => {
                for (const probe of probes)
                    probe.test(events);
                for (const e of events) {
                    let s = this.items.get(e.userId);
                    if (!s)
                        this.items.set(e.userId, (s = new Set()));
                    s.add(e.itemId);
                }
            },
        };
    }
}
//# sourceMappingURL=prequentialRuns.js.map