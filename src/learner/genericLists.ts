import type { InteractionEvent } from '../events/interactionEvent.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import type { EntityState, TrendHorizon } from './entityState.js';

/**
 * The generic (non-personal) item lists the learner can serve: trending at three horizons (the
 * decayed frequencies at a quarter of, at, and at four times the logQ half-life) and lifetime
 * popularity. `trending` first: the default, and the choice on ties.
 */
export const GENERIC_LISTS = ['trending', 'trending-short', 'trending-long', 'popular'] as const;
export type GenericListKind = (typeof GENERIC_LISTS)[number];

/** The trending horizon of each trending kind. */
const HORIZON_OF: Record<Exclude<GenericListKind, 'popular'>, TrendHorizon> = {
  trending: 'base',
  'trending-short': 'short',
  'trending-long': 'long',
};

/**
 * Who a generic list is for. `first-time`: users with nothing trained (what they get instead of a
 * model answer). `returning`: users with trained items, the list without their items (merged
 * recall's generic channel and the I2I answers' generic term). The two are chosen apart because
 * they can want different lists: where newcomers follow lifetime favourites, a returning user has
 * often consumed those already and follows what is consumed now.
 */
export type GenericAudience = 'first-time' | 'returning';

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
  /** Whose events are checked (and whom the chosen list serves). */
  audience: GenericAudience;
  /** The lists the choice may serve (the others are checked too, never served); `trending` always among them. */
  candidates: readonly GenericListKind[];
}

export const GENERIC_LIST_DEFAULTS: GenericListOptions = {
  depth: 1000,
  checkK: 20,
  halfLifeChecks: 2000,
  minChecks: 50,
  audience: 'first-time',
  candidates: GENERIC_LISTS,
};

/** Every candidate list, best first (read-only: selectors may share one). */
export type CandidateLists = Readonly<Record<GenericListKind, readonly string[]>>;

const NO_LISTS = (): Record<GenericListKind, string[]> => ({ trending: [], 'trending-short': [], 'trending-long': [], popular: [] });

/** Every candidate list from the entity state, `depth` items each. */
export function genericCandidates(entities: EntityState, depth: number): CandidateLists {
  const lists = NO_LISTS();
  for (const kind of GENERIC_LISTS)
    lists[kind] = kind === 'popular' ? entities.popularItems(depth) : entities.trendingItems(depth, HORIZON_OF[kind]);
  return lists;
}

/**
 * Which generic list an audience gets, chosen by the learner itself, test-then-train: before a
 * batch is learned, each event of the audience (first-time: a user with no trained event yet;
 * returning: a user with trained items, on an item not among them) asks whether its item was in the
 * top K of each candidate list as it stood at the last step (for a returning user, the list
 * without their items, as merged recall serves it). Decayed hit counts per candidate; the next
 * snapshot serves the argmax once `minChecks` are in (ties and too little evidence keep `trending`).
 */
export class GenericListSelector implements TestThenTrainProbe {
  readonly options: GenericListOptions;
  private lists: CandidateLists = NO_LISTS();
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

  /**
   * Take the candidate lists as they stand now (each step; `lists`: built once for several selectors
   * of the same depth, else from the entity state). @returns the one to serve.
   */
  refresh(lists: CandidateLists = genericCandidates(this.entities, this.options.depth)): GenericList {
    this.lists = lists;
    const kind = this.choice();
    return { kind, items: this.lists[kind] };
  }

  test(events: readonly InteractionEvent[]): void {
    if (GENERIC_LISTS.every((kind) => this.lists[kind].length === 0)) return;
    if (this.options.audience === 'first-time') this.testFirstTime(events);
    else this.testReturning(events);
  }

  private testFirstTime(events: readonly InteractionEvent[]): void {
    const k = this.options.checkK;
    const tops = GENERIC_LISTS.map((kind) => new Set(this.lists[kind].slice(0, k)));
    const firstTime = new Set<string>();
    for (const e of events) {
      // A user with nothing trained before this batch: exactly who the generic list is for.
      if (this.entities.seenItems(e.userId).size > 0 && !firstTime.has(e.userId)) continue;
      firstTime.add(e.userId);
      this.record(tops.map((top) => top.has(e.itemId)));
    }
  }

  private testReturning(events: readonly InteractionEvent[]): void {
    const k = this.options.checkK;
    for (const e of events) {
      const seen = this.entities.seenItems(e.userId);
      // A first-time user is the other audience; an item seen before is never served back.
      if (seen.size === 0 || seen.has(e.itemId)) continue;
      this.record(GENERIC_LISTS.map((kind) => inFirstUnseen(this.lists[kind], e.itemId, seen, k)));
    }
  }

  private record(hits: readonly boolean[]): void {
    for (let c = 0; c < GENERIC_LISTS.length; c++) this.hits[c] = this.hits[c]! * this.decay + (hits[c] ? 1 : 0);
    this.weight = this.weight * this.decay + 1;
    this.checked++;
  }

  /** The list the evidence favours (trending until enough checks are in, and on ties). */
  choice(): GenericListKind {
    if (this.checked < this.options.minChecks) return 'trending';
    let best = 0;
    for (let c = 1; c < GENERIC_LISTS.length; c++)
      if (this.options.candidates.includes(GENERIC_LISTS[c]!) && this.hits[c]! > this.hits[best]!) best = c;
    return GENERIC_LISTS[best]!;
  }

  /** Checkpoint state: the candidate lists as of the last refresh and the evidence, by candidate. */
  toData(): GenericListData {
    const lists = Object.fromEntries(GENERIC_LISTS.map((kind) => [kind, [...this.lists[kind]]]));
    return { lists, candidates: [...GENERIC_LISTS], hits: this.hits, weight: this.weight, checked: this.checked };
  }

  /** Older checkpoints (trending and popular only) leave the other candidates without lists or hits until they earn them. */
  restore(data: GenericListData): void {
    const candidates = data.candidates ?? ['trending', 'popular'];
    const lists = NO_LISTS();
    for (const kind of GENERIC_LISTS) lists[kind] = [...(data.lists[kind] ?? [])];
    this.lists = lists;
    this.hits.fill(0);
    candidates.forEach((kind, i) => {
      const c = GENERIC_LISTS.indexOf(kind as GenericListKind);
      if (c >= 0) this.hits[c] = data.hits[i] ?? 0;
    });
    ({ weight: this.weight, checked: this.checked } = data);
  }

  /** The audience, the list it is served, each candidate's decayed hit rate and the checks so far. */
  stats(): GenericListStats {
    return {
      audience: this.options.audience,
      served: this.choice(),
      candidates: GENERIC_LISTS,
      hitRates: Array.from(this.hits, (h) => (this.weight > 0 ? h / this.weight : 0)),
      checks: this.checked,
    };
  }
}

/** Whether `target` is among the first `k` items of `list` that are not in `exclude`. */
function inFirstUnseen(list: readonly string[], target: string, exclude: ReadonlySet<string>, k: number): boolean {
  let taken = 0;
  for (const id of list) {
    if (id === target) return true;
    if (exclude.has(id)) continue;
    if (++taken >= k) return false;
  }
  return false;
}

export interface GenericListStats {
  audience: GenericAudience;
  served: GenericListKind;
  candidates: readonly GenericListKind[];
  hitRates: number[];
  checks: number;
}

export interface GenericListData {
  lists: Partial<Record<GenericListKind, string[]>>;
  /** The candidate of each `hits` entry (absent in older checkpoints: trending, popular). */
  candidates?: string[];
  hits: Float64Array;
  weight: number;
  checked: number;
}
