import { BackgroundIndexBuilder } from '../index/backgroundIndexBuilder.js';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex } from '../index/hnswIndex.js';
import { rowIndex, vectorTable } from '../index/indexSnapshot.js';
import { cooccurrenceFromData, cooccurrenceToData } from '../index/itemNeighbours.js';
import { coconsumptionFromData, coconsumptionToData } from '../index/userNeighbours.js';
import { priorFromData, priorToData } from '../index/popularityPrior.js';
import { itemFields, userFields } from '../model/batchBuilder.js';
import { buildTowerInput } from '../model/towerInput.js';
import { encodeWithTower } from '../model/trainer.js';
import { encodedSide } from './trainingExtras.js';
import { blendUserVectors } from './u2iBlend.js';
const ENCODE_CHUNK = 2048;
/**
 * Encodes every known user and item with the towers and builds immutable IndexSnapshots: the
 * indexes inline, or in a worker (`backgroundIndexBuild`) while training goes on; each new snapshot
 * replaces the previous one in one assignment, after `beforeSwap` (so readers never mix versions),
 * and publishes run one at a time in request order. Also the publishable artifact of the live one.
 * Encoding runs TF.js on the calling thread: call it between steps.
 */
export class SnapshotBuilder {
    options;
    model;
    store;
    features;
    live = null;
    savedGraphs = null;
    encoded = null;
    indexBuilder = null;
    publishing = Promise.resolve();
    /** Awaited before each swap, with the snapshot about to go live. */
    beforeSwap = null;
    constructor(options, model, store, features) {
        this.options = options;
        this.model = model;
        this.store = store;
        this.features = features;
    }
    get snapshot() {
        return this.live;
    }
    get vectors() {
        return this.encoded;
    }
    get hnswOptions() {
        return { dim: this.options.outputDim, ...this.options.hnsw };
    }
    async encodeUsers(ids, attributesOnly = false) {
        const f = this.features;
        const fields = (id) => attributesOnly ? { id: null, attributes: f.userAttributeKeys(id), history: [] } : userFields(id, f, true);
        return this.encodeChunked(ids, 'user', (chunk) => (rows) => buildTowerInput(chunk.map(fields), rows, this.options.recentLength));
    }
    async encodeItems(ids) {
        const f = this.features;
        return this.encodeChunked(ids, 'item', (chunk) => (rows) => buildTowerInput(chunk.map((id) => itemFields(id, f, true)), rows, this.options.recentLength));
    }
    /** `ready` resolves when the new snapshot has replaced the previous one (at once for inline builds). */
    async startRefresh(request) {
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
    async toData() {
        const snap = this.live;
        const enc = this.encoded;
        if (!snap || !enc)
            return null;
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
            generic: snap.generic ? { kind: snap.generic.kind, items: [...snap.generic.items] } : null,
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
    async restore(data) {
        const request = {
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
    async build(vectors, request, restored) {
        const { userIds, userVectors, itemIds, itemVectors } = vectors;
        const swap = (users, items) => this.queueSwap(users, items, vectors, request, restored);
        if (this.options.backgroundIndexBuild && this.options.indexKind !== 'exact') {
            const builder = (this.indexBuilder ??= new BackgroundIndexBuilder());
            const hnsw = this.hnswOptions;
            const ready = Promise.all([builder.build(userIds, userVectors, hnsw), builder.build(itemIds, itemVectors, hnsw)]).then(([users, items]) => swap(users, items));
            return { ready };
        }
        const users = this.newIndex(userIds.length);
        const items = this.newIndex(itemIds.length);
        if (userIds.length > 0)
            users.add(userIds, userVectors);
        if (itemIds.length > 0)
            items.add(itemIds, itemVectors);
        // Inline builds keep their contract: the snapshot is live when startRefresh resolves.
        const snapshot = await swap(users, items);
        return { ready: Promise.resolve(snapshot) };
    }
    /**
     * Serve the live snapshot's indexes with newer non-personal lists (generic list, prior): these
     * move with every step while a re-encoding waits for the next refresh. Same version: the vectors
     * are the same.
     */
    patchServing(lists) {
        if (this.live)
            this.live = { ...this.live, ...lists };
    }
    /** The live snapshot's vectors and the seen items, for publishing to recall servers. */
    publishable(seen) {
        const snap = this.live;
        const enc = this.encoded;
        if (!snap || !enc)
            return null;
        const u2iQueries = snap.u2iQueries ? { ids: snap.u2iQueries.ids, vectors: snap.u2iQueries.vectors } : undefined;
        return {
            version: snap.createdAt,
            trainedEvents: snap.trainedEvents,
            dim: this.options.outputDim,
            users: { ids: enc.users.ids, vectors: enc.users.vectors },
            items: { ids: enc.items.ids, vectors: enc.items.vectors },
            seen: seen(),
            u2iQueries,
            ...(snap.generic ? { generic: { kind: snap.generic.kind, items: [...snap.generic.items] } } : {}),
            ...(snap.prior ? { prior: priorToData(snap.prior, enc.items.ids) } : {}),
            ...(snap.cooccurrence ? { cooccurrence: cooccurrenceToData(snap.cooccurrence) } : {}),
            ...(snap.coconsumption ? { coconsumption: coconsumptionToData(snap.coconsumption) } : {}),
            ...(snap.mergedWeights ? { mergedWeights: snap.mergedWeights } : {}),
        };
    }
    async close() {
        await this.indexBuilder?.close();
    }
    /** Swap in after every swap requested before (snapshots go live in request order). */
    queueSwap(users, items, v, request, restored) {
        const done = this.publishing.then(() => this.swap(users, items, v, request, restored));
        this.publishing = done.catch(() => undefined);
        return done;
    }
    async swap(users, items, v, request, restored) {
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
        const u2iQueries = blend > 0 && v.attributeVectors
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
    newIndex(expected) {
        if (this.options.indexKind === 'exact')
            return new BruteForceIndex(this.options.outputDim, expected);
        return new HnswIndex({ ...this.hnswOptions, initialCapacity: Math.max(16, expected) });
    }
    async encodeChunked(ids, side, builder) {
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
//# sourceMappingURL=snapshotBuilder.js.map