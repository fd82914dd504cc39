import type { InteractionEvent } from '../events/interactionEvent.js';
import type { I2IFusionStats } from '../metrics/instrumentation.js';
import type { Neighbor } from '../index/annIndex.js';
import { u2iQueryVector, u2iRanking, type IndexSnapshot } from '../index/indexSnapshot.js';
import type { IndexVectors } from '../index/indexVectors.js';
import { EmbeddingStore } from '../model/embeddingStore.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import { Trainer, type StepResult } from '../model/trainer.js';
import { TwoTowerModel } from '../model/twoTowerModel.js';
import type { ClusterAssignment } from '../cluster/clusterService.js';
import { Rng } from '../util/random.js';
import { assembleBatch, assembleReplayBatch } from './batchAssembly.js';
import { EventReplay } from './eventReplay.js';
import { EntityState } from './entityState.js';
import { contrastiveSides, resolveLearnerOptions, type LearnerOptions, type LearnerOverrides } from './learnerOptions.js';
import { MicExtras, type ExtrasSources } from './micExtras.js';
import { SnapshotBuilder } from './snapshotBuilder.js';
import type { GenericListStats } from './genericLists.js';
import { ServingChoices } from './servingChoices.js';
import { LEARNER_STATE_FORMAT, learnerShape, restoreProblem, type LearnerState } from './learnerState.js';

export { LEARNER_DEFAULTS, type LearnerOptions, type LearnerOverrides } from './learnerOptions.js';
export type { ExtrasSources } from './micExtras.js';

export interface LearnStepResult extends StepResult {
  extrasFrom: ExtrasSources;
}

/**
 * The online learner (River style): `learnMany` applies one training step to a micro-batch,
 * `refreshIndex` publishes a fresh immutable IndexSnapshot, and recall reads the current snapshot.
 * It composes the rooms that do the work: EntityState (what is known of each id), the model and
 * its Trainer, MicExtras (snapshot-derived extras and the re-clustering schedule), the
 * U2IBlendProbe (test-then-train checks of the U2I blend) and the SnapshotBuilder.
 * learnMany calls must be serialised (the pipeline guarantees it). Deterministic for a seed,
 * backend and config: background clustering is applied at a fixed step lag.
 */
export class OnlineLearner {
  readonly options: LearnerOptions;
  readonly store: EmbeddingStore;
  readonly entities: EntityState;
  readonly model: TwoTowerModel;
  private readonly trainer: Trainer;
  private readonly rng: Rng;
  private readonly extras: MicExtras;
  /** What the next snapshot serves (U2I blend, generic list, popularity prior), chosen test-then-train. */
  readonly choices: ServingChoices;
  private readonly replay: EventReplay;
  /**
   * The learner's own test-then-train checks (its serving choices'): the driver runs them on each
   * batch before learnMany, so a caller that calls learnMany directly trains without them.
   */
  readonly probes: readonly TestThenTrainProbe[];
  /** Encodes users and items with the towers and builds the snapshots. */
  readonly snapshots: SnapshotBuilder;
  private trained = 0;
  private steps = 0;

  constructor(overrides: LearnerOverrides = {}, restored?: LearnerState) {
    const o = (this.options = resolveLearnerOptions(overrides));
    this.store = new EmbeddingStore({
      dim: o.embeddingDim,
      seed: o.seed,
      learningRate: o.sparseLearningRate,
      accumulatorDecay: o.sparseAccumulatorDecay,
    });
    const entityOptions = {
      historyLength: o.historyLength,
      logQHalfLifeEvents: o.logQHalfLifeEvents,
      popularityFeature: o.popularityFeature,
      seenItemsPerUser: o.seenItemsPerUser,
      cooccurrence: o.i2iCooccurrence === 'off' ? null : { window: o.i2iCooccurrenceWindow, keep: o.i2iCooccurrenceKeep },
      coconsumption: o.u2uCoconsumption === 'off' ? null : { window: o.u2uCoconsumptionWindow, usersPerItem: o.u2uCoconsumptionUsers },
    };
    this.entities = new EntityState(entityOptions, restored?.entities);
    this.model = new TwoTowerModel({
      embeddingDim: o.embeddingDim,
      hiddenDim: o.hiddenDim,
      outputDim: o.outputDim,
      seed: o.seed,
      tasks: o.mic.tasks,
      towerKind: o.towerKind,
    });
    this.trainer = new Trainer(this.model, this.store, { denseLearningRate: o.denseLearningRate });
    this.rng = new Rng(o.seed ^ 0x2545f491);
    this.replay = new EventReplay({ batchesPerStep: o.replayBatches, capacity: o.replayBufferEvents, seed: o.seed });
    this.choices = new ServingChoices(o, this.entities, () => this.snapshots);
    this.probes = this.choices.probes;
    this.snapshots = new SnapshotBuilder(o, this.model, this.store, this.entities.features);
    this.extras = new MicExtras(
      {
        seed: o.seed,
        outputDim: o.outputDim,
        mic: o.mic,
        sides: contrastiveSides(o.mic),
        searchEf: o.extrasSearchEf,
        worker: o.extrasWorker,
        hnsw: this.snapshots.hnswOptions,
      },
      this.entities.features,
    );
    this.snapshots.beforeSwap = (next) => this.extras.beforeSwap(next);
    if (!restored) return;
    const problem = restoreProblem(o, restored);
    if (problem) throw new RangeError(`cannot restore the learner state: ${problem}`);
    [this.trained, this.steps] = [restored.counters.trainedEvents, restored.counters.steps];
    this.rng.restore(restored.counters.rng);
    this.store.restore(restored.store);
    this.trainer.denseState.restore(restored.dense);
    this.replay.restore(restored.replay);
    this.choices.restore(restored.choices);
    this.extras.restore(restored.extras);
  }

  /**
   * A learner that continues exactly where `state` (from `captureState`) left off; its snapshot is
   * served again (indexes rebuilt from the saved vectors) before this resolves.
   */
  static async restore(overrides: LearnerOverrides, state: LearnerState): Promise<OnlineLearner> {
    const learner = new OnlineLearner(overrides, state);
    if (state.snapshot) await learner.snapshots.restore(state.snapshot);
    return learner;
  }

  /** Everything a restored learner needs (see LearnerState). Call between steps, never during one. */
  async captureState(): Promise<LearnerState> {
    const extras = await this.extras.toData();
    const snapshot = await this.snapshots.toData();
    return {
      format: LEARNER_STATE_FORMAT,
      shape: learnerShape(this.options),
      counters: { trainedEvents: this.trained, steps: this.steps, rng: this.rng.stateValue },
      store: this.store.toData(),
      dense: this.trainer.denseState.toData(),
      entities: this.entities.toData(),
      replay: this.replay.toData(),
      choices: this.choices.toData(),
      extras,
      snapshot,
    };
  }

  get trainedEvents(): number {
    return this.trained;
  }

  get stepCount(): number {
    return this.steps;
  }

  get snapshot(): IndexSnapshot | null {
    return this.snapshots.snapshot;
  }

  /** The latest applied clustering of a side (for metrics and tests). */
  clusterAssignment(side: 'user' | 'item'): ClusterAssignment | null {
    return this.extras.clusterAssignment(side);
  }

  /** Record attributes without learning (e.g. for held-back events): the entity becomes encodable. */
  observe(event: InteractionEvent): void {
    this.entities.observe(event);
  }

  /** One training step on a micro-batch of valid events. */
  async learnMany(events: readonly InteractionEvent[]): Promise<LearnStepResult> {
    if (events.length === 0) return { loss: 0, terms: {}, extrasFrom: { worker: 0, inline: 0 } };
    await this.extras.beforeStep(this.steps);
    const snap = this.snapshots.snapshot;
    const enc = this.snapshots.vectors;
    const latest = this.entities.beginBatch(events);
    this.store.setClock(latest);
    const batch = assembleBatch(events, this.entities, this.options, this.rng, this.steps);
    const extrasFrom = await this.extras.attach(batch, events, snap, enc);
    const result: LearnStepResult = { ...(await this.trainer.step(batch)), extrasFrom };
    this.trained += events.length;
    this.steps++;
    this.entities.commitBatch(events, this.steps);
    this.replay.add(events);
    const replayStep = (replayed: InteractionEvent[], r: number) =>
      this.trainer.step(assembleReplayBatch(replayed, this.entities, this.options, this.steps, r));
    Object.assign(result.terms, await this.store.unstamped(() => this.replay.train(events.length, replayStep)));
    if (this.options.idExpiryMs > 0 && this.steps % 100 === 0) this.expireIds(latest - this.options.idExpiryMs);
    this.extras.afterStep(this.steps, result.loss, this.snapshots.vectors);
    // Trending and the prior follow the stream step by step; the vectors wait for the next refresh.
    this.snapshots.patchServing(this.choices.servingLists());
    return result;
  }

  /** Start computing the snapshot extras of the batch `learnMany` gets next, in the extras worker (MicExtras.prefetch). */
  prefetch(events: readonly InteractionEvent[]): void {
    this.extras.prefetch(events, this.snapshots.snapshot, this.snapshots.vectors);
  }

  /** Worker-computed extras used, and requests that fell back to inline (stale versions, errors). */
  get extrasWorkerCounts(): { served: number; fellBack: number } {
    return this.extras.workerCounts;
  }

  /** Prepare to replay the stream from its start (offline epochs): histories restart empty, all else carries over. */
  startEpoch(): void {
    this.entities.features.clearHistories();
    this.entities.cooccurrence?.clearWindows();
  }

  /** Items the user interacted with in training (excluded from U2I recall). */
  seenItems(userId: string): ReadonlySet<string> {
    return this.entities.seenItems(userId);
  }

  /** The blend of the attribute-only user vector in the U2I queries of the next snapshot. */
  get u2iBlend(): number {
    return this.choices.blend.blend;
  }

  /** The auto blend's decayed hit rate per candidate and its checks so far (null unless 'auto'). */
  u2iBlendStats(): { candidates: readonly number[]; hitRates: number[]; checks: number } | null {
    return this.choices.blend.stats();
  }

  /** The generic lists' choices, first-time users' then returning users': the served list, each candidate's decayed hit rate, the checks. */
  genericListStats(): GenericListStats[] {
    return [this.choices.generic.stats(), this.choices.returningGeneric.stats()];
  }

  /** The I2I fusion: the served co-occurrence and generic weights, their checks' decayed hit rate per candidate, the table's pairs (null when off). */
  i2iFusionStats(): I2IFusionStats | null {
    const i2i = this.choices.i2i;
    const weight = i2i.weight;
    const table = this.entities.cooccurrence;
    return weight === null || !table
      ? null
      : { weight, ...i2i.stats(), pairs: table.pairCount, generic: { weight: i2i.genericWeight ?? 0, ...i2i.genericStats() } };
  }

  /** The U2U co-consumption fusion: the served weight, its checks' decayed hit rate per candidate, the table's users (null when off). */
  u2uFusionStats(): { weight: number; candidates: readonly number[]; hitRates: number[]; checks: number } | null {
    const weight = this.choices.u2u.weight;
    return weight === null || !this.entities.coconsumption ? null : { weight, ...this.choices.u2u.stats() };
  }

  /** Merged recall's fusion per user segment (served I2I / generic weights, checks, hit rates; null when fixed). */
  mergedFusionStats(): ReturnType<ServingChoices['merged']['stats']> | null {
    return this.options.mergedFusion === 'auto' ? this.choices.merged.stats() : null;
  }

  /** The popularity prior's evidence per user segment (served beta, decayed hit rate per candidate, checks). */
  popularityPriorStats(): ReturnType<ServingChoices['prior']['stats']> {
    return this.choices.prior.stats();
  }

  /** Encode every known user and item and publish a new snapshot (previous one stays valid for readers). */
  async refreshIndex(): Promise<IndexSnapshot> {
    return (await this.startRefresh()).ready;
  }

  /** Encode now (call it between steps) and build the indexes, inline or in a worker; `ready`: the snapshot is live (SnapshotBuilder). */
  async startRefresh(): Promise<{ ready: Promise<IndexSnapshot> }> {
    return this.snapshots.startRefresh(this.choices.refreshRequest(this.trained));
  }

  /** The vectors of the current snapshot and the seen items, for publishing to recall servers. */
  publishable(): IndexVectors | null {
    return this.snapshots.publishable(() => this.entities.seenByUser());
  }

  /** U2I from the current snapshot, excluding items seen in training. Null when the user is not indexed. */
  recallItemsForUser(userId: string, k: number): Neighbor[] | null {
    const snap = this.snapshots.snapshot;
    const v = snap && u2iQueryVector(snap, userId);
    if (!snap || !v) return null;
    return u2iRanking(snap, v, k, this.seenItems(userId));
  }

  async close(): Promise<void> {
    await Promise.all([this.extras.close(), this.snapshots.close()]);
    this.model.dispose();
  }

  /** Synchronous part of close (tests): frees the TF.js variables; worker threads are unref'd. */
  dispose(): void {
    this.extras.dispose();
    this.model.dispose();
  }

  /** Drop rows and per-entity state of ids unseen since `before` (stream time). @returns removed row count. */
  expireIds(before: number): number {
    const removed = this.store.expire(before);
    const users = new Set(removed.filter((k) => k.startsWith('u:')).map((k) => k.slice(2)));
    const items = new Set(removed.filter((k) => k.startsWith('i:')).map((k) => k.slice(2)));
    users.forEach((id) => [this.entities, this.choices].forEach((s) => s.forgetUser(id)));
    for (const id of items) this.entities.forgetItem(id);
    if (users.size + items.size > 0) this.replay.forget((e) => users.has(e.userId) || items.has(e.itemId));
    return removed.length;
  }
}
