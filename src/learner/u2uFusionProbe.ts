import type { InteractionEvent } from '../events/interactionEvent.js';
import type { AnnIndex } from '../index/annIndex.js';
import { fuseNeighbours } from '../index/neighbourFusion.js';
import type { UserCoconsumption } from '../index/userCoconsumption.js';
import { itemsThroughNeighbours, U2U_FUSION_DEPTH } from '../index/userNeighbours.js';
import {
  FUSION_WEIGHT_DEFAULTS,
  FUSION_WEIGHTS,
  FusionWeightProbe,
  type FusionMode,
  type FusionWeightOptions,
  type FusionWeightProbeData,
} from './fusionWeightProbe.js';

/** The co-consumption weights the checks compare (0 = the towers' neighbours only). */
export const U2U_FUSION_WEIGHTS = FUSION_WEIGHTS;
export type U2UFusionMode = FusionMode;
/** checkK: the neighbours taken and the items recommended through them. */
export type U2UFusionOptions = FusionWeightOptions;

/**
 * Guarded (zScore 2): the served U2U answers' held-out quality moves with the weight while the
 * checks' hit rates of the weights lie within their noise of each other, so the balanced weight
 * stays unless another one wins clearly (docs/BENCHMARKS.md, session 28).
 */
export const U2U_FUSION_DEFAULTS: Omit<U2UFusionOptions, 'mode'> = { ...FUSION_WEIGHT_DEFAULTS, eventsPerCheck: 32, zScore: 2 };

/** What a check reads: the serving snapshot's user index, the live co-consumption table and the users' trained items. */
export interface U2UFusionCheckInputs {
  users: AnnIndex | null;
  table: UserCoconsumption;
  seenItems(userId: string): ReadonlySet<string>;
}

export type U2UFusionProbeData = FusionWeightProbeData;

/**
 * The weight of the co-consumption neighbours in the served U2U answers, chosen by the learner
 * itself, test-then-train: before a batch is learned, sampled events (one per `eventsPerCheck`) of
 * users the learner knows ask whether the event's item is among the top K items recommended
 * through the user's top K neighbours (summed neighbour scores, the user's trained items left
 * out) under each candidate weight: U2U's use and the evaluation's question. The fusion is the
 * served one (src/index/userNeighbours.ts). Decayed hit counts per candidate; the argmax is served.
 */
export class U2UFusionProbe extends FusionWeightProbe<U2UFusionCheckInputs> {
  constructor(options: Pick<U2UFusionOptions, 'mode'> & Partial<U2UFusionOptions>, live: () => U2UFusionCheckInputs | null) {
    super('U2U fusion', { ...U2U_FUSION_DEFAULTS, ...options }, live);
  }

  protected check(events: readonly InteractionEvent[], allowed: number, live: U2UFusionCheckInputs): void {
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
}
