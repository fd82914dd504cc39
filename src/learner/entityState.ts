import type { InteractionEvent } from '../events/interactionEvent.js';
import { FeatureState, type FeatureStateData } from '../model/featureState.js';
import { DecayedFrequencyEstimator, type FrequencyEstimatorData } from '../model/frequencyEstimator.js';

export interface EntityStateOptions {
  historyLength: number;
  logQHalfLifeEvents: number;
  /** Give items their current popularity bucket as a dynamic attribute (LearnerOptions.popularityFeature). */
  popularityFeature: boolean;
}

/** Steps between prunes of the frequency estimates (bounded memory on long streams). */
const PRUNE_EVERY_STEPS = 1000;

/**
 * What the learner knows about each user and item besides the model's rows: attributes and
 * interaction histories (FeatureState), decayed user and item frequencies (logQ, trending), the
 * items each user was trained on (excluded from U2I), and the stream clock. Serialisable with
 * `toData` / `fromData`: a restored state continues exactly as the original.
 */
export class EntityState {
  readonly features: FeatureState;
  readonly itemFrequency: DecayedFrequencyEstimator;
  readonly userFrequency: DecayedFrequencyEstimator;
  private readonly seen: Map<string, Set<string>>;
  /** Trained interactions per item over the whole stream (lifetime popularity). */
  private readonly itemCounts: Map<string, number>;
  private latestTimestamp: number;

  constructor(
    readonly options: EntityStateOptions,
    restored?: EntityStateData,
  ) {
    this.features = restored ? FeatureState.fromData(restored.features) : new FeatureState(options.historyLength);
    this.itemFrequency = restored
      ? DecayedFrequencyEstimator.fromData(restored.itemFrequency)
      : new DecayedFrequencyEstimator(options.logQHalfLifeEvents);
    this.userFrequency = restored
      ? DecayedFrequencyEstimator.fromData(restored.userFrequency)
      : new DecayedFrequencyEstimator(options.logQHalfLifeEvents);
    this.seen = new Map((restored?.seen ?? []).map(([user, items]) => [user, new Set(items)]));
    this.itemCounts = new Map(restored?.itemCounts ?? []);
    this.latestTimestamp = restored?.latestTimestamp ?? 0;
    if (options.popularityFeature) {
      this.features.dynamicItemAttributes = (itemId) => {
        const q = this.itemFrequency.probability(itemId);
        return [q > 0 ? `ia:~pop=${Math.min(24, Math.floor(-Math.log2(q)))}` : 'ia:~pop=none'];
      };
    }
  }

  /** The latest event time seen by training (stream time, ms). */
  get clock(): number {
    return this.latestTimestamp;
  }

  /** Record attributes without learning (e.g. for held-back events): the entity becomes encodable. */
  observe(event: InteractionEvent): void {
    this.features.observeAttributes(event);
  }

  /**
   * Before a training step: the batch's attributes, the frequencies and the stream clock.
   * @returns the batch's latest timestamp.
   */
  beginBatch(events: readonly InteractionEvent[]): number {
    for (const e of events) this.features.observeAttributes(e);
    let latest = 0;
    for (const e of events) if (e.timestamp > latest) latest = e.timestamp;
    if (latest > this.latestTimestamp) this.latestTimestamp = latest;
    this.itemFrequency.observe(events.map((e) => e.itemId));
    this.userFrequency.observe(events.map((e) => e.userId));
    return latest;
  }

  /**
   * After the step: histories and seen items take the batch in (only now, so no example saw its own
   * target), and every PRUNE_EVERY_STEPS steps the frequency estimates drop their faded ids.
   */
  commitBatch(events: readonly InteractionEvent[], step: number): void {
    for (const e of events) {
      this.itemCounts.set(e.itemId, (this.itemCounts.get(e.itemId) ?? 0) + 1);
      this.features.appendInteraction(e);
      let s = this.seen.get(e.userId);
      if (!s) this.seen.set(e.userId, (s = new Set()));
      s.add(e.itemId);
    }
    if (step % PRUNE_EVERY_STEPS === 0) {
      this.itemFrequency.prune();
      this.userFrequency.prune();
    }
  }

  /** Items the user interacted with in training (excluded from U2I recall). */
  seenItems(userId: string): ReadonlySet<string> {
    return this.seen.get(userId) ?? EMPTY;
  }

  /** Every user's seen items (for publishing to recall servers). */
  seenByUser(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [user, items] of this.seen) out[user] = [...items];
    return out;
  }

  /** The `n` items with the largest decayed frequency (trending now), best first. */
  trendingItems(n: number): string[] {
    return topByScore(this.itemCounts.keys(), (id) => this.itemFrequency.probability(id), n);
  }

  /** The `n` items with the most trained interactions over the stream, best first. */
  popularItems(n: number): string[] {
    return topByScore(this.itemCounts.keys(), (id) => this.itemCounts.get(id)!, n);
  }

  forgetUser(userId: string): void {
    this.features.forgetUser(userId);
    this.seen.delete(userId);
  }

  forgetItem(itemId: string): void {
    this.features.forgetItem(itemId);
    this.itemCounts.delete(itemId);
  }

  /** Everything above as plain data (JSON-safe), insertion orders kept. */
  toData(): EntityStateData {
    return {
      features: this.features.toData(),
      itemFrequency: this.itemFrequency.toData(),
      userFrequency: this.userFrequency.toData(),
      seen: [...this.seen].map(([user, items]) => [user, [...items]]),
      itemCounts: [...this.itemCounts],
      latestTimestamp: this.latestTimestamp,
    };
  }

  static fromData(options: EntityStateOptions, data: EntityStateData): EntityState {
    return new EntityState(options, data);
  }
}

export interface EntityStateData {
  features: FeatureStateData;
  itemFrequency: FrequencyEstimatorData;
  userFrequency: FrequencyEstimatorData;
  seen: [string, string[]][];
  itemCounts: [string, number][];
  latestTimestamp: number;
}

const EMPTY: ReadonlySet<string> = new Set();

/** The `n` ids with the largest score, best first; ties keep the ids' order. */
function topByScore(ids: Iterable<string>, score: (id: string) => number, n: number): string[] {
  const scored = [...ids].map((id, order) => ({ id, order, s: score(id) })).filter((e) => e.s > 0);
  scored.sort((a, b) => b.s - a.s || a.order - b.order);
  return scored.slice(0, n).map((e) => e.id);
}
