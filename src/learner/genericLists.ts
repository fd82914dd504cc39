import type { InteractionEvent } from '../events/interactionEvent.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import type { EntityState } from './entityState.js';

/** The generic (non-personal) item lists a user the model knows nothing about can be given. */
export const GENERIC_LISTS = ['trending', 'popular'] as const;
export type GenericListKind = (typeof GENERIC_LISTS)[number];

/** A ranked generic list as served: its kind and the item ids, best first. */
export interface GenericList {
  kind: GenericListKind;
  items: readonly string[];
}

export interface GenericListOptions {
  /** Items kept per list (the most a request can take). */
  depth: number;
  /** K of the checks (a hit: the event's item in the top K). */
  checkK: number;
  /** Half-life of the checks' weight, in checks. */
  halfLifeChecks: number;
  /** Checks before the evidence can move the choice away from the default. */
  minChecks: number;
}

export const GENERIC_LIST_DEFAULTS: GenericListOptions = { depth: 1000, checkK: 20, halfLifeChecks: 2000, minChecks: 50 };

/**
 * Which generic list a first-time user gets, chosen by the learner itself, test-then-train: before
 * a batch is learned, each event of a user with no trained event yet asks whether its item was in
 * the top K of each candidate list as it stood at the last refresh (trending: the decayed item
 * frequencies; popular: lifetime counts). Decayed hit counts per candidate; the next snapshot
 * serves the argmax once `minChecks` are in (ties and too little evidence keep `trending`).
 */
export class GenericListSelector implements TestThenTrainProbe {
  readonly options: GenericListOptions;
  private lists: Record<GenericListKind, string[]> = { trending: [], popular: [] };
  private readonly hits = new Float64Array(GENERIC_LISTS.length);
  private weight = 0;
  private checked = 0;
  private readonly decay: number;

  constructor(
    private readonly entities: EntityState,
    options: Partial<GenericListOptions> = {},
  ) {
    this.options = { ...GENERIC_LIST_DEFAULTS, ...options };
    this.decay = Math.pow(0.5, 1 / this.options.halfLifeChecks);
  }

  /** Rebuild the candidate lists from the entity state (at each refresh). @returns the one to serve. */
  refresh(): GenericList {
    const depth = this.options.depth;
    this.lists = { trending: this.entities.trendingItems(depth), popular: this.entities.popularItems(depth) };
    const kind = this.choice();
    return { kind, items: this.lists[kind] };
  }

  test(events: readonly InteractionEvent[]): void {
    const k = this.options.checkK;
    const tops = GENERIC_LISTS.map((kind) => new Set(this.lists[kind].slice(0, k)));
    if (tops.every((t) => t.size === 0)) return;
    const firstTime = new Set<string>();
    for (const e of events) {
      // A user with nothing trained before this batch: exactly who the generic list is for.
      if (this.entities.seenItems(e.userId).size > 0 && !firstTime.has(e.userId)) continue;
      firstTime.add(e.userId);
      for (let c = 0; c < GENERIC_LISTS.length; c++) this.hits[c] = this.hits[c]! * this.decay + (tops[c]!.has(e.itemId) ? 1 : 0);
      this.weight = this.weight * this.decay + 1;
      this.checked++;
    }
  }

  /** The list the evidence favours (trending until enough checks are in, and on ties). */
  choice(): GenericListKind {
    if (this.checked < this.options.minChecks) return 'trending';
    let best = 0;
    for (let c = 1; c < GENERIC_LISTS.length; c++) if (this.hits[c]! > this.hits[best]!) best = c;
    return GENERIC_LISTS[best]!;
  }

  /** Checkpoint state: the candidate lists as of the last refresh and the evidence. */
  toData(): GenericListData {
    return { lists: { ...this.lists }, hits: this.hits, weight: this.weight, checked: this.checked };
  }

  restore(data: GenericListData): void {
    this.lists = { trending: [...data.lists.trending], popular: [...data.lists.popular] };
    this.hits.set(data.hits);
    ({ weight: this.weight, checked: this.checked } = data);
  }

  /** Decayed hit rate per candidate and the checks so far. */
  stats(): { candidates: readonly GenericListKind[]; hitRates: number[]; checks: number } {
    return {
      candidates: GENERIC_LISTS,
      hitRates: Array.from(this.hits, (h) => (this.weight > 0 ? h / this.weight : 0)),
      checks: this.checked,
    };
  }
}

export interface GenericListData {
  lists: Record<GenericListKind, string[]>;
  hits: Float64Array;
  weight: number;
  checked: number;
}
