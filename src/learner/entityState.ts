import type { InteractionEvent } from '../events/interactionEvent.js';
import { FeatureState, type FeatureStateData } from '../model/featureState.js';
import { DecayedFrequencyEstimator, type FrequencyEstimatorData } from '../model/frequencyEstimator.js';
import { UserCoconsumption, type UserCoconsumptionData, type UserCoconsumptionOptions } from '../index/userCoconsumption.js';
import { ItemCooccurrence, type ItemCooccurrenceData, type ItemCooccurrenceOptions } from './itemCooccurrence.js';
import { TopItems, type TopItemsData } from './topItems.js';

export interface EntityStateOptions {
  historyLength: number;
  logQHalfLifeEvents: number;
  /** Give items their current popularity bucket as a dynamic attribute (LearnerOptions.popularityFeature). */
  popularityFeature: boolean;
  /** Items kept per user as seen; beyond it the earliest seen is forgotten (absent = no bound). */
  seenItemsPerUser?: number;
  /** Keep the streaming item co-occurrence table (I2I's memory-based source); null = none. */
  cooccurrence?: ItemCooccurrenceOptions | null;
  /** Keep the streaming user co-consumption table (U2U's memory-based source); null = none. */
  coconsumption?: UserCoconsumptionOptions | null;
}

/** Steps between prunes of the frequency estimates (bounded memory on long streams). */
const PRUNE_EVERY_STEPS = 1000;

/** Items the trending and popular lists keep (the most a generic list or the prior's candidates can take). */
export const TOP_ITEMS_KEPT = 1000;

/**
 * The trending lists' horizons: half-lives as multiples of the logQ half-life (`base` is the logQ
 * estimate itself). Which horizon predicts the next item differs by regime (a burst-driven catalogue
 * wants minutes, a slow one nearly lifetime counts); the generic-list choices pick among them.
 */
export const TREND_HORIZONS = { short: 0.25, base: 1, long: 4 } as const;
export type TrendHorizon = keyof typeof TREND_HORIZONS;
const HORIZONS = Object.keys(TREND_HORIZONS) as TrendHorizon[];
/** The horizons with an estimate of their own (base reads `itemFrequency`). */
const OWN_HORIZONS = ['short', 'long'] as const;

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
  /** Decayed item frequencies per trending horizon (base: `itemFrequency`). */
  private readonly trendFrequency: Record<TrendHorizon, DecayedFrequencyEstimator>;
  /** The trained items by decayed frequency per horizon and by lifetime count, kept up to date each step (cheap to read every step). */
  private readonly trending: Record<TrendHorizon, TopItems>;
  private readonly popular: TopItems;
  /** Item-to-item co-occurrence over each user's recent items (null when off). */
  readonly cooccurrence: ItemCooccurrence | null;
  /** User-to-user co-consumption over each user's recent items (null when off). */
  readonly coconsumption: UserCoconsumption | null;

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
    const itemKeys = function* (key: (id: string) => number, ids: Iterable<string>): Iterable<[string, number]> {
      for (const id of ids) yield [id, key(id)];
    };
    const own = (h: (typeof OWN_HORIZONS)[number]) => {
      const data = restored?.horizons?.[h];
      return data
        ? DecayedFrequencyEstimator.fromData(data.frequency)
        : new DecayedFrequencyEstimator(options.logQHalfLifeEvents * TREND_HORIZONS[h]);
    };
    this.trendFrequency = { short: own('short'), base: this.itemFrequency, long: own('long') };
    const topByTrend = (h: TrendHorizon) =>
      new TopItems(TOP_ITEMS_KEPT, () => itemKeys((id) => this.trendFrequency[h].rankKey(id), this.itemCounts.keys()));
    this.trending = { short: topByTrend('short'), base: topByTrend('base'), long: topByTrend('long') };
    this.popular = new TopItems(TOP_ITEMS_KEPT, () => this.itemCounts.entries());
    if (restored?.tops) {
      this.trending.base.restore(restored.tops.trending);
      this.popular.restore(restored.tops.popular);
    } else if (restored) {
      this.trending.base.invalidate();
      this.popular.invalidate();
    }
    for (const h of OWN_HORIZONS) {
      const data = restored?.horizons?.[h];
      // An older checkpoint has no estimate for this horizon: it starts empty and fills as the stream goes on.
      if (data) this.trending[h].restore(data.top);
    }
    this.cooccurrence = options.cooccurrence
      ? restored?.cooccurrence
        ? ItemCooccurrence.fromData(restored.cooccurrence)
        : new ItemCooccurrence(options.cooccurrence)
      : null;
    this.coconsumption = options.coconsumption
      ? restored?.coconsumption
        ? UserCoconsumption.fromData(restored.coconsumption)
        : new UserCoconsumption(options.coconsumption)
      : null;
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
    const itemIds = events.map((e) => e.itemId);
    this.itemFrequency.observe(itemIds);
    for (const h of OWN_HORIZONS) this.trendFrequency[h].observe(itemIds);
    this.userFrequency.observe(events.map((e) => e.userId));
    // Trending ranks trained items only; the ones trained before move up now, the new ones at commit.
    for (const e of events) if (this.itemCounts.has(e.itemId)) this.offerTrending(e.itemId);
    return latest;
  }

  /**
   * After the step: histories and seen items take the batch in (only now, so no example saw its own
   * target), and every PRUNE_EVERY_STEPS steps the frequency estimates drop their faded ids.
   */
  commitBatch(events: readonly InteractionEvent[], step: number): void {
    for (const e of events) {
      const count = (this.itemCounts.get(e.itemId) ?? 0) + 1;
      this.itemCounts.set(e.itemId, count);
      this.popular.offer(e.itemId, count);
      this.offerTrending(e.itemId);
      this.features.appendInteraction(e);
      let s = this.seen.get(e.userId);
      if (!s) this.seen.set(e.userId, (s = new Set()));
      if (!s.has(e.itemId)) {
        s.add(e.itemId);
        // Insertion order is first-seen order: the earliest goes.
        if (s.size > (this.options.seenItemsPerUser ?? Infinity)) s.delete(s.values().next().value as string);
      }
    }
    this.cooccurrence?.learn(events);
    this.coconsumption?.learn(events);
    if (step % PRUNE_EVERY_STEPS === 0) {
      for (const h of HORIZONS) if (this.trendFrequency[h].prune() > 0) this.trending[h].invalidate();
      this.userFrequency.prune();
    }
  }

  private offerTrending(itemId: string): void {
    for (const h of HORIZONS) this.trending[h].offer(itemId, this.trendFrequency[h].rankKey(itemId));
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

  /** The `n` items with the largest decayed frequency at `horizon` (trending now; base: the logQ half-life), best first. */
  trendingItems(n: number, horizon: TrendHorizon = 'base'): string[] {
    return this.trending[horizon].top(n);
  }

  /** The `n` items with the most trained interactions over the stream, best first. */
  popularItems(n: number): string[] {
    return this.popular.top(n);
  }

  forgetUser(userId: string): void {
    this.features.forgetUser(userId);
    this.seen.delete(userId);
    this.cooccurrence?.forgetUser(userId);
    this.coconsumption?.forgetUser(userId);
  }

  /**
   * Entries held per per-id structure (what memory grows with): users and items with attributes,
   * history entries, seen (user, item) pairs, lifetime item counts, decayed frequencies, and the
   * co-occurrence / co-consumption tables. O(ids): read it every so many steps, not every step.
   */
  sizes(): EntitySizes {
    const f = this.features.sizes();
    let seenItems = 0;
    for (const s of this.seen.values()) seenItems += s.size;
    return {
      user_attributes: f.userAttributes,
      item_attributes: f.itemAttributes,
      user_history: f.userHistory,
      item_history: f.itemHistory,
      seen_items: seenItems,
      item_counts: this.itemCounts.size,
      item_frequency: this.itemFrequency.size + this.trendFrequency.short.size + this.trendFrequency.long.size,
      user_frequency: this.userFrequency.size,
      cooccurrence_pairs: this.cooccurrence?.pairCount ?? 0,
      coconsumption_entries: this.coconsumption?.entryCount ?? 0,
    };
  }

  forgetItem(itemId: string): void {
    this.features.forgetItem(itemId);
    this.itemCounts.delete(itemId);
    this.cooccurrence?.forgetItem(itemId);
    this.coconsumption?.forgetItem(itemId);
    for (const top of Object.values(this.trending)) top.invalidate();
    this.popular.invalidate();
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
      tops: { trending: this.trending.base.toData(), popular: this.popular.toData() },
      horizons: {
        short: { frequency: this.trendFrequency.short.toData(), top: this.trending.short.toData() },
        long: { frequency: this.trendFrequency.long.toData(), top: this.trending.long.toData() },
      },
      cooccurrence: this.cooccurrence?.toData() ?? null,
      coconsumption: this.coconsumption?.toData() ?? null,
    };
  }

  static fromData(options: EntityStateOptions, data: EntityStateData): EntityState {
    return new EntityState(options, data);
  }
}

export type EntitySizes = Record<
  | 'user_attributes'
  | 'item_attributes'
  | 'user_history'
  | 'item_history'
  | 'seen_items'
  | 'item_counts'
  | 'item_frequency'
  | 'user_frequency'
  | 'cooccurrence_pairs'
  | 'coconsumption_entries',
  number
>;

export interface EntityStateData {
  features: FeatureStateData;
  itemFrequency: FrequencyEstimatorData;
  userFrequency: FrequencyEstimatorData;
  seen: [string, string[]][];
  itemCounts: [string, number][];
  latestTimestamp: number;
  /** The kept trending and popular lists (absent in older checkpoints: rebuilt at the first read). */
  tops?: { trending: TopItemsData; popular: TopItemsData };
  /** The other trending horizons' estimates and lists (absent in older checkpoints: they start empty). */
  horizons?: Record<'short' | 'long', { frequency: FrequencyEstimatorData; top: TopItemsData }>;
  /** The co-occurrence table (absent in older checkpoints, null when off). */
  cooccurrence?: ItemCooccurrenceData | null;
  /** The co-consumption table (absent in older checkpoints, null when off). */
  coconsumption?: UserCoconsumptionData | null;
}

const EMPTY: ReadonlySet<string> = new Set();
