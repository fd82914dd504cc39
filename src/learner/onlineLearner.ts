import type { InteractionEvent } from '../events/interactionEvent.js';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex, type HnswOptions } from '../index/hnswIndex.js';
import { BackgroundIndexBuilder } from '../index/backgroundIndexBuilder.js';
import type { AnnIndex, Neighbor } from '../index/annIndex.js';
import {
  itemFields,
  prepareBatch,
  userFields,
  type AccidentalHitMode,
  type ExtraVectors,
  type PreparedBatch,
} from '../model/batchBuilder.js';
import { EmbeddingStore } from '../model/embeddingStore.js';
import { FeatureState } from '../model/featureState.js';
import { DecayedFrequencyEstimator } from '../model/frequencyEstimator.js';
import { buildTowerInput } from '../model/towerInput.js';
import { encodeWithTower, Trainer, type StepResult } from '../model/trainer.js';
import { TwoTowerModel } from '../model/twoTowerModel.js';
import type { TowerKind } from '../model/towers.js';
import { ClusterService, type ClusterAssignment } from '../cluster/clusterService.js';
import { PageHinkley } from '../cluster/driftDetector.js';
import { Rng } from '../util/random.js';
import { rowIndex, u2iQueryVector, vectorTable, type IndexSnapshot } from './indexSnapshot.js';
import type { PublishableIndex } from '../publish/indexPublisher.js';
import { MIC_DEFAULTS, type MicOptions } from './micOptions.js';
import {
  batchAnchors,
  encodedSide,
  PoolCache,
  sideExtras,
  type EncodedSide,
  type PoolSpec,
  type SideExtras,
  type SideExtrasOptions,
} from './trainingExtras.js';
import { ExtrasPrefetcher } from './extrasPrefetcher.js';
import { blendUserVector, blendUserVectors, U2I_BLEND_CHECK_K, U2IBlendSelector, type U2IBlendMode } from './u2iBlend.js';

export interface LearnerOptions {
  seed: number;
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  historyLength: number;
  sparseLearningRate: number;
  /** 1 = Adagrad; < 1 = the per-row accumulator forgets (see EmbeddingStore). */
  sparseAccumulatorDecay: number;
  denseLearningRate: number;
  logQ: boolean;
  logQHalfLifeEvents: number;
  accidentalHits: AccidentalHitMode;
  /**
   * Give the item tower the item's current popularity (log2 bucket of the decayed frequency
   * estimate) as an attribute, so item vectors follow trends between id updates.
   */
  popularityFeature: boolean;
  /** Most recent interactions pooled into their own field group. */
  recentLength: number;
  /** Tower architecture (both sides). */
  towerKind: TowerKind;
  /** Expire ids (and attribute values) unused by training for this long in stream time; 0 = never. */
  idExpiryMs: number;
  mic: MicOptions;
  /** 'hnsw' for serving; 'exact' (brute force) for evaluation oracles and tiny catalogues. */
  indexKind: 'hnsw' | 'exact';
  hnsw: Omit<HnswOptions, 'dim' | 'initialCapacity'>;
  /** HNSW ef of the training-time kNN-positive lookups; 0 = the neighbours wanted. */
  extrasSearchEf: number;
  /** Build HNSW indexes in a worker thread (BackgroundIndexBuilder) instead of on the training thread. */
  backgroundIndexBuild: boolean;
  /**
   * Let `prefetch` compute the kNN positives and hard negatives of upcoming batches in a worker
   * thread (ExtrasPrefetcher) while the current step runs; false = always on the training thread.
   */
  extrasWorker: boolean;
  /**
   * The user vector U2I queries with: unit((1 - a) full + a attribute-only). 'auto' picks a from
   * U2I_BLEND_CANDIDATES by test-then-train checks on returning users' events (U2IBlendSelector);
   * a number fixes it (0 = the full vector). U2U always uses the full vector.
   */
  u2iUserBlend: U2IBlendMode;
  /** A user's event is a returning one (checked by 'auto') when the previous one is at least this old. */
  u2iBlendGapMs: number;
  /**
   * Check budget of 'auto': one returning event per this many trained events (each check costs one
   * index query per candidate), so the evidence per event does not depend on the batch size; 0 = none.
   */
  u2iBlendEventsPerCheck: number;
}

export const LEARNER_DEFAULTS: LearnerOptions = {
  seed: 42,
  embeddingDim: 32,
  hiddenDim: 128,
  outputDim: 32,
  historyLength: 20,
  sparseLearningRate: 0.1,
  sparseAccumulatorDecay: 1,
  denseLearningRate: 0.002,
  logQ: true,
  logQHalfLifeEvents: 2000,
  accidentalHits: 'ignore',
  popularityFeature: false,
  recentLength: 1,
  towerKind: 'dssm',
  idExpiryMs: 0,
  mic: MIC_DEFAULTS,
  indexKind: 'hnsw',
  hnsw: { m: 16, efConstruction: 100, efSearch: 100, seed: 100 },
  extrasSearchEf: 0,
  backgroundIndexBuild: false,
  extrasWorker: true,
  u2iUserBlend: 'auto',
  u2iBlendGapMs: 3_600_000,
  u2iBlendEventsPerCheck: 128,
};

export type LearnerOverrides = Partial<Omit<LearnerOptions, 'mic' | 'hnsw'>> & {
  mic?: Partial<Omit<MicOptions, 'tasks'>> & { tasks?: Partial<MicOptions['tasks']> };
  hnsw?: Partial<LearnerOptions['hnsw']>;
};

const ENCODE_CHUNK = 2048;

interface SideClusters {
  service: ClusterService;
  pending: { applyAtStep: number; done: Promise<void> } | null;
  assignment: ClusterAssignment | null;
  /** The applied assignment with the seed and size of its hard-negative pools. */
  spec: PoolSpec | null;
  pools: PoolCache;
}

/** Extras requested from the worker for a batch before its step, with the versions they assumed. */
interface Prefetched {
  snapshotVersion: number;
  clusterVersions: Record<'user' | 'item', number | null>;
  anchors: { userIds: string[]; itemIds: string[] };
  sides: Partial<Record<'user' | 'item', Promise<SideExtras | null>>>;
}

const MAX_PREFETCHED = 4;

/** Sides of a step whose snapshot extras came from the extras worker or were computed inline. */
export interface ExtrasSources {
  worker: number;
  inline: number;
}

export interface LearnStepResult extends StepResult {
  extrasFrom: ExtrasSources;
}

/**
 * The online learner (River style): `learnMany` applies one training step to a micro-batch,
 * `refreshIndex` publishes a fresh immutable IndexSnapshot, and recall reads the current snapshot.
 * learnMany calls must be serialised (the pipeline guarantees it). Deterministic for a seed,
 * backend and config: background clustering is applied at a fixed step lag.
 */
export class OnlineLearner {
  readonly options: LearnerOptions;
  readonly store: EmbeddingStore;
  readonly state: FeatureState;
  readonly model: TwoTowerModel;
  private readonly itemFrequency: DecayedFrequencyEstimator;
  private readonly userFrequency: DecayedFrequencyEstimator;
  private readonly trainer: Trainer;
  private readonly seen = new Map<string, Set<string>>();
  private readonly rng: Rng;
  private readonly drift = new PageHinkley();
  private readonly clusters: { user: SideClusters; item: SideClusters };
  private current: IndexSnapshot | null = null;
  private indexBuilder: BackgroundIndexBuilder | null = null;
  private encoded: { users: EncodedSide; items: EncodedSide; userAttributes: EncodedSide | null } | null = null;
  private readonly blendSelector: U2IBlendSelector | null;
  private blendCheckBudget = 0;
  private prefetcher: ExtrasPrefetcher | null = null;
  private publishing: Promise<unknown> = Promise.resolve();
  private readonly prefetched = new Map<readonly InteractionEvent[], Prefetched>();
  private trained = 0;
  private steps = 0;
  private driftFired = false;

  constructor(overrides: LearnerOverrides = {}) {
    const micBase = overrides.mic ?? {};
    const o: LearnerOptions = (this.options = {
      ...LEARNER_DEFAULTS,
      ...overrides,
      mic: { ...MIC_DEFAULTS, ...micBase, tasks: { ...MIC_DEFAULTS.tasks, ...micBase.tasks } } as MicOptions,
      hnsw: { ...LEARNER_DEFAULTS.hnsw, ...overrides.hnsw },
    } as LearnerOptions);
    this.store = new EmbeddingStore({
      dim: o.embeddingDim,
      seed: o.seed,
      learningRate: o.sparseLearningRate,
      accumulatorDecay: o.sparseAccumulatorDecay,
    });
    this.state = new FeatureState(o.historyLength);
    this.itemFrequency = new DecayedFrequencyEstimator(o.logQHalfLifeEvents);
    this.userFrequency = new DecayedFrequencyEstimator(o.logQHalfLifeEvents);
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
    if (o.popularityFeature) {
      this.state.dynamicItemAttributes = (itemId) => {
        const q = this.itemFrequency.probability(itemId);
        return [q > 0 ? `ia:~pop=${Math.min(24, Math.floor(-Math.log2(q)))}` : 'ia:~pop=none'];
      };
    }
    if (o.u2iUserBlend !== 'auto' && !(o.u2iUserBlend >= 0 && o.u2iUserBlend <= 1))
      throw new RangeError(`u2iUserBlend must be 'auto' or in [0, 1], got ${o.u2iUserBlend}`);
    this.blendSelector = o.u2iUserBlend === 'auto' ? new U2IBlendSelector({ gapMs: o.u2iBlendGapMs }) : null;
    const side = (salt: number): SideClusters => ({
      service: new ClusterService(o.seed + salt),
      pending: null,
      assignment: null,
      spec: null,
      pools: new PoolCache(),
    });
    this.clusters = { user: side(1), item: side(2) };
  }

  get trainedEvents(): number {
    return this.trained;
  }

  get stepCount(): number {
    return this.steps;
  }

  get snapshot(): IndexSnapshot | null {
    return this.current;
  }

  /** The latest applied clustering of a side (for metrics and tests). */
  clusterAssignment(side: 'user' | 'item'): ClusterAssignment | null {
    return this.clusters[side].assignment;
  }

  /** Record attributes without learning (e.g. for held-back events): the entity becomes encodable. */
  observe(event: InteractionEvent): void {
    this.state.observeAttributes(event);
  }

  /** One training step on a micro-batch of valid events. */
  async learnMany(events: readonly InteractionEvent[]): Promise<LearnStepResult> {
    const pre = this.prefetched.get(events);
    if (pre) this.prefetched.delete(events);
    if (events.length === 0) return { loss: 0, terms: {}, extrasFrom: { worker: 0, inline: 0 } };
    const mic = this.options.mic;
    await this.applyPendingClusters();
    this.checkU2IBlend(events);
    for (const e of events) this.state.observeAttributes(e);
    let latest = 0;
    for (const e of events) if (e.timestamp > latest) latest = e.timestamp;
    this.store.setClock(latest);
    this.itemFrequency.observe(events.map((e) => e.itemId));
    this.userFrequency.observe(events.map((e) => e.userId));
    const contrastive = this.contrastiveSides();
    const contrastiveUsers = contrastive.includes('user');
    const contrastiveItems = contrastive.includes('item');
    const batch = prepareBatch(
      events,
      this.state,
      this.itemFrequency,
      {
        accidentalHits: this.options.accidentalHits,
        logQ: this.options.logQ,
        userEstimator: this.userFrequency,
        views:
          contrastiveUsers || contrastiveItems
            ? { user: contrastiveUsers ? mic.userMasking : null, item: contrastiveItems ? mic.itemMasking : null, rng: this.rng }
            : undefined,
        bceNegatives: mic.tasks.bceWeight > 0 ? this.rng : undefined,
        nextItemPairs: mic.tasks.nextItemWeight > 0,
        recentLength: this.options.recentLength,
        coldDropout:
          mic.userColdDropout > 0 || mic.itemColdDropout > 0
            ? { user: mic.userColdDropout, item: mic.itemColdDropout, rng: this.rng }
            : undefined,
      },
      this.options.seed * 100003 + this.steps,
    );
    const extrasFrom = await this.attachExtras(batch, events, pre);
    const result: LearnStepResult = { ...(await this.trainer.step(batch)), extrasFrom };
    for (const e of events) {
      this.state.appendInteraction(e);
      let s = this.seen.get(e.userId);
      if (!s) this.seen.set(e.userId, (s = new Set()));
      s.add(e.itemId);
    }
    this.trained += events.length;
    this.steps++;
    if (this.steps % 1000 === 0) {
      this.itemFrequency.prune();
      this.userFrequency.prune();
    }
    if (this.options.idExpiryMs > 0 && this.steps % 100 === 0) this.expireIds(latest - this.options.idExpiryMs);
    if (this.drift.update(result.loss)) this.driftFired = true;
    this.maybeRecluster();
    return result;
  }

  /**
   * Prepare to replay the stream from its start (offline multi-epoch training): interaction
   * histories restart empty and are rebuilt by the replay; rows, weights, optimizer state,
   * frequency estimates and the seen items carry over.
   */
  startEpoch(): void {
    this.state.clearHistories();
  }

  /** Items the user interacted with in training (excluded from U2I recall). */
  seenItems(userId: string): ReadonlySet<string> {
    return this.seen.get(userId) ?? EMPTY;
  }

  async encodeUsers(ids: readonly string[], attributesOnly = false): Promise<Float32Array> {
    const fields = (id: string) =>
      attributesOnly ? { id: null, attributes: this.state.userAttributeKeys(id), history: [] } : userFields(id, this.state, true);
    return this.encodeChunked(ids, (chunk) => (rows) => buildTowerInput(chunk.map(fields), rows, this.options.recentLength), 'user');
  }

  /** The blend of the attribute-only user vector in the U2I queries of the next snapshot. */
  get u2iBlend(): number {
    const mode = this.options.u2iUserBlend;
    return mode === 'auto' ? this.blendSelector!.choice() : mode;
  }

  /** The auto blend's decayed hit rate per candidate and its checks so far (null unless 'auto'). */
  u2iBlendStats(): { candidates: readonly number[]; hitRates: number[]; checks: number } | null {
    const s = this.blendSelector;
    return s ? { candidates: s.options.candidates, hitRates: s.rates(), checks: s.checks } : null;
  }

  async encodeItems(ids: readonly string[]): Promise<Float32Array> {
    return this.encodeChunked(
      ids,
      (chunk) => (rows) =>
        buildTowerInput(
          chunk.map((id) => itemFields(id, this.state, true)),
          rows,
          this.options.recentLength,
        ),
      'item',
    );
  }

  /** Encode every known user and item and publish a new snapshot (previous one stays valid for readers). */
  async refreshIndex(): Promise<IndexSnapshot> {
    return (await this.startRefresh()).ready;
  }

  /**
   * Encode every known user and item now (TF.js, on this thread: call it between steps), and build
   * the indexes: inline, or with `backgroundIndexBuild` in a worker while training goes on. `ready`
   * resolves when the new snapshot has replaced the previous one (indexes and the vectors that kNN
   * positives / hard negatives read are swapped together).
   */
  async startRefresh(): Promise<{ ready: Promise<IndexSnapshot> }> {
    const userIds = [...this.state.knownUsers()];
    const itemIds = [...this.state.knownItems()];
    const userVectors = await this.encodeUsers(userIds);
    const itemVectors = await this.encodeItems(itemIds);
    const blend = this.u2iBlend;
    // The auto selector checks every candidate, so it needs the attribute-only vectors even at 0.
    const checking = this.blendSelector !== null && this.options.u2iBlendEventsPerCheck > 0;
    const attributeVectors = checking || blend > 0 ? await this.encodeUsers(userIds, true) : null;
    const u2i = { blend, attributeVectors };
    const trainedEvents = this.trained;
    // Publishes run one at a time, in request order (the worker sync below awaits).
    const publish = (users: AnnIndex, items: AnnIndex): Promise<IndexSnapshot> => {
      const done = this.publishing.then(() => this.publish(users, items, userIds, userVectors, itemIds, itemVectors, trainedEvents, u2i));
      this.publishing = done.catch(() => undefined);
      return done;
    };

    if (this.options.backgroundIndexBuild && this.options.indexKind === 'hnsw') {
      const builder = (this.indexBuilder ??= new BackgroundIndexBuilder());
      const options = this.hnswOptions();
      const ready = Promise.all([builder.build(userIds, userVectors, options), builder.build(itemIds, itemVectors, options)]).then(
        ([users, items]) => publish(users, items),
      );
      return { ready };
    }
    const users = this.newIndex(userIds.length);
    const items = this.newIndex(itemIds.length);
    if (userIds.length > 0) users.add(userIds, userVectors);
    if (itemIds.length > 0) items.add(itemIds, itemVectors);
    // Inline builds keep their contract: the snapshot is live when startRefresh resolves.
    const snapshot = await publish(users, items);
    return { ready: Promise.resolve(snapshot) };
  }

  private async publish(
    users: AnnIndex,
    items: AnnIndex,
    userIds: string[],
    userVectors: Float32Array,
    itemIds: string[],
    itemVectors: Float32Array,
    trainedEvents: number,
    u2i: { blend: number; attributeVectors: Float32Array | null },
  ): Promise<IndexSnapshot> {
    const version = (this.current?.version ?? 0) + 1;
    // Once the extras worker is in use it gets each snapshot before training sees it.
    const prefetcher = this.prefetcher;
    if (prefetcher) {
      const hnsw = this.hnswOptions();
      await Promise.all(
        this.contrastiveSides().map((side) =>
          side === 'user'
            ? prefetcher.syncSnapshot('user', version, userIds, userVectors, this.options.outputDim, users, hnsw)
            : prefetcher.syncSnapshot('item', version, itemIds, itemVectors, this.options.outputDim, items, hnsw),
        ),
      );
    }
    // The user tables (full, attribute-only, U2I queries) share one id -> row map.
    const userRows = rowIndex(userIds);
    const userAttributes = u2i.attributeVectors ? encodedSide(userIds, u2i.attributeVectors, userRows) : null;
    this.encoded = { users: encodedSide(userIds, userVectors, userRows), items: encodedSide(itemIds, itemVectors), userAttributes };
    const u2iQueries =
      u2i.blend > 0 && u2i.attributeVectors
        ? vectorTable(userIds, blendUserVectors(userVectors, u2i.attributeVectors, u2i.blend, this.options.outputDim), userRows)
        : null;
    this.current = { version, createdAt: Date.now(), trainedEvents, users, items, u2iBlend: u2i.blend, u2iQueries };
    return this.current;
  }

  /** The vectors of the current snapshot and the seen items, for publishing to recall servers. */
  publishable(): PublishableIndex | null {
    const snap = this.current;
    const enc = this.encoded;
    if (!snap || !enc) return null;
    const seen: Record<string, string[]> = {};
    for (const [user, items] of this.seen) seen[user] = [...items];
    const u2iQueries = snap.u2iQueries ? { ids: snap.u2iQueries.ids, vectors: snap.u2iQueries.vectors } : undefined;
    return {
      version: snap.createdAt,
      trainedEvents: snap.trainedEvents,
      dim: this.options.outputDim,
      users: { ids: enc.users.ids, vectors: enc.users.vectors },
      items: { ids: enc.items.ids, vectors: enc.items.vectors },
      seen,
      u2iQueries,
    };
  }

  /** U2I from the current snapshot, excluding items seen in training. Null when the user is not indexed. */
  recallItemsForUser(userId: string, k: number): Neighbor[] | null {
    const snap = this.current;
    const v = snap && u2iQueryVector(snap, userId);
    if (!snap || !v) return null;
    return snap.items.query(v, k, this.seenItems(userId));
  }

  async close(): Promise<void> {
    await Promise.all([
      this.clusters.user.service.close(),
      this.clusters.item.service.close(),
      this.indexBuilder?.close(),
      this.prefetcher?.close(),
    ]);
    this.prefetched.clear();
    this.model.dispose();
  }

  /** Synchronous part of close (tests): frees the TF.js variables; worker threads are unref'd. */
  dispose(): void {
    void this.clusters.user.service.close();
    void this.clusters.item.service.close();
    void this.prefetcher?.close();
    this.model.dispose();
  }

  /** Drop rows and per-entity state of ids unseen since `before` (stream time). @returns removed row count. */
  expireIds(before: number): number {
    const removed = this.store.expire(before);
    for (const key of removed) {
      if (key.startsWith('u:')) {
        const id = key.slice(2);
        this.state.forgetUser(id);
        this.seen.delete(id);
        this.blendSelector?.forgetUser(id);
      } else if (key.startsWith('i:')) this.state.forgetItem(key.slice(2));
    }
    return removed.length;
  }

  /**
   * Test-then-train checks of the U2I blend: for the first events of the batch (within the budget)
   * whose user returns after a pause, was the item in the top-K of the live snapshot under each candidate
   * blend? Runs before the batch is learned, so the snapshot has not seen these events.
   */
  private checkU2IBlend(events: readonly InteractionEvent[]): void {
    const selector = this.blendSelector;
    if (!selector) return;
    const snap = this.current;
    const enc = this.encoded;
    const perCheck = this.options.u2iBlendEventsPerCheck;
    // Whole checks this batch may spend; the fraction carries to the next batch, unspent checks do not.
    this.blendCheckBudget += perCheck > 0 ? events.length / perCheck : 0;
    const allowed = Math.floor(this.blendCheckBudget);
    this.blendCheckBudget -= allowed;
    let checks = 0;
    for (const e of events) {
      const returning = selector.noteEvent(e.userId, e.timestamp);
      if (!returning || !snap || !enc?.userAttributes || checks >= allowed) continue;
      const full = enc.users.vector(e.userId);
      const attributes = enc.userAttributes.vector(e.userId);
      if (!full || !attributes) continue;
      checks++;
      const seen = this.seenItems(e.userId);
      const query = new Float32Array(full.length);
      selector.record(
        selector.options.candidates.map((alpha) =>
          snap.items
            .query(blendUserVector(full, attributes, alpha, query), U2I_BLEND_CHECK_K, seen, { ef: U2I_BLEND_CHECK_K })
            .some((n) => n.id === e.itemId),
        ),
      );
    }
  }

  private maybeRecluster(): void {
    const mic = this.options.mic;
    if (mic.hardNegatives === 0 || !this.encoded) return;
    const due = this.steps % mic.reclusterEverySteps === 0 || this.driftFired;
    if (!due) return;
    this.driftFired = false;
    for (const side of ['user', 'item'] as const) {
      const c = this.clusters[side];
      if (c.pending) continue;
      const { ids, vectors } = this.encoded[side === 'user' ? 'users' : 'items'];

      if (ids.length < 2) continue;
      const done = c.service.request(ids, vectors.slice(), this.options.outputDim, mic.clusters, this.steps);
      if (done) c.pending = { applyAtStep: this.steps + mic.reclusterLagSteps, done };
    }
  }

  private async applyPendingClusters(): Promise<void> {
    for (const side of ['user', 'item'] as const) {
      const c = this.clusters[side];
      // Applied at a fixed step, waiting if the worker is late, so that runs are reproducible.
      if (c.pending && this.steps >= c.pending.applyAtStep) {
        await c.pending.done;
        c.pending = null;
        c.assignment = c.service.current;
        const a = c.assignment;
        // The pool seed follows the clustering, so runs stay reproducible.
        c.spec = a
          ? {
              version: a.version,
              clusterOf: a.clusterOf,
              k: a.k,
              sample: this.options.mic.hardNegativeSample,
              seed: this.options.seed * 1000003 + a.version * 31 + (side === 'user' ? 1 : 2),
            }
          : null;
      }
    }
  }

  /**
   * kNN positives, cluster hard negatives and co-occurrence positives from the current snapshot:
   * the snapshot extras from the worker when it computed them for this batch under the snapshot and
   * clusterings that are current now, else inline (same functions, same results).
   */
  private async attachExtras(
    batch: PreparedBatch,
    events: readonly InteractionEvent[],
    pre: Prefetched | undefined,
  ): Promise<ExtrasSources> {
    const from: ExtrasSources = { worker: 0, inline: 0 };
    const mic = this.options.mic;
    const snap = this.current;
    const enc = this.encoded;
    if (!snap || !enc) return from;
    const dim = this.options.outputDim;
    const usable =
      pre !== undefined &&
      pre.snapshotVersion === snap.version &&
      sameIds(pre.anchors.userIds, batch.userIds) &&
      sameIds(pre.anchors.itemIds, batch.itemIds);
    for (const side of this.contrastiveSides()) {
      const ids = side === 'user' ? batch.userIds : batch.itemIds;
      const vectors = side === 'user' ? enc.users : enc.items;
      const c = this.clusters[side];
      const fromWorker = usable && pre.clusterVersions[side] === (c.spec?.version ?? null) ? await pre.sides[side] : undefined;
      from[fromWorker ? 'worker' : 'inline']++;
      const extras =
        fromWorker ??
        sideExtras(
          ids,
          side === 'user' ? snap.users : snap.items,
          vectors,
          dim,
          c.spec && mic.hardNegatives > 0 ? c.pools.pools(c.spec, vectors, dim) : null,
          this.extrasOptions(),
        );
      let positives = extras.positives;
      if (side === 'item' && mic.coOccurrencePositives > 0)
        positives = concatExtras(positives, this.coOccurrenceExtras(batch, events, enc.items, dim));
      if (positives) batch[side === 'user' ? 'userExtraPositives' : 'itemExtraPositives'] = positives;
      if (extras.negatives) batch[side === 'user' ? 'userExtraNegatives' : 'itemExtraNegatives'] = extras.negatives;
    }
    return from;
  }

  /** The sides with a contrastive (U2U / I2I) task: only they use views and snapshot extras. */
  private contrastiveSides(): ('user' | 'item')[] {
    const tasks = this.options.mic.tasks;
    return (['user', 'item'] as const).filter((side) => (side === 'user' ? tasks.u2uWeight : tasks.i2iWeight) > 0);
  }

  private extrasOptions(): SideExtrasOptions {
    const mic = this.options.mic;
    return {
      knnPositives: mic.knnPositives,
      searchEf: this.options.extrasSearchEf,
      hardNegatives: mic.hardNegatives,
      hardNegativeClusters: mic.hardNegativeClusters,
    };
  }

  /**
   * Start computing the snapshot extras (kNN positives, cluster hard negatives) of a batch that
   * `learnMany` will be given later, in a worker thread: call it with the next batch before
   * awaiting the current step, and pass the same array to `learnMany`. A no-op unless the extras
   * worker is enabled and MIC's extras are on; results computed under a snapshot or clustering
   * that is no longer current by then are dropped and recomputed inline.
   */
  prefetch(events: readonly InteractionEvent[]): void {
    const mic = this.options.mic;
    const snap = this.current;
    const enc = this.encoded;
    if (!this.options.extrasWorker || !snap || !enc || events.length === 0 || this.prefetched.has(events)) return;
    if (mic.knnPositives <= 0 && mic.hardNegatives <= 0) return;
    const prefetcher = (this.prefetcher ??= new ExtrasPrefetcher());
    if (!prefetcher.usable) return;
    const anchors = batchAnchors(events);
    const clusterVersions = { user: this.clusters.user.spec?.version ?? null, item: this.clusters.item.spec?.version ?? null };
    const sides: Prefetched['sides'] = {};
    for (const side of this.contrastiveSides()) {
      const vectors = side === 'user' ? enc.users : enc.items;
      void prefetcher.syncSnapshot(
        side,
        snap.version,
        vectors.ids,
        vectors.vectors,
        this.options.outputDim,
        side === 'user' ? snap.users : snap.items,
        this.hnswOptions(),
        true,
      );
      const spec = this.clusters[side].spec;
      if (spec) prefetcher.syncClusters(side, spec);
      if (!prefetcher.holds(side, snap.version)) continue;
      sides[side] = prefetcher.request(
        side,
        side === 'user' ? anchors.userIds : anchors.itemIds,
        snap.version,
        clusterVersions[side],
        this.extrasOptions(),
      );
    }
    if (Object.keys(sides).length === 0) return;
    // Batches prefetched but never trained (a caller that changed its mind) must not pile up.
    if (this.prefetched.size >= MAX_PREFETCHED) this.prefetched.delete(this.prefetched.keys().next().value!);
    this.prefetched.set(events, { snapshotVersion: snap.version, clusterVersions, anchors, sides });
  }

  /** Worker-computed extras used, and requests that fell back to inline (stale versions, errors). */
  get extrasWorkerCounts(): { served: number; fellBack: number } {
    return this.prefetcher ? { ...this.prefetcher.counts } : { served: 0, fellBack: 0 };
  }

  /** The event user's most recent previous items (before this batch) as positives of the event's item. */
  private coOccurrenceExtras(batch: PreparedBatch, events: readonly InteractionEvent[], items: EncodedSide, dim: number): ExtraVectors {
    const c = this.options.mic.coOccurrencePositives;
    const out: ExtraVectors = {
      perAnchor: c,
      dim,
      data: new Float32Array(batch.itemIds.length * c * dim),
      mask: new Float32Array(batch.itemIds.length * c),
    };
    const filled = new Set<number>();
    events.forEach((e, n) => {
      const anchor = batch.eventItem[n]!;
      if (filled.has(anchor)) return;
      filled.add(anchor);
      const history = this.state.userHistoryKeys(e.userId);
      let slot = 0;
      for (let h = history.length - 1; h >= 0 && slot < c; h--) {
        const itemId = history[h]!.slice(2);
        if (itemId === e.itemId) continue;
        const v = items.vector(itemId);
        if (!v) continue;

        out.data.set(v, (anchor * c + slot) * dim);
        out.mask[anchor * c + slot] = 1;
        slot++;
      }
    });
    return out;
  }

  private hnswOptions(): Omit<HnswOptions, 'initialCapacity'> {
    return { dim: this.options.outputDim, ...this.options.hnsw };
  }

  private newIndex(expected: number): AnnIndex {
    if (this.options.indexKind === 'exact') return new BruteForceIndex(this.options.outputDim, expected);
    return new HnswIndex({ ...this.hnswOptions(), initialCapacity: Math.max(16, expected) });
  }

  private async encodeChunked(
    ids: readonly string[],
    builder: (chunk: readonly string[]) => Parameters<typeof encodeWithTower>[2],
    side: 'user' | 'item',
  ): Promise<Float32Array> {
    const dim = this.options.outputDim;
    const out = new Float32Array(ids.length * dim);
    const tower = side === 'user' ? this.model.userTower : this.model.itemTower;
    for (let start = 0; start < ids.length; start += ENCODE_CHUNK) {
      const chunk = ids.slice(start, start + ENCODE_CHUNK);
      out.set(await encodeWithTower(tower, this.store, builder(chunk)), start * dim);
    }
    return out;
  }
}

function concatExtras(a: ExtraVectors | null, b: ExtraVectors | null): ExtraVectors | null {
  if (!a) return b;
  if (!b) return a;
  const n = a.mask.length / a.perAnchor;
  const per = a.perAnchor + b.perAnchor;
  const out: ExtraVectors = { perAnchor: per, dim: a.dim, data: new Float32Array(n * per * a.dim), mask: new Float32Array(n * per) };
  for (let i = 0; i < n; i++) {
    out.data.set(a.data.subarray(i * a.perAnchor * a.dim, (i + 1) * a.perAnchor * a.dim), i * per * a.dim);
    out.data.set(b.data.subarray(i * b.perAnchor * b.dim, (i + 1) * b.perAnchor * b.dim), (i * per + a.perAnchor) * a.dim);
    out.mask.set(a.mask.subarray(i * a.perAnchor, (i + 1) * a.perAnchor), i * per);
    out.mask.set(b.mask.subarray(i * b.perAnchor, (i + 1) * b.perAnchor), i * per + a.perAnchor);
  }
  return out;
}

const EMPTY: ReadonlySet<string> = new Set();

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
