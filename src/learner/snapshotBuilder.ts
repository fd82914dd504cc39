import type { AnnIndex } from '../index/annIndex.js';
import { BackgroundIndexBuilder } from '../index/backgroundIndexBuilder.js';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex, type HnswOptions } from '../index/hnswIndex.js';
import { rowIndex, vectorTable, type IndexSnapshot } from '../index/indexSnapshot.js';
import { genericToData, type GenericItems } from '../index/genericItems.js';
import type { IndexVectors } from '../index/indexVectors.js';
import { cooccurrenceFromData, cooccurrenceToData, type CooccurrenceData, type CooccurrenceNeighbours } from '../index/itemNeighbours.js';
import { coconsumptionFromData, coconsumptionToData, type CoconsumptionData, type CoconsumptionSource } from '../index/userNeighbours.js';
import { priorFromData, priorToData, type PopularityPrior, type PopularityPriorData } from '../index/popularityPrior.js';
import { itemFields, userFields } from '../model/batchBuilder.js';
import type { EmbeddingStore } from '../model/embeddingStore.js';
import type { FeatureState } from '../model/featureState.js';
import { buildTowerInput } from '../model/towerInput.js';
import { encodeWithTower } from '../model/trainer.js';
import type { TwoTowerModel } from '../model/twoTowerModel.js';
import { encodedSide, type EncodedSide } from './trainingExtras.js';
import { blendUserVectors } from './u2iBlend.js';

const ENCODE_CHUNK = 2048;

export interface SnapshotBuilderOptions {
  outputDim: number;
  recentLength: number;
  indexKind: 'hnsw' | 'exact';
  hnsw: Omit<HnswOptions, 'dim' | 'initialCapacity'>;
  backgroundIndexBuild: boolean;
}

/** The vectors of the live snapshot by id (what training-time extras and the blend checks read). */
export interface EncodedSnapshot {
  users: EncodedSide;
  items: EncodedSide;
  userAttributes: EncodedSide | null;
}

/** A snapshot about to go live, for whoever must hold it first (the extras worker). */
export interface PendingSnapshot {
  version: number;
  users: AnnIndex;
  items: AnnIndex;
  userIds: string[];
  userVectors: Float32Array;
  itemIds: string[];
  itemVectors: Float32Array;
}

/** The vectors one snapshot is built from ([n, outputDim] row-major each). */
interface SnapshotVectors {
  userIds: string[];
  userVectors: Float32Array;
  itemIds: string[];
  itemVectors: Float32Array;
  /** Attribute-only user vectors (U2I blend), in userIds order. */
  attributeVectors: Float32Array | null;
}

/** A live snapshot as checkpoint data: its vectors and what it served with them. */
export interface SnapshotData extends SnapshotVectors {
  version: number;
  createdAt: number;
  trainedEvents: number;
  u2iBlend: number;
  generic: ReturnType<typeof genericToData> | null;
  prior: PopularityPriorData | null;
  /** Absent in older checkpoints. */
  cooccurrence?: CooccurrenceData | null;
  /** Absent in older checkpoints. */
  coconsumption?: CoconsumptionData | null;
  /** Absent in older checkpoints. */
  mergedWeights?: MergedWeights | null;
  /** The HNSW graphs (hnswlib's format) when the snapshot was served from HNSW indexes. */
  graphs: { users: Uint8Array; items: Uint8Array } | null;
}

/** The non-personal serving lists a snapshot carries beside its vectors (they move every step: `patchServing`). */
export interface ServingLists {
  /** What a user without a vector gets from this snapshot. */
  generic: GenericItems | null;
  /** The popularity prior of its U2I answers (null: none). */
  prior: PopularityPrior | null;
  /** The co-occurrence I2I source fused into its I2I answers (null: the item index alone). */
  cooccurrence: CooccurrenceNeighbours | null;
  /** The co-consumption U2U source fused into its U2U answers (null: the user index alone). */
  coconsumption: CoconsumptionSource | null;
  /** Merged recall's weights per user segment (null: the configured ones). */
  mergedWeights: MergedWeights | null;
}

export interface RefreshRequest extends ServingLists {
  /** Events trained when the encoding ran (the snapshot's freshness). */
  trainedEvents: number;
  /** Weight of the attribute-only user vector in U2I queries. */
  u2iBlend: number;
  /** Encode attribute-only user vectors even when the blend is 0 (the blend checks score every candidate). */
  attributeVectors: boolean;
}

type MergedWeights = NonNullable<IndexSnapshot['mergedWeights']>;

/**
 * Encodes every known user and item with the towers and builds immutable IndexSnapshots: the
 * indexes inline, or in a worker (`backgroundIndexBuild`) while training goes on; each new snapshot
 * replaces the previous one in one assignment, after `beforeSwap` (so readers never mix versions),
 * and publishes run one at a time in request order. Also the publishable artifact of the live one.
 * Encoding runs TF.js on the calling thread: call it between steps.
 */
export class SnapshotBuilder {
  private live: IndexSnapshot | null = null;
  private savedGraphs: { version: number; graphs: SnapshotData['graphs'] } | null = null;
  private encoded: EncodedSnapshot | null = null;
  private indexBuilder: BackgroundIndexBuilder | null = null;
  private publishing: Promise<unknown> = Promise.resolve();
  /** Awaited before each swap, with the snapshot about to go live. */
  beforeSwap: ((next: PendingSnapshot) => Promise<void>) | null = null;

  constructor(
    private readonly options: SnapshotBuilderOptions,
    private readonly model: TwoTowerModel,
    private readonly store: EmbeddingStore,
    private readonly features: FeatureState,
  ) {}

  get snapshot(): IndexSnapshot | null {
    return this.live;
  }

  get vectors(): EncodedSnapshot | null {
    return this.encoded;
  }

  get hnswOptions(): Omit<HnswOptions, 'initialCapacity'> {
    return { dim: this.options.outputDim, ...this.options.hnsw };
  }

  async encodeUsers(ids: readonly string[], attributesOnly = false): Promise<Float32Array> {
    const f = this.features;
    const fields = (id: string) =>
      attributesOnly ? { id: null, attributes: f.userAttributeKeys(id), history: [] } : userFields(id, f, true);
    return this.encodeChunked(ids, 'user', (chunk) => (rows) => buildTowerInput(chunk.map(fields), rows, this.options.recentLength));
  }

  async encodeItems(ids: readonly string[]): Promise<Float32Array> {
    const f = this.features;
    return this.encodeChunked(
      ids,
      'item',
      (chunk) => (rows) =>
        buildTowerInput(
          chunk.map((id) => itemFields(id, f, true)),
          rows,
          this.options.recentLength,
        ),
    );
  }

  /** `ready` resolves when the new snapshot has replaced the previous one (at once for inline builds). */
  async startRefresh(request: RefreshRequest): Promise<{ ready: Promise<IndexSnapshot> }> {
    const userIds = [...this.features.knownUsers()];
    const itemIds = [...this.features.knownItems()];
    const userVectors = await this.encodeUsers(userIds);
    const itemVectors = await this.encodeItems(itemIds);
    const attributeVectors = request.attributeVectors || request.u2iBlend > 0 ? await this.encodeUsers(userIds, true) : null;
    return this.build({ userIds, userVectors, itemIds, itemVectors, attributeVectors }, request, null);
  }

  /**
   * Checkpoint state: the live snapshot's vectors, serving choices and HNSW graphs (null before the
   * first snapshot). The graphs are saved once per snapshot version.
   */
  async toData(): Promise<SnapshotData | null> {
    const snap = this.live;
    const enc = this.encoded;
    if (!snap || !enc) return null;
    if (this.savedGraphs?.version !== snap.version) {
      const { users, items } = snap;
      this.savedGraphs =
        users instanceof HnswIndex && items instanceof HnswIndex
          ? { version: snap.version, graphs: { users: await users.toBytes(), items: await items.toBytes() } }
          : { version: snap.version, graphs: null };
    }
    return {
      graphs: this.savedGraphs.graphs,
      version: snap.version,
      createdAt: snap.createdAt,
      trainedEvents: snap.trainedEvents,
      u2iBlend: snap.u2iBlend ?? 0,
      generic: snap.generic ? genericToData(snap.generic) : null,
      prior: snap.prior ? priorToData(snap.prior, enc.items.ids) : null,
      cooccurrence: snap.cooccurrence ? cooccurrenceToData(snap.cooccurrence) : null,
      coconsumption: snap.coconsumption ? coconsumptionToData(snap.coconsumption) : null,
      mergedWeights: snap.mergedWeights ?? null,
      userIds: enc.users.ids,
      userVectors: enc.users.vectors,
      itemIds: enc.items.ids,
      itemVectors: enc.items.vectors,
      attributeVectors: enc.userAttributes?.vectors ?? null,
    };
  }

  /**
   * Serve a checkpoint's snapshot again: its indexes are rebuilt from the saved vectors (the same
   * vectors, so the same answers) and it keeps its version and creation time, so recall servers that
   * hold it already do not take it for a newer one.
   */
  async restore(data: SnapshotData): Promise<IndexSnapshot> {
    const request: RefreshRequest = {
      trainedEvents: data.trainedEvents,
      u2iBlend: data.u2iBlend,
      attributeVectors: data.attributeVectors !== null,
      generic: data.generic,
      prior: data.prior && priorFromData(data.prior),
      cooccurrence: data.cooccurrence ? cooccurrenceFromData(data.cooccurrence) : null,
      coconsumption: data.coconsumption ? coconsumptionFromData(data.coconsumption) : null,
      mergedWeights: data.mergedWeights ?? null,
    };
    const restored = { version: data.version, createdAt: data.createdAt };
    if (data.graphs && this.options.indexKind !== 'exact') {
      // The saved graphs answer exactly as the checkpointed ones did, and load much faster than a rebuild.
      const users = await HnswIndex.fromBytes(data.graphs.users, data.userIds, this.hnswOptions);
      const items = await HnswIndex.fromBytes(data.graphs.items, data.itemIds, this.hnswOptions);
      return this.queueSwap(users, items, data, request, restored);
    }
    const { ready } = await this.build(data, request, restored);
    return ready;
  }

  private async build(
    vectors: SnapshotVectors,
    request: RefreshRequest,
    restored: { version: number; createdAt: number } | null,
  ): Promise<{ ready: Promise<IndexSnapshot> }> {
    const { userIds, userVectors, itemIds, itemVectors } = vectors;
    const swap = (users: AnnIndex, items: AnnIndex) => this.queueSwap(users, items, vectors, request, restored);
    if (this.options.backgroundIndexBuild && this.options.indexKind !== 'exact') {
      const builder = (this.indexBuilder ??= new BackgroundIndexBuilder());
      const hnsw = this.hnswOptions;
      const ready = Promise.all([builder.build(userIds, userVectors, hnsw), builder.build(itemIds, itemVectors, hnsw)]).then(
        ([users, items]) => swap(users, items),
      );
      return { ready };
    }
    const users = this.newIndex(userIds.length);
    const items = this.newIndex(itemIds.length);
    if (userIds.length > 0) users.add(userIds, userVectors);
    if (itemIds.length > 0) items.add(itemIds, itemVectors);
    // Inline builds keep their contract: the snapshot is live when startRefresh resolves.
    const snapshot = await swap(users, items);
    return { ready: Promise.resolve(snapshot) };
  }

  /**
   * Serve the live snapshot's indexes with newer non-personal lists (generic list, prior): these
   * move with every step while a re-encoding waits for the next refresh. Same version: the vectors
   * are the same.
   */
  patchServing(lists: ServingLists): void {
    if (this.live) this.live = { ...this.live, ...lists };
  }

  /** The live snapshot's vectors and the seen items, for publishing to recall servers. */
  publishable(seen: () => Record<string, string[]>): IndexVectors | null {
    const snap = this.live;
    const enc = this.encoded;
    if (!snap || !enc) return null;
    const u2iQueries = snap.u2iQueries ? { ids: snap.u2iQueries.ids, vectors: snap.u2iQueries.vectors } : undefined;
    return {
      version: snap.createdAt,
      trainedEvents: snap.trainedEvents,
      dim: this.options.outputDim,
      users: { ids: enc.users.ids, vectors: enc.users.vectors },
      items: { ids: enc.items.ids, vectors: enc.items.vectors },
      seen: seen(),
      u2iQueries,
      ...(snap.generic ? { generic: genericToData(snap.generic) } : {}),
      ...(snap.prior ? { prior: priorToData(snap.prior, enc.items.ids) } : {}),
      ...(snap.cooccurrence ? { cooccurrence: cooccurrenceToData(snap.cooccurrence) } : {}),
      ...(snap.coconsumption ? { coconsumption: coconsumptionToData(snap.coconsumption) } : {}),
      ...(snap.mergedWeights ? { mergedWeights: snap.mergedWeights } : {}),
    };
  }

  async close(): Promise<void> {
    await this.indexBuilder?.close();
  }

  /** Swap in after every swap requested before (snapshots go live in request order). */
  private queueSwap(
    users: AnnIndex,
    items: AnnIndex,
    v: SnapshotVectors,
    request: RefreshRequest,
    restored: { version: number; createdAt: number } | null,
  ): Promise<IndexSnapshot> {
    const done = this.publishing.then(() => this.swap(users, items, v, request, restored));
    this.publishing = done.catch(() => undefined);
    return done;
  }

  private async swap(
    users: AnnIndex,
    items: AnnIndex,
    v: SnapshotVectors,
    request: RefreshRequest,
    restored: { version: number; createdAt: number } | null,
  ): Promise<IndexSnapshot> {
    const version = restored?.version ?? (this.live?.version ?? 0) + 1;
    await this.beforeSwap?.({
      version,
      users,
      items,
      userIds: v.userIds,
      userVectors: v.userVectors,
      itemIds: v.itemIds,
      itemVectors: v.itemVectors,
    });
    // The user tables (full, attribute-only, U2I queries) share one id -> row map.
    const userRows = rowIndex(v.userIds);
    const userAttributes = v.attributeVectors ? encodedSide(v.userIds, v.attributeVectors, userRows) : null;
    this.encoded = { users: encodedSide(v.userIds, v.userVectors, userRows), items: encodedSide(v.itemIds, v.itemVectors), userAttributes };
    const blend = request.u2iBlend;
    const u2iQueries =
      blend > 0 && v.attributeVectors
        ? vectorTable(v.userIds, blendUserVectors(v.userVectors, v.attributeVectors, blend, this.options.outputDim), userRows)
        : null;
    this.live = {
      version,
      createdAt: restored?.createdAt ?? Date.now(),
      trainedEvents: request.trainedEvents,
      users,
      items,
      u2iBlend: blend,
      u2iQueries,
      generic: request.generic,
      prior: request.prior,
      cooccurrence: request.cooccurrence,
      coconsumption: request.coconsumption,
      mergedWeights: request.mergedWeights,
    };
    return this.live;
  }

  private newIndex(expected: number): AnnIndex {
    if (this.options.indexKind === 'exact') return new BruteForceIndex(this.options.outputDim, expected);
    return new HnswIndex({ ...this.hnswOptions, initialCapacity: Math.max(16, expected) });
  }

  private async encodeChunked(
    ids: readonly string[],
    side: 'user' | 'item',
    builder: (chunk: readonly string[]) => Parameters<typeof encodeWithTower>[2],
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
