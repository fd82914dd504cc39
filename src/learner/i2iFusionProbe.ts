import type { InteractionEvent } from '../events/interactionEvent.js';
import type { AnnIndex } from '../index/annIndex.js';
import { I2I_FUSION_DEPTH, type CooccurrenceNeighbours } from '../index/itemNeighbours.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
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
}

export type I2IFusionProbeData = FusionWeightProbeData;

/**
 * The weight of the co-occurrence neighbours in the served I2I answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`)
 * ask whether the event's item is in the top K of the I2I answer for the user's previous item
 * under each candidate weight (the same fusion as serving, src/index/itemNeighbours.ts). The
 * question is the one I2I answers (and the evaluation asks): what comes next after this item.
 * Decayed hit counts per candidate; the argmax is served (DecayedChoice).
 */
export class I2IFusionProbe extends FusionWeightProbe<I2IFusionCheckInputs> {
  constructor(options: Pick<I2IFusionOptions, 'mode'> & Partial<I2IFusionOptions>, live: () => I2IFusionCheckInputs | null) {
    super('I2I fusion', { ...I2I_FUSION_DEFAULTS, ...options }, live);
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
}
