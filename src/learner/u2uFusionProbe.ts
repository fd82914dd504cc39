import type { InteractionEvent } from '../events/interactionEvent.js';
import type { AnnIndex } from '../index/annIndex.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
import type { UserCoconsumption } from '../index/userCoconsumption.js';
import { itemsThroughNeighbours, U2U_FUSION_DEPTH } from '../index/userNeighbours.js';
import { CheckBudget, type TestThenTrainProbe } from '../measure/probe.js';
import { DecayedChoice, type DecayedChoiceData } from './decayedChoice.js';

/** The co-consumption weights the checks compare (0 = the towers' neighbours only). */
export const U2U_FUSION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** 'auto' = chosen by the checks; a number fixes the weight; 'off' = no co-consumption source at all. */
export type U2UFusionMode = 'auto' | 'off' | number;

export interface U2UFusionOptions {
  mode: U2UFusionMode;
  /** One check per this many trained events; 0 = none (a check pools the items of the neighbours under every weight). */
  eventsPerCheck: number;
  /** K of the checks: the neighbours taken and the items recommended through them. */
  checkK: number;
  /** Half-life of the checks' weight, in checks. */
  halfLifeChecks: number;
  /** Checks before the evidence can move the weight away from `initial`. */
  minChecks: number;
  /** The weight served until the evidence is in. */
  initial: number;
}

export const U2U_FUSION_DEFAULTS: Omit<U2UFusionOptions, 'mode'> = {
  eventsPerCheck: 32,
  checkK: 20,
  halfLifeChecks: 2000,
  minChecks: 50,
  initial: 0.5,
};

/** What a check reads: the serving snapshot's user index, the live co-consumption table and the users' trained items. */
export interface U2UFusionCheckInputs {
  users: AnnIndex | null;
  table: UserCoconsumption;
  seenItems(userId: string): ReadonlySet<string>;
}

export type U2UFusionProbeData = DecayedChoiceData;

/**
 * The weight of the co-consumption neighbours in the served U2U answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`) of
 * users the learner knows ask whether the event's item is among the top K items recommended
 * through the user's top K neighbours (summed neighbour scores, the user's trained items left
 * out) under each candidate weight: U2U's use and the evaluation's question. The fusion is the
 * served one (src/index/userNeighbours.ts). Decayed hit counts per candidate; the argmax is served.
 */
export class U2UFusionProbe implements TestThenTrainProbe {
  readonly options: U2UFusionOptions;
  private readonly choice: DecayedChoice;
  private readonly budget: CheckBudget;

  constructor(
    options: Pick<U2UFusionOptions, 'mode'> & Partial<U2UFusionOptions>,
    private readonly live: () => U2UFusionCheckInputs | null,
  ) {
    this.options = { ...U2U_FUSION_DEFAULTS, ...options };
    const mode = this.options.mode;
    if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 1)))
      throw new RangeError(`U2U fusion: mode must be 'auto', 'off' or a number in [0, 1], got ${String(mode)}`);
    this.choice = new DecayedChoice(U2U_FUSION_WEIGHTS, this.options.initial, this.options.halfLifeChecks, this.options.minChecks);
    this.budget = new CheckBudget(this.options.eventsPerCheck);
  }

  /** The weight to serve now (null when off: no co-consumption source). */
  get weight(): number | null {
    const mode = this.options.mode;
    if (mode === 'off') return null;
    return typeof mode === 'number' ? mode : this.choice.best();
  }

  test(events: readonly InteractionEvent[]): void {
    if (this.options.mode !== 'auto') return;
    const allowed = this.budget.take(events.length);
    const live = this.live();
    if (!live || allowed === 0) return;
    // Only events a recommendation could hold: a known user, an item they were not trained on.
    const open = events.filter((e) => {
      const seen = live.seenItems(e.userId);
      return seen.size > 0 && !seen.has(e.itemId);
    });
    // Evenly spaced over the batch, so that one burst does not take every check.
    const n = Math.min(allowed, open.length);
    const k = this.options.checkK;
    for (let c = 0; c < n; c++) {
      const e = open[Math.floor((c * open.length) / n)]!;
      const seen = live.seenItems(e.userId);
      const fromCo = live.table.neighbours(e.userId, U2U_FUSION_DEPTH) ?? [];
      const v = live.users?.vector(e.userId);
      // Users without items cannot recommend: dropped here as serving excludes them from the query.
      const fromTowers =
        v && live.users
          ? live.users
              .query(v, 2 * U2U_FUSION_DEPTH)
              .filter((x) => x.id !== e.userId && live.seenItems(x.id).size > 0)
              .slice(0, U2U_FUSION_DEPTH)
          : [];
      if (fromCo.length === 0 && fromTowers.length === 0) continue;
      this.choice.record((w) =>
        itemsThroughNeighbours(fuseNeighbours(fromTowers, fromCo, w, k), live.seenItems, seen, k).includes(e.itemId),
      );
    }
  }

  /** Decayed hit rate per candidate weight and the checks so far. */
  stats(): { candidates: readonly number[]; hitRates: number[]; checks: number } {
    return { candidates: U2U_FUSION_WEIGHTS, hitRates: this.choice.hitRates(), checks: this.choice.checks };
  }

  toData(): U2UFusionProbeData {
    return this.choice.toData(this.budget.carried);
  }

  restore(data: U2UFusionProbeData): void {
    this.budget.restore(this.choice.restore(data, 'U2U fusion'));
  }
}
