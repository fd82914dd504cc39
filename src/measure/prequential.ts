import type { InteractionEvent } from '../events/interactionEvent.js';
import { hashUnit } from '../util/random.js';
import { HitRateAtK } from './metric.js';
import type { TestThenTrainProbe } from './probe.js';

/** Top-k item ids for a user, or null when the model cannot rank for that user yet. */
export type RankItems = (userId: string, k: number) => readonly string[] | null;

export interface PrequentialOptions {
  k: number;
  /** Fraction of events checked (hash-sampled, so deterministic for a seed). */
  sampleRate: number;
  seed: number;
  /** Events per reported window. */
  windowEvents: number;
  /** Windows kept (the oldest are dropped beyond it; always-on learners run forever). */
  maxWindows?: number;
  /** The segment of a user at check time (e.g. by trained history length): HR@K is also kept per segment. */
  segmentOf?: (userId: string) => string;
}

export interface PrequentialWindow {
  /** Stream position (events seen) at the end of the window. */
  endEvent: number;
  trials: number;
  hitRate: number;
}

/**
 * Progressive (test-then-train) validation: before a batch is learned, each sampled event asks
 * "was this item in the user's top-K?". Call `check` BEFORE `learnMany` on the same batch, always.
 * Users the model cannot rank yet count as misses, so the curve shows the cold start honestly.
 */
export class PrequentialEvaluator {
  readonly options: PrequentialOptions;
  private readonly overall: HitRateAtK;
  private window: HitRateAtK;
  private seen = 0;
  private windowStart = 0;
  readonly windows: PrequentialWindow[] = [];
  private readonly segments = new Map<string, HitRateAtK>();

  constructor(options: PrequentialOptions) {
    this.options = options;
    this.overall = new HitRateAtK(options.k);
    this.window = new HitRateAtK(options.k);
  }

  /**
   * Asks, for each sampled event, whether its item is in `rank(query, K)`. The query is the event's
   * user unless `queries` gives one per event (the user's previous item for I2I); null there means
   * the event asks nothing of this channel (no trial).
   * @returns per checked event whether it was a hit (for instrumentation).
   */
  check(events: readonly InteractionEvent[], rank: RankItems, queries?: readonly (string | null)[]): boolean[] {
    const out: boolean[] = [];
    const cache = new Map<string, readonly string[] | null>();
    for (let n = 0; n < events.length; n++) {
      const e = events[n]!;
      this.seen++;
      const query = queries ? queries[n]! : e.userId;
      if (query === null) continue;
      if (
        this.options.sampleRate < 1 &&
        hashUnit(`${e.userId}\u0000${e.itemId}\u0000${e.timestamp}`, this.options.seed) >= this.options.sampleRate
      )
        continue;
      let ranked = cache.get(query);
      if (ranked === undefined) cache.set(query, (ranked = rank(query, this.options.k)));
      const observation = { targets: new Set([e.itemId]), ranked };
      this.overall.update(observation);
      this.window.update(observation);
      if (this.options.segmentOf) {
        const segment = this.options.segmentOf(e.userId);
        let m = this.segments.get(segment);
        if (!m) this.segments.set(segment, (m = new HitRateAtK(this.options.k)));
        m.update(observation);
      }
      out.push(ranked !== null && ranked.slice(0, this.options.k).includes(e.itemId));
      if (this.seen - this.windowStart >= this.options.windowEvents) this.closeWindow();
    }
    return out;
  }

  /**
   * This evaluator as a test-then-train probe ranking with `rank`; it tests only while `active()`
   * (e.g. once an index is served), and reports each checked event to `onCheck`.
   */
  probe(rank: RankItems, active: () => boolean = () => true, onCheck?: (hit: boolean) => void): TestThenTrainProbe {
    return {
      test: (events) => {
        if (!active()) return;
        const hits = this.check(events, rank);
        if (onCheck) for (const hit of hits) onCheck(hit);
      },
    };
  }

  /** Close the current partial window (at end of stream). */
  flush(): void {
    if (this.window.count > 0) this.closeWindow();
  }

  get hitRate(): number {
    return this.overall.get();
  }

  /** HR@K and trials per segment (empty without `segmentOf`). */
  segmentHitRates(): Record<string, { hitRate: number; trials: number }> {
    const out: Record<string, { hitRate: number; trials: number }> = {};
    for (const [segment, m] of this.segments) out[segment] = { hitRate: m.get(), trials: m.count };
    return out;
  }

  get trialCount(): number {
    return this.overall.count;
  }

  private closeWindow(): void {
    this.windows.push({ endEvent: this.seen, trials: this.window.count, hitRate: this.window.get() });
    if (this.windows.length > (this.options.maxWindows ?? 1000)) this.windows.shift();
    this.windowStart = this.seen;
    this.window = new HitRateAtK(this.options.k);
  }
}
