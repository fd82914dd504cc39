import type { InteractionEvent } from '../events/interactionEvent.js';
import type { AnnIndex } from '../index/annIndex.js';
import { I2I_FUSION_DEPTH, type CooccurrenceNeighbours } from '../index/itemNeighbours.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
import { CheckBudget, type TestThenTrainProbe } from '../measure/probe.js';
import { DecayedChoice, type DecayedChoiceData } from './decayedChoice.js';

/** The co-occurrence weights the checks compare (0 = the towers' neighbours only). */
export const I2I_FUSION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** 'auto' = chosen by the checks; a number fixes the weight; 'off' = no co-occurrence source at all. */
export type I2IFusionMode = 'auto' | 'off' | number;

export interface I2IFusionOptions {
  mode: I2IFusionMode;
  /** One check per this many trained events; 0 = none. */
  eventsPerCheck: number;
  /** K of the checks (a hit: the event's item in the top K of its previous item's answer). */
  checkK: number;
  /** Half-life of the checks' weight, in checks. */
  halfLifeChecks: number;
  /** Checks before the evidence can move the weight away from `initial`. */
  minChecks: number;
  /** The weight served until the evidence is in. */
  initial: number;
}

export const I2I_FUSION_DEFAULTS: Omit<I2IFusionOptions, 'mode'> = {
  eventsPerCheck: 16,
  checkK: 20,
  halfLifeChecks: 2000,
  minChecks: 50,
  initial: 0.5,
};

/** What a check reads: the serving snapshot's item index and the live co-occurrence table. */
export interface I2IFusionCheckInputs {
  items: AnnIndex | null;
  cooccurrence: Pick<CooccurrenceNeighbours, 'neighbours'>;
  /** The user's latest trained item (the I2I trigger of their next event). */
  lastItem(userId: string): string | undefined;
}

export type I2IFusionProbeData = DecayedChoiceData;

/**
 * The weight of the co-occurrence neighbours in the served I2I answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`)
 * ask whether the event's item is in the top K of the I2I answer for the user's previous item
 * under each candidate weight (the same fusion as serving, src/index/itemNeighbours.ts). The
 * question is the one I2I answers (and the evaluation asks): what comes next after this item.
 * Decayed hit counts per candidate; the argmax is served (DecayedChoice).
 */
export class I2IFusionProbe implements TestThenTrainProbe {
  readonly options: I2IFusionOptions;
  private readonly choice: DecayedChoice;
  private readonly budget: CheckBudget;

  constructor(
    options: Pick<I2IFusionOptions, 'mode'> & Partial<I2IFusionOptions>,
    private readonly live: () => I2IFusionCheckInputs | null,
  ) {
    this.options = { ...I2I_FUSION_DEFAULTS, ...options };
    const mode = this.options.mode;
    if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 1)))
      throw new RangeError(`I2I fusion: mode must be 'auto', 'off' or a number in [0, 1], got ${String(mode)}`);
    this.choice = new DecayedChoice(I2I_FUSION_WEIGHTS, this.options.initial, this.options.halfLifeChecks, this.options.minChecks);
    this.budget = new CheckBudget(this.options.eventsPerCheck);
  }

  /** The weight to serve now (null when off: no co-occurrence source). */
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
    // Each event's trigger: the user's previous event in this batch, else their latest trained item.
    const previous = new Map<string, string>();
    const pairs: [string, string][] = [];
    for (const e of events) {
      const before = previous.get(e.userId) ?? live.lastItem(e.userId);
      if (before !== undefined && before !== e.itemId) pairs.push([before, e.itemId]);
      previous.set(e.userId, e.itemId);
    }
    // Evenly spaced over the batch's pairs, so that one burst does not take every check.
    const n = Math.min(allowed, pairs.length);
    const k = this.options.checkK;
    for (let c = 0; c < n; c++) {
      const [trigger, next] = pairs[Math.floor((c * pairs.length) / n)]!;
      const exclude = new Set([trigger]);
      const fromCo = live.cooccurrence.neighbours(trigger, exclude) ?? [];
      const v = live.items?.vector(trigger);
      const fromTowers = v && live.items ? live.items.query(v, I2I_FUSION_DEPTH, exclude) : [];
      if (fromCo.length === 0 && fromTowers.length === 0) continue;
      this.choice.record((w) => fuseNeighbours(fromTowers, fromCo, w, k).some((x) => x.id === next));
    }
  }

  /** Decayed hit rate per candidate weight and the checks so far. */
  stats(): { candidates: readonly number[]; hitRates: number[]; checks: number } {
    return { candidates: I2I_FUSION_WEIGHTS, hitRates: this.choice.hitRates(), checks: this.choice.checks };
  }

  toData(): I2IFusionProbeData {
    return this.choice.toData(this.budget.carried);
  }

  restore(data: I2IFusionProbeData): void {
    this.budget.restore(this.choice.restore(data, 'I2I fusion'));
  }
}
