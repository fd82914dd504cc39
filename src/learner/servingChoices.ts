import { u2iQueryVector } from '../index/indexSnapshot.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import type { EntityState } from './entityState.js';
import { GenericListSelector, type GenericListData } from './genericLists.js';
import type { LearnerOptions } from './learnerOptions.js';
import { PopularityPriorProbe, type PopularityPriorProbeData } from './popularityPriorProbe.js';
import type { RefreshRequest, SnapshotBuilder } from './snapshotBuilder.js';
import { U2IBlendProbe, type U2IBlendProbeData } from './u2iBlendProbe.js';

/**
 * How the next snapshot serves, as the learner chooses it test-then-train: the U2I user blend
 * (U2IBlendProbe), the generic list of users without a vector (GenericListSelector) and the
 * popularity prior per user segment (PopularityPriorProbe). Their checks run on each batch before
 * it is learned (`probes`); each refresh takes their current choices (`refreshRequest`).
 */
export class ServingChoices {
  readonly blend: U2IBlendProbe;
  readonly generic: GenericListSelector;
  readonly prior: PopularityPriorProbe;
  readonly probes: readonly TestThenTrainProbe[];

  constructor(o: LearnerOptions, entities: EntityState, snapshots: () => SnapshotBuilder) {
    this.blend = new U2IBlendProbe({ mode: o.u2iUserBlend, gapMs: o.u2iBlendGapMs, eventsPerCheck: o.u2iBlendEventsPerCheck }, () => {
      const snapshot = snapshots().snapshot;
      const enc = snapshots().vectors;
      return snapshot && enc
        ? { snapshot, users: enc.users, userAttributes: enc.userAttributes, seenItems: (u) => entities.seenItems(u) }
        : null;
    });
    this.generic = new GenericListSelector(entities);
    this.prior = new PopularityPriorProbe(
      { mode: o.popularityPrior, temperature: o.mic.tasks.temperature, gapMs: o.u2iBlendGapMs },
      entities,
      () => {
        const snapshot = snapshots().snapshot;
        return snapshot ? { snapshot, query: (u) => u2iQueryVector(snapshot, u), seenItems: (u) => entities.seenItems(u) } : null;
      },
    );
    this.probes = [this.blend, this.generic, this.prior];
  }

  /** The choices of the next snapshot, for a refresh after `trainedEvents` events. */
  refreshRequest(trainedEvents: number): RefreshRequest {
    return {
      trainedEvents,
      u2iBlend: this.blend.blend,
      attributeVectors: this.blend.needsAttributeVectors,
      generic: this.generic.refresh(),
      prior: this.prior.build(),
    };
  }

  forgetUser(userId: string): void {
    this.blend.forgetUser(userId);
    this.prior.forgetUser(userId);
  }

  /** Checkpoint state: each probe's evidence. */
  toData(): ServingChoicesData {
    return { blend: this.blend.toData(), generic: this.generic.toData(), prior: this.prior.toData() };
  }

  restore(data: ServingChoicesData): void {
    this.blend.restore(data.blend);
    this.generic.restore(data.generic);
    this.prior.restore(data.prior);
  }
}

export interface ServingChoicesData {
  blend: U2IBlendProbeData;
  generic: GenericListData;
  prior: PopularityPriorProbeData;
}
