// The prequential protocol's parts shared by every model: each channel checked test-then-train, HR@K per user segment.
import type { Config } from '../config/config.js';
import type { InteractionEvent } from '../events/interactionEvent.js';
import { priorSegment } from '../index/popularityPrior.js';
import { PrequentialEvaluator, type PrequentialOptions, type PrequentialWindow, type RankItems } from '../measure/prequential.js';
import { PreviousItems } from '../measure/previousItems.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import { replayTestThenTrain } from '../pipeline/testThenTrain.js';
import type { StreamingRanker } from './streamingBaselines.js';

/**
 * The channels checked test-then-train, each on what its recall endpoint answers: U2I and MERGED
 * rank for the event's user, I2I for the user's previous item (the next item among its similar
 * items), U2U through the user's nearest users.
 */
export const PREQUENTIAL_CHANNELS = ['u2i', 'merged', 'i2i', 'u2u'] as const;
export type PrequentialChannel = (typeof PREQUENTIAL_CHANNELS)[number];

/** Where a channel's figures sit in the `prequential` metrics: `hr` for U2I, `i2i/hr`, `i2i/hr_new`, ... */
export const PREQUENTIAL_PREFIX: Readonly<Record<PrequentialChannel, string>> = { u2i: '', merged: 'merged/', i2i: 'i2i/', u2u: 'u2u/' };

/**
 * One model's prequential checks over one pass: an evaluator per channel it answers, the same
 * sample, K, windows and user segments for all, and for I2I each event's previous item.
 */
export class PrequentialChecks {
  private readonly segments = new StreamSegments();
  private readonly previous = new PreviousItems();
  private readonly evaluators: [PrequentialChannel, PrequentialEvaluator, RankItems][] = [];

  constructor(
    options: Omit<PrequentialOptions, 'segmentOf'>,
    rankers: Partial<Record<PrequentialChannel, RankItems>>,
    /** Checks run only while this holds (e.g. once an index serves); the stream is followed throughout. */
    private readonly active: () => boolean = () => true,
  ) {
    for (const channel of PREQUENTIAL_CHANNELS) {
      const rank = rankers[channel];
      if (rank) this.evaluators.push([channel, new PrequentialEvaluator({ ...options, segmentOf: this.segments.segmentOf }), rank]);
    }
  }

  /** The checks as a test-then-train probe: every channel tests the batch, then the batch is noted. */
  probe(): TestThenTrainProbe {
    return {
      test: (events) => {
        const previous = this.previous.queries(events);
        if (this.active())
          for (const [channel, evaluator, rank] of this.evaluators) evaluator.check(events, rank, channel === 'i2i' ? previous : undefined);
        this.segments.note(events);
      },
    };
  }

  /** Ends the pass (closes the partial windows). */
  flush(): void {
    for (const [, evaluator] of this.evaluators) evaluator.flush();
  }

  /** HR@K overall and per segment of every channel checked, keyed by `PREQUENTIAL_PREFIX`. */
  channel(): Record<string, number> {
    return Object.assign({}, ...this.evaluators.map(([channel, evaluator]) => prequentialChannel(evaluator, PREQUENTIAL_PREFIX[channel])));
  }

  /** HR@K per window of each channel checked. */
  windows(): Partial<Record<PrequentialChannel, PrequentialWindow[]>> {
    return Object.fromEntries(this.evaluators.map(([channel, evaluator]) => [channel, evaluator.windows]));
  }
}

/**
 * A streaming baseline through the same test-then-train driver and prequential checks as a learned
 * model (same K, sample and windows; checks start after the first batch, as the learner's start
 * once its first index exists), on each channel it answers.
 */
export async function streamingPrequential(
  ranker: StreamingRanker,
  train: readonly InteractionEvent[],
  config: Config,
  seed: number,
): Promise<{ channel: Record<string, number>; windows: Partial<Record<PrequentialChannel, PrequentialWindow[]>> }> {
  let steps = 0;
  const checks = new PrequentialChecks(
    { k: config.prequentialK, sampleRate: config.prequentialSampleRate, seed, windowEvents: PREQUENTIAL_WINDOW_EVENTS },
    {
      ...(ranker.rank ? { u2i: (u: string, k: number) => ranker.rank!(u, k) } : {}),
      ...(ranker.similarItems ? { i2i: (i: string, k: number) => ranker.similarItems!(i, k) } : {}),
      ...(ranker.neighbourItems ? { u2u: (u: string, k: number) => ranker.neighbourItems!(u, k) } : {}),
    },
    () => steps > 0,
  );
  await replayTestThenTrain(ranker, train, { batchSize: config.batchSize, probes: [checks.probe()], afterStep: () => void steps++ });
  checks.flush();
  return { channel: checks.channel(), windows: checks.windows() };
}

/** Events per reported prequential window. */
export const PREQUENTIAL_WINDOW_EVENTS = 5000;

/** The prequential channel: HR@K overall (`hr`) and per user segment at check time (`hr_new`, `hr_short`, ...). */
export function prequentialChannel(evaluator: PrequentialEvaluator, prefix = ''): Record<string, number> {
  const out: Record<string, number> = { [`${prefix}hr`]: evaluator.hitRate };
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
  private readonly items = new Map<string, Set<string>>();
  readonly segmentOf = (userId: string): string => priorSegment(this.items.get(userId)?.size ?? 0);

  /** Counts a checked batch (checks see only earlier batches). */
  note(events: readonly InteractionEvent[]): void {
    for (const e of events) {
      let s = this.items.get(e.userId);
      if (!s) this.items.set(e.userId, (s = new Set()));
      s.add(e.itemId);
    }
  }
}
