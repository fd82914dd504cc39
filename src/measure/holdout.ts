import type { InteractionEvent } from '../events/interactionEvent.js';
import { hashUnit, Rng } from '../util/random.js';
import { HitRateAtK } from './metric.js';
import type { RankItems } from './prequential.js';

export interface HoldoutResult {
  k: number;
  /** Held-back events evaluated (user and item known to the model). */
  events: number;
  /** Share of evaluated held-back events whose item is in the user's top-K. */
  hitRate: number;
  /** The same for a uniformly random ranking of the same candidates. */
  randomHitRate: number;
  /** Held-back events whose user or item the model never saw (not evaluable). */
  skipped: number;
}

/** What a finite run holds back when `--holdout-fraction` is unset (its summary's held-back recall). */
export const FINITE_RUN_HOLDOUT_FRACTION = 0.05;

/**
 * The fraction held back: the configured one, else none for an always-on (Kafka) learner, whose
 * every event must be learned (its measure is the live prequential HR), and
 * FINITE_RUN_HOLDOUT_FRACTION for a finite replay.
 */
export function holdoutFractionFor(configured: number | undefined, source: 'kafka' | 'file' | 'synthetic'): number {
  return configured ?? (source === 'kafka' ? 0 : FINITE_RUN_HOLDOUT_FRACTION);
}

/**
 * Events held back from training, chosen by a seeded hash of (user, item, timestamp), and
 * evaluated at the end: HR@K of the held-back item in the user's U2I recall (train-seen items
 * excluded), next to the expected HR@K of a random ranking.
 */
export class HoldoutSet {
  private readonly events: InteractionEvent[] = [];
  private seenCount = 0;
  private readonly rng: Rng;

  /**
   * @param capacity most events kept (reservoir sampling beyond it), so that an always-on learner
   *   does not grow without bound.
   */
  constructor(
    readonly fraction: number,
    readonly seed: number,
    readonly capacity = 50000,
  ) {
    this.rng = new Rng(seed ^ 0x68e31da4);
  }

  /** Whether this event is held back (deterministic for the seed). */
  selects(event: InteractionEvent): boolean {
    return (
      this.fraction > 0 && hashUnit(`${event.userId}\u0000${event.itemId}\u0000${event.timestamp}`, this.seed ^ 0x9e3779b9) < this.fraction
    );
  }

  add(event: InteractionEvent): void {
    this.seenCount++;
    if (this.events.length < this.capacity) this.events.push(event);
    else {
      const slot = this.rng.int(this.seenCount);
      if (slot < this.capacity) this.events[slot] = event;
    }
  }

  /** Held-back events so far (the evaluation uses a uniform sample of at most `capacity`). */
  get size(): number {
    return this.seenCount;
  }

  evaluate(options: {
    k: number;
    rank: RankItems;
    trainSeen: (userId: string) => ReadonlySet<string>;
    isKnownItem: (itemId: string) => boolean;
    catalogueSize: number;
  }): HoldoutResult {
    const { k } = options;
    const byUser = new Map<string, string[]>();
    let skipped = 0;
    for (const e of this.events) {
      if (!options.isKnownItem(e.itemId) || options.trainSeen(e.userId).has(e.itemId)) {
        skipped++;
        continue;
      }
      const list = byUser.get(e.userId) ?? [];
      list.push(e.itemId);
      byUser.set(e.userId, list);
    }
    const hitRate = new HitRateAtK(k);
    let randomHits = 0;
    for (const [userId, items] of byUser) {
      const ranked = options.rank(userId, k);
      if (!ranked) {
        skipped += items.length;
        continue;
      }
      const candidates = Math.max(1, options.catalogueSize - options.trainSeen(userId).size);
      for (const item of items) {
        hitRate.update({ targets: new Set([item]), ranked });
        randomHits += Math.min(1, k / candidates);
      }
    }
    return {
      k,
      events: hitRate.count,
      hitRate: hitRate.get(),
      randomHitRate: hitRate.count ? randomHits / hitRate.count : 0,
      skipped,
    };
  }
}
