import type { InteractionEvent } from '../events/interactionEvent.js';
import { hashUnit } from '../util/random.js';

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
  private hits = 0;
  private trials = 0;
  private seen = 0;
  private windowHits = 0;
  private windowTrials = 0;
  private windowStart = 0;
  readonly windows: PrequentialWindow[] = [];

  constructor(options: PrequentialOptions) {
    this.options = options;
  }

  /** @returns per checked event whether it was a hit (for instrumentation). */
  check(events: readonly InteractionEvent[], rank: RankItems): boolean[] {
    const out: boolean[] = [];
    const cache = new Map<string, ReadonlySet<string> | null>();
    for (const e of events) {
      this.seen++;
      if (
        this.options.sampleRate < 1 &&
        hashUnit(`${e.userId}\u0000${e.itemId}\u0000${e.timestamp}`, this.options.seed) >= this.options.sampleRate
      )
        continue;
      let top = cache.get(e.userId);
      if (top === undefined) {
        const ranked = rank(e.userId, this.options.k);
        top = ranked ? new Set(ranked) : null;
        cache.set(e.userId, top);
      }
      const hit = top !== null && top.has(e.itemId);
      this.trials++;
      this.windowTrials++;
      if (hit) {
        this.hits++;
        this.windowHits++;
      }
      out.push(hit);
      if (this.seen - this.windowStart >= this.options.windowEvents) this.closeWindow();
    }
    return out;
  }

  /** Close the current partial window (at end of stream). */
  flush(): void {
    if (this.windowTrials > 0) this.closeWindow();
  }

  get hitRate(): number {
    return this.trials ? this.hits / this.trials : 0;
  }

  get trialCount(): number {
    return this.trials;
  }

  private closeWindow(): void {
    this.windows.push({
      endEvent: this.seen,
      trials: this.windowTrials,
      hitRate: this.windowTrials ? this.windowHits / this.windowTrials : 0,
    });
    if (this.windows.length > (this.options.maxWindows ?? 1000)) this.windows.shift();
    this.windowStart = this.seen;
    this.windowHits = 0;
    this.windowTrials = 0;
  }
}
