import type { InteractionEvent } from '../events/interactionEvent.js';
import type { AnnIndex } from '../index/annIndex.js';
import { I2I_FUSION_DEPTH, type CooccurrenceNeighbours } from '../index/itemNeighbours.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
import { DecayedChoice, type DecayedChoiceData } from './decayedChoice.js';
import { firstNotIn } from '../util/firstNotIn.js';
import {
  FUSION_WEIGHT_DEFAULTS,
  FUSION_WEIGHTS,
  FusionWeightProbe,
  type FusionMode,
  type FusionWeightOptions,
  type FusionWeightProbeData,
} from './fusionWeightProbe.js';

/** The co-occurrence weights the checks compare (0 = the towers' neighbours only). */
export const I2I_FUSION_WEIGHTS = FUSION_WEIGHTS;
/**
 * The generic-list weights the checks compare (0 = none, the default until the evidence is in).
 * No more than 0.5, where the generic list's first place ties the towers' first at the middle
 * co-occurrence weight: above it the generic list outranks the item-to-item sources and I2I turns
 * into a popularity list, which checks on a live list favour by little while a list that goes
 * stale (a frozen model's, a lagging replica's) loses much more (docs/BENCHMARKS.md, session 26).
 */
export const I2I_GENERIC_WEIGHTS = [0, 0.25, 0.5] as const;
export type I2IFusionMode = FusionMode;
/** checkK: a hit is the event's item in the top K of its previous item's answer. */
export type I2IFusionOptions = FusionWeightOptions;

export const I2I_FUSION_DEFAULTS: Omit<I2IFusionOptions, 'mode'> = FUSION_WEIGHT_DEFAULTS;

/** What a check reads: the serving snapshot's item index and the live co-occurrence table. */
export interface I2IFusionCheckInputs {
  items: AnnIndex | null;
  cooccurrence: Pick<CooccurrenceNeighbours, 'neighbours'>;
  /** The user's latest trained item (the I2I trigger of their next event). */
  lastItem(userId: string): string | undefined;
  /** The serving snapshot's generic list, best first (null: none yet). */
  generic: readonly string[] | null;
}

export interface I2IFusionProbeData extends FusionWeightProbeData {
  /** The generic weight's evidence; absent in older checkpoints. */
  generic?: DecayedChoiceData;
}

/**
 * The weight of the co-occurrence neighbours in the served I2I answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`)
 * ask whether the event's item is in the top K of the I2I answer for the user's previous item
 * under each candidate weight (the same fusion as serving, src/index/itemNeighbours.ts). The
 * question is the one I2I answers (and the evaluation asks): what comes next after this item.
 * Decayed hit counts per candidate; the argmax is served (DecayedChoice). Two weights, chosen one
 * coordinate at a time on the same checks: the co-occurrence weight (at the served generic weight)
 * and the generic list's (at the served co-occurrence weight). Why the generic list: on data where
 * the next item is mostly a popular one whatever came before, item-to-item similarity loses to
 * popularity, and only the stream can say which regime it is in.
 */
export class I2IFusionProbe extends FusionWeightProbe<I2IFusionCheckInputs> {
  private readonly genericChoice: DecayedChoice;

  constructor(options: Pick<I2IFusionOptions, 'mode'> & Partial<I2IFusionOptions>, live: () => I2IFusionCheckInputs | null) {
    const o = { ...I2I_FUSION_DEFAULTS, ...options };
    super('I2I fusion', o, live);
    this.genericChoice = new DecayedChoice(I2I_GENERIC_WEIGHTS, 0, o.halfLifeChecks, o.minChecks);
  }

  /** The generic list's weight to serve now: chosen by the checks under 'auto', none under a fixed weight, null when off. */
  get genericWeight(): number | null {
    const mode = this.options.mode;
    if (mode === 'off') return null;
    return mode === 'auto' ? this.genericChoice.best() : 0;
  }

  /** The generic weight's decayed hit rate per candidate. */
  genericStats(): { candidates: readonly number[]; hitRates: number[] } {
    return { candidates: I2I_GENERIC_WEIGHTS, hitRates: this.genericChoice.hitRates() };
  }

  override toData(): I2IFusionProbeData {
    return { ...super.toData(), generic: this.genericChoice.toData(0) };
  }

  override restore(data: I2IFusionProbeData): void {
    super.restore(data);
    if (data.generic) this.genericChoice.restore(data.generic, 'I2I generic weight');
  }

  protected check(events: readonly InteractionEvent[], allowed: number, live: I2IFusionCheckInputs): void {
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
    const servedCo = this.choice.best();
    const servedGeneric = this.genericChoice.best();
    for (let c = 0; c < n; c++) {
      const [trigger, next] = pairs[Math.floor((c * pairs.length) / n)]!;
      const exclude = new Set([trigger]);
      const fromCo = live.cooccurrence.neighbours(trigger, exclude) ?? [];
      const v = live.items?.vector(trigger);
      const fromTowers = v && live.items ? live.items.query(v, I2I_FUSION_DEPTH, exclude) : [];
      // As serving: an item neither source knows gets no answer, so it is no check either.
      if (fromCo.length === 0 && fromTowers.length === 0) continue;
      const genericIds = firstNotIn(live.generic ?? [], exclude, I2I_FUSION_DEPTH);
      const hit = (w: number, g: number) =>
        fuseNeighbours(fromTowers, fromCo, w, k, { ids: genericIds, weight: g }).some((x) => x.id === next);
      this.choice.record((w) => hit(w, servedGeneric));
      this.genericChoice.record((g) => hit(servedCo, g));
    }
  }
}
