import { u2iQueryVector } from '../index/indexSnapshot.js';
import { genericListFor } from '../index/genericItems.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import type { EntityState } from './entityState.js';
import { genericCandidates, GenericListSelector, type GenericListData, type GenericListKind } from './genericLists.js';
import { I2IFusionProbe, type I2IFusionProbeData } from './i2iFusionProbe.js';
import { MergedFusionProbe, type MergedFusionProbeData } from './mergedFusionProbe.js';
import { I2I_FUSION_DEPTH, type CooccurrenceNeighbours } from '../index/itemNeighbours.js';
import type { LearnerOptions } from './learnerOptions.js';
import { PopularityPriorProbe, type PopularityPriorProbeData } from './popularityPriorProbe.js';
import type { RefreshRequest, ServingLists, SnapshotBuilder } from './snapshotBuilder.js';
import { U2IBlendProbe, type U2IBlendProbeData } from './u2iBlendProbe.js';
import { U2UFusionProbe, type U2UFusionProbeData } from './u2uFusionProbe.js';
import type { CoconsumptionSource } from '../index/userNeighbours.js';

/**
 * The lists first-time users may get: the logQ horizon and lifetime counts. The other horizons won
 * their checks on amazon-beauty's newcomers but a newcomer's list is also what users get from a model
 * that stops updating, and there a short horizon loses most of its value (the held-out cold-user
 * figures, docs/BENCHMARKS.md session 27); returning users' lists get every horizon.
 */
const FIRST_TIME_LISTS: readonly GenericListKind[] = ['trending', 'popular'];

/**
 * How the snapshot serves, as the learner chooses it test-then-train: the U2I user blend
 * (U2IBlendProbe), the generic lists of first-time and of returning users (GenericListSelector), the popularity
 * prior per user segment (PopularityPriorProbe), the co-occurrence and generic-list weights of I2I
 * answers (I2IFusionProbe), the co-consumption weight of U2U answers (U2UFusionProbe) and merged recall's
 * weights per user segment (MergedFusionProbe). Their checks
 * run on each batch before it is learned (`probes`); each refresh takes their current choices
 * (`refreshRequest`), and each step the non-personal ones (`servingLists`).
 */
export class ServingChoices {
  readonly blend: U2IBlendProbe;
  /** The generic list of first-time users, and the one of returning users (GenericListSelector, one per audience). */
  readonly generic: GenericListSelector;
  readonly returningGeneric: GenericListSelector;
  readonly prior: PopularityPriorProbe;
  readonly i2i: I2IFusionProbe;
  readonly u2u: U2UFusionProbe;
  readonly merged: MergedFusionProbe;
  readonly probes: readonly TestThenTrainProbe[];

  constructor(
    o: LearnerOptions,
    private readonly entities: EntityState,
    snapshots: () => SnapshotBuilder,
  ) {
    this.blend = new U2IBlendProbe({ mode: o.u2iUserBlend, gapMs: o.u2iBlendGapMs, eventsPerCheck: o.u2iBlendEventsPerCheck }, () => {
      const snapshot = snapshots().snapshot;
      const enc = snapshots().vectors;
      return snapshot && enc
        ? { snapshot, users: enc.users, userAttributes: enc.userAttributes, seenItems: (u) => entities.seenItems(u) }
        : null;
    });
    this.generic = new GenericListSelector(entities, { audience: 'first-time', candidates: FIRST_TIME_LISTS });
    this.returningGeneric = new GenericListSelector(entities, { audience: 'returning' });
    this.prior = new PopularityPriorProbe(
      { mode: o.popularityPrior, temperature: o.mic.tasks.temperature, gapMs: o.u2iBlendGapMs },
      entities,
      () => {
        const snapshot = snapshots().snapshot;
        return snapshot ? { snapshot, query: (u) => u2iQueryVector(snapshot, u), seenItems: (u) => entities.seenItems(u) } : null;
      },
    );
    const table = entities.cooccurrence;
    const neighbours = (itemId: string, exclude?: ReadonlySet<string>) => {
      const list = table?.neighbours(itemId, I2I_FUSION_DEPTH) ?? null;
      return list && exclude ? list.filter((n) => !exclude.has(n.id)) : list;
    };
    this.cooccurrenceNeighbours = table ? { neighbours, items: () => table.items() } : null;
    this.i2i = new I2IFusionProbe({ mode: table ? o.i2iCooccurrence : 'off' }, () =>
      table
        ? {
            items: snapshots().snapshot?.items ?? null,
            cooccurrence: { neighbours },
            lastItem: (u) => table.lastItem(u),
            generic: genericListFor(snapshots().snapshot?.generic, true)?.items ?? null,
          }
        : null,
    );
    const users = entities.coconsumption;
    this.u2u = new U2UFusionProbe({ mode: users ? o.u2uCoconsumption : 'off' }, () =>
      users ? { users: snapshots().snapshot?.users ?? null, table: users, seenItems: (u) => entities.seenItems(u) } : null,
    );
    this.merged = new MergedFusionProbe({ mode: o.mergedFusion, merged: o.merged, gapMs: 0 }, () => {
      const snapshot = snapshots().snapshot;
      return snapshot ? { snapshot, seenItems: (u) => entities.seenItems(u) } : null;
    });
    this.probes = [this.blend, this.generic, this.returningGeneric, this.prior, this.i2i, this.u2u, this.merged];
  }

  /** The live co-occurrence table as a snapshot reads it (null when off). */
  private readonly cooccurrenceNeighbours: Omit<CooccurrenceNeighbours, 'weight'> | null;

  /** The co-occurrence I2I source to serve now, with the weight the checks chose (null when off). */
  private cooccurrence(): CooccurrenceNeighbours | null {
    const weight = this.i2i.weight;
    const genericWeight = this.i2i.genericWeight ?? 0;
    return this.cooccurrenceNeighbours && weight !== null ? { ...this.cooccurrenceNeighbours, weight, genericWeight } : null;
  }

  /** The co-consumption U2U source to serve now, with the weight the checks chose (null when off). */
  private coconsumption(): CoconsumptionSource | null {
    const weight = this.u2u.weight;
    const table = this.entities.coconsumption;
    return table && weight !== null ? { table, weight } : null;
  }

  /** The choices of the next snapshot, for a refresh after `trainedEvents` events. */
  refreshRequest(trainedEvents: number): RefreshRequest {
    return {
      trainedEvents,
      u2iBlend: this.blend.blend,
      attributeVectors: this.blend.needsAttributeVectors,
      ...this.servingLists(),
    };
  }

  /** The non-personal lists to serve now (generic list, prior), between refreshes: cheap enough for every step. */
  servingLists(): ServingLists {
    // Both audiences choose among the same lists: built once.
    const lists = genericCandidates(this.entities, this.generic.options.depth);
    return {
      generic: { ...this.generic.refresh(lists), returning: this.returningGeneric.refresh(lists) },
      prior: this.prior.build(),
      cooccurrence: this.cooccurrence(),
      coconsumption: this.coconsumption(),
      mergedWeights: this.merged.weights(),
    };
  }

  forgetUser(userId: string): void {
    this.blend.forgetUser(userId);
    this.prior.forgetUser(userId);
    this.merged.forgetUser(userId);
  }

  /** Checkpoint state: each probe's evidence. */
  toData(): ServingChoicesData {
    return {
      blend: this.blend.toData(),
      generic: this.generic.toData(),
      returningGeneric: this.returningGeneric.toData(),
      prior: this.prior.toData(),
      i2i: this.i2i.toData(),
      u2u: this.u2u.toData(),
      merged: this.merged.toData(),
    };
  }

  restore(data: ServingChoicesData): void {
    this.blend.restore(data.blend);
    this.generic.restore(data.generic);
    if (data.returningGeneric) this.returningGeneric.restore(data.returningGeneric);
    this.prior.restore(data.prior);
    if (data.i2i) this.i2i.restore(data.i2i);
    if (data.u2u) this.u2u.restore(data.u2u);
    if (data.merged) this.merged.restore(data.merged);
  }
}

export interface ServingChoicesData {
  blend: U2IBlendProbeData;
  generic: GenericListData;
  /** Absent in older checkpoints. */
  returningGeneric?: GenericListData;
  prior: PopularityPriorProbeData;
  /** Absent in older checkpoints. */
  i2i?: I2IFusionProbeData;
  /** Absent in older checkpoints. */
  u2u?: U2UFusionProbeData;
  /** Absent in older checkpoints. */
  merged?: MergedFusionProbeData;
}
