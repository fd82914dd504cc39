import {
  assignmentFromData,
  assignmentToData,
  ClusterService,
  type ClusterAssignment,
  type ClusterAssignmentData,
  type ClusterServiceData,
} from '../cluster/clusterService.js';
import { PageHinkley, type PageHinkleyData } from '../cluster/driftDetector.js';
import type { InteractionEvent } from '../events/interactionEvent.js';
import type { HnswOptions } from '../index/hnswIndex.js';
import type { IndexSnapshot } from '../index/indexSnapshot.js';
import type { ExtraVectors, PreparedBatch } from '../model/batchBuilder.js';
import type { FeatureState } from '../model/featureState.js';
import { ExtrasPrefetcher } from './extrasPrefetcher.js';
import type { MicOptions } from './micOptions.js';
import type { EncodedSnapshot, PendingSnapshot } from './snapshotBuilder.js';
import {
  batchAnchors,
  PoolCache,
  sideExtras,
  type EncodedSide,
  type PoolSpec,
  type SideExtras,
  type SideExtrasOptions,
} from './trainingExtras.js';

export interface MicExtrasOptions {
  seed: number;
  outputDim: number;
  mic: MicOptions;
  /** The sides with a contrastive task (only they get extras). */
  sides: readonly ('user' | 'item')[];
  /** HNSW ef of the kNN-positive lookups; 0 = the neighbours wanted. */
  searchEf: number;
  /** Compute the next batch's extras in a worker thread (ExtrasPrefetcher). */
  worker: boolean;
  hnsw: Omit<HnswOptions, 'initialCapacity'>;
}

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

export interface MicExtrasData {
  drift: PageHinkleyData;
  driftFired: boolean;
  user: { applied: ClusterAssignmentData | null; service: ClusterServiceData; pendingApplyAt: number | null };
  item: { applied: ClusterAssignmentData | null; service: ClusterServiceData; pendingApplyAt: number | null };
}

/** Sides of a step whose snapshot extras came from the extras worker or were computed inline. */
export interface ExtrasSources {
  worker: number;
  inline: number;
}

/**
 * MIC's snapshot-derived training extras of the U2U / I2I tasks: kNN positives, cluster hard
 * negatives (the re-clustering schedule: every `reclusterEverySteps` or when the loss drifts,
 * applied at a fixed step lag so runs reproduce) and co-occurrence positives; computed inline, or
 * one batch ahead in the extras worker (`prefetch`) with identical results.
 */
export class MicExtras {
  private readonly clusters: { user: SideClusters; item: SideClusters };
  private readonly drift = new PageHinkley();
  private driftFired = false;
  private prefetcher: ExtrasPrefetcher | null = null;
  private readonly prefetched = new Map<readonly InteractionEvent[], Prefetched>();

  constructor(
    private readonly options: MicExtrasOptions,
    private readonly features: FeatureState,
  ) {
    const side = (salt: number): SideClusters => ({
      service: new ClusterService(options.seed + salt),
      pending: null,
      assignment: null,
      spec: null,
      pools: new PoolCache(),
    });
    this.clusters = { user: side(1), item: side(2) };
  }

  /** The latest applied clustering of a side (for metrics and tests). */
  clusterAssignment(side: 'user' | 'item'): ClusterAssignment | null {
    return this.clusters[side].assignment;
  }

  /** Worker-computed extras used, and requests that fell back to inline (stale versions, errors). */
  get workerCounts(): { served: number; fellBack: number } {
    return this.prefetcher ? { ...this.prefetcher.counts } : { served: 0, fellBack: 0 };
  }

  /** Apply a clustering whose step has come, waiting for its worker if it is late (reproducible runs). */
  async beforeStep(step: number): Promise<void> {
    for (const side of ['user', 'item'] as const) {
      const c = this.clusters[side];
      if (c.pending && step >= c.pending.applyAtStep) {
        await c.pending.done;
        c.pending = null;
        this.apply(side, c.service.current);
      }
    }
  }

  private apply(side: 'user' | 'item', a: ClusterAssignment | null): void {
    const c = this.clusters[side];
    c.assignment = a;
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

  /**
   * Checkpoint state: the drift detector and, per side, the applied clustering, the service's
   * latest and the step a pending one applies at (a clustering still running is awaited first).
   */
  async toData(): Promise<MicExtrasData> {
    const side = async (s: 'user' | 'item'): Promise<MicExtrasData['user']> => {
      const c = this.clusters[s];
      await c.pending?.done;
      return {
        applied: c.assignment && assignmentToData(c.assignment),
        service: c.service.toData(),
        pendingApplyAt: c.pending?.applyAtStep ?? null,
      };
    };
    return { drift: this.drift.toData(), driftFired: this.driftFired, user: await side('user'), item: await side('item') };
  }

  restore(data: MicExtrasData): void {
    this.drift.restore(data.drift);
    this.driftFired = data.driftFired;
    for (const s of ['user', 'item'] as const) {
      const c = this.clusters[s];
      c.service.restore(data[s].service);
      this.apply(s, data[s].applied && assignmentFromData(data[s].applied));
      const at = data[s].pendingApplyAt;
      c.pending = at === null ? null : { applyAtStep: at, done: Promise.resolve() };
    }
  }

  /**
   * Attach kNN positives, cluster hard negatives and co-occurrence positives from the live snapshot
   * to the batch: the worker's when it computed them for this batch under the snapshot and
   * clusterings that are current now, else inline (same functions, same results).
   */
  async attach(
    batch: PreparedBatch,
    events: readonly InteractionEvent[],
    snap: IndexSnapshot | null,
    enc: EncodedSnapshot | null,
  ): Promise<ExtrasSources> {
    const pre = this.prefetched.get(events);
    if (pre) this.prefetched.delete(events);
    const from: ExtrasSources = { worker: 0, inline: 0 };
    const mic = this.options.mic;
    if (!snap || !enc) return from;
    const dim = this.options.outputDim;
    const usable =
      pre !== undefined &&
      pre.snapshotVersion === snap.version &&
      sameIds(pre.anchors.userIds, batch.userIds) &&
      sameIds(pre.anchors.itemIds, batch.itemIds);
    for (const side of this.options.sides) {
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
          this.sideOptions(),
        );
      let positives = extras.positives;
      if (side === 'item' && mic.coOccurrencePositives > 0)
        positives = concatExtras(positives, this.coOccurrenceExtras(batch, events, enc.items, dim));
      if (positives) batch[side === 'user' ? 'userExtraPositives' : 'itemExtraPositives'] = positives;
      if (extras.negatives) batch[side === 'user' ? 'userExtraNegatives' : 'itemExtraNegatives'] = extras.negatives;
    }
    return from;
  }

  /** After a step: feed the loss to the drift detector and request a re-clustering when one is due. */
  afterStep(step: number, loss: number, enc: EncodedSnapshot | null): void {
    if (this.drift.update(loss)) this.driftFired = true;
    const mic = this.options.mic;
    if (mic.hardNegatives === 0 || !enc) return;
    const due = step % mic.reclusterEverySteps === 0 || this.driftFired;
    if (!due) return;
    this.driftFired = false;
    for (const side of ['user', 'item'] as const) {
      const c = this.clusters[side];
      if (c.pending) continue;
      const { ids, vectors } = enc[side === 'user' ? 'users' : 'items'];
      if (ids.length < 2) continue;
      const done = c.service.request(ids, vectors.slice(), this.options.outputDim, mic.clusters, step);
      if (done) c.pending = { applyAtStep: step + mic.reclusterLagSteps, done };
    }
  }

  /**
   * Start computing the extras of a batch that a later step will get (the same array) in the worker.
   * A no-op unless the worker is enabled and MIC's extras are on.
   */
  prefetch(events: readonly InteractionEvent[], snap: IndexSnapshot | null, enc: EncodedSnapshot | null): void {
    const mic = this.options.mic;
    if (!this.options.worker || !snap || !enc || events.length === 0 || this.prefetched.has(events)) return;
    if (mic.knnPositives <= 0 && mic.hardNegatives <= 0) return;
    const prefetcher = (this.prefetcher ??= new ExtrasPrefetcher());
    if (!prefetcher.usable) return;
    const anchors = batchAnchors(events);
    const clusterVersions = { user: this.clusters.user.spec?.version ?? null, item: this.clusters.item.spec?.version ?? null };
    const sides: Prefetched['sides'] = {};
    for (const side of this.options.sides) {
      const vectors = side === 'user' ? enc.users : enc.items;
      void prefetcher.syncSnapshot(
        side,
        snap.version,
        vectors.ids,
        vectors.vectors,
        this.options.outputDim,
        side === 'user' ? snap.users : snap.items,
        this.options.hnsw,
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
        this.sideOptions(),
      );
    }
    if (Object.keys(sides).length === 0) return;
    // Batches prefetched but never trained (a caller that changed its mind) must not pile up.
    if (this.prefetched.size >= MAX_PREFETCHED) this.prefetched.delete(this.prefetched.keys().next().value!);
    this.prefetched.set(events, { snapshotVersion: snap.version, clusterVersions, anchors, sides });
  }

  /** Once the extras worker is in use it gets each snapshot before training sees it (SnapshotBuilder.beforeSwap). */
  async beforeSwap(next: PendingSnapshot): Promise<void> {
    const prefetcher = this.prefetcher;
    if (!prefetcher) return;
    const dim = this.options.outputDim;
    await Promise.all(
      this.options.sides.map((side) =>
        side === 'user'
          ? prefetcher.syncSnapshot('user', next.version, next.userIds, next.userVectors, dim, next.users, this.options.hnsw)
          : prefetcher.syncSnapshot('item', next.version, next.itemIds, next.itemVectors, dim, next.items, this.options.hnsw),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.clusters.user.service.close(), this.clusters.item.service.close(), this.prefetcher?.close()]);
    this.prefetched.clear();
  }

  /** Synchronous part of close (tests): worker threads are unref'd. */
  dispose(): void {
    void this.clusters.user.service.close();
    void this.clusters.item.service.close();
    void this.prefetcher?.close();
  }

  private sideOptions(): SideExtrasOptions {
    const mic = this.options.mic;
    return {
      knnPositives: mic.knnPositives,
      searchEf: this.options.searchEf,
      hardNegatives: mic.hardNegatives,
      hardNegativeClusters: mic.hardNegativeClusters,
    };
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
      const history = this.features.userHistoryKeys(e.userId);
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

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
