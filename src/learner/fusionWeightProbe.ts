import type { InteractionEvent } from '../events/interactionEvent.js';
import { CheckBudget, type TestThenTrainProbe } from '../measure/probe.js';
import { DecayedChoice, type DecayedChoiceData } from './decayedChoice.js';

/** The weights of a memory-based source against the towers that the checks compare (0 = the towers only). */
export const FUSION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1] as const;

/** 'auto' = chosen by the checks; a number fixes the weight; 'off' = no memory-based source at all. */
export type FusionMode = 'auto' | 'off' | number;

export interface FusionWeightOptions {
  mode: FusionMode;
  /** One check per this many trained events; 0 = none. */
  eventsPerCheck: number;
  /** K of the checks. */
  checkK: number;
  /** Half-life of the checks' weight, in checks. */
  halfLifeChecks: number;
  /** Checks before the evidence can move the weight away from `initial`. */
  minChecks: number;
  /** The weight served until the evidence is in. */
  initial: number;
  /** Leave `initial` only for a win of more than this many standard errors (null: the plain argmax; DecayedChoice). */
  zScore: number | null;
}

/** The probes' defaults; a channel may override `eventsPerCheck` (how often its check runs). */
export const FUSION_WEIGHT_DEFAULTS: Omit<FusionWeightOptions, 'mode'> = {
  eventsPerCheck: 16,
  checkK: 20,
  halfLifeChecks: 2000,
  minChecks: 50,
  initial: 0.5,
  zScore: null,
};

export type FusionWeightProbeData = DecayedChoiceData;

/**
 * A neighbour channel's fusion weight (the towers' neighbours against a memory-based source),
 * chosen by the learner itself, test-then-train: before a batch is learned, `check` asks the
 * channel's own question of sampled events under each candidate weight and records the hits;
 * decayed hit counts per candidate, the argmax served (DecayedChoice). What the I2I and U2U fusion
 * probes share; each asks its own question.
 */
export abstract class FusionWeightProbe<Inputs> implements TestThenTrainProbe {
  readonly options: FusionWeightOptions;
  protected readonly choice: DecayedChoice;
  private readonly budget: CheckBudget;

  protected constructor(
    private readonly what: string,
    options: FusionWeightOptions,
    private readonly live: () => Inputs | null,
  ) {
    this.options = options;
    const mode = options.mode;
    if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 1)))
      throw new RangeError(`${what}: mode must be 'auto', 'off' or a number in [0, 1], got ${String(mode)}`);
    this.choice = new DecayedChoice(FUSION_WEIGHTS, options.initial, options.halfLifeChecks, options.minChecks, options.zScore);
    this.budget = new CheckBudget(options.eventsPerCheck);
  }

  /** The weight to serve now (null when off: no memory-based source). */
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
    this.check(events, allowed, live);
  }

  /** Up to `allowed` checks of the batch, each recorded with `this.choice.record`. */
  protected abstract check(events: readonly InteractionEvent[], allowed: number, live: Inputs): void;

  /** Decayed hit rate per candidate weight and the checks so far. */
  stats(): { candidates: readonly number[]; hitRates: number[]; checks: number } {
    return { candidates: FUSION_WEIGHTS, hitRates: this.choice.hitRates(), checks: this.choice.checks };
  }

  toData(): FusionWeightProbeData {
    return this.choice.toData(this.budget.carried);
  }

  restore(data: FusionWeightProbeData): void {
    this.budget.restore(this.choice.restore(data, this.what));
  }
}
