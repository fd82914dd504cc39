import { assignmentFromData, assignmentToData, ClusterService, } from '../cluster/clusterService.js';
import { PageHinkley } from '../cluster/driftDetector.js';
import { ExtrasPrefetcher } from './extrasPrefetcher.js';
import { batchAnchors, PoolCache, sideExtras, } from './trainingExtras.js';
const MAX_PREFETCHED = 4;
/**
 * MIC's snapshot-derived training extras of the U2U / I2I tasks: kNN positives, cluster hard
 * negatives (the re-clustering schedule: every `reclusterEverySteps` or when the loss drifts,
 * applied at a fixed step lag so runs reproduce) and co-occurrence positives; computed inline, or
 * one batch ahead in the extras worker (`prefetch`) with identical results.
 */
export class MicExtras {
    options;
    features;
    clusters;
    drift = new PageHinkley();
    driftFired = false;
    prefetcher = null;
    prefetched = new Map();
    constructor(options, features) {
        this.options = options;
        this.features = features;
        const side = (salt) => ({
            service: new ClusterService(options.seed + salt),
            pending: null,
            assignment: null,
            spec: null,
            pools: new PoolCache(),
        });
        this.clusters = { user: side(1), item: side(2) };
    }
    /** The latest applied clustering of a side (for metrics and tests). */
    clusterAssignment(side) {
        return this.clusters[side].assignment;
    }
    /** Worker-computed extras used, and requests that fell back to inline (stale versions, errors). */
    get workerCounts() {
        return this.prefetcher ? { ...this.prefetcher.counts } : { served: 0, fellBack: 0 };
    }
    /** Apply a clustering whose step has come, waiting for its worker if it is late (reproducible runs). */
    async beforeStep(step) {
        for (const side of ['user', 'item']) {
            const c = this.clusters[side];
            if (c.pending && step >= c.pending.applyAtStep) {
                await c.pending.done;
                c.pending = null;
                this.apply(side, c.service.current);
            }
        }
    }
    apply(side, a) {
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
    async toData() {
        const side = async (s) => {
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
    restore(data) {
        this.drift.restore(data.drift);
        this.driftFired = data.driftFired;
        for (const s of ['user', 'item']) {
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
    async attach(batch, events, snap, enc) {
        const pre = this.prefetched.get(events);
        if (pre)
            this.prefetched.delete(events);
        const from = { worker: 0, inline: 0 };
        const mic = this.options.mic;
        if (!snap || !enc)
            return from;
        const dim = this.options.outputDim;
        const usable = pre !== undefined &&
            pre.snapshotVersion === snap.version &&
            sameIds(pre.anchors.userIds, batch.userIds) &&
            sameIds(pre.anchors.itemIds, batch.itemIds);
        for (const side of this.options.sides) {
            const ids = side === 'user' ? batch.userIds : batch.itemIds;
            const vectors = side === 'user' ? enc.users : enc.items;
            const c = this.clusters[side];
            const fromWorker = usable && pre.clusterVersions[side] === (c.spec?.version ?? null) ? await pre.sides[side] : undefined;
            from[fromWorker ? 'worker' : 'inline']++;
            const extras = fromWorker ??
                sideExtras(ids, side === 'user' ? snap.users : snap.items, vectors, dim, c.spec && mic.hardNegatives > 0 ? c.pools.pools(c.spec, vectors, dim) : null, this.sideOptions());
            let positives = extras.positives;
            if (side === 'item' && mic.coOccurrencePositives > 0)
                positives = concatExtras(positives, this.coOccurrenceExtras(batch, events, enc.items, dim));
            if (positives)
                batch[side === 'user' ? 'userExtraPositives' : 'itemExtraPositives'] = positives;
            if (extras.negatives)
                batch[side === 'user' ? 'userExtraNegatives' : 'itemExtraNegatives'] = extras.negatives;
        }
        return from;
    }
    /** After a step: feed the loss to the drift detector and request a re-clustering when one is due. */
    afterStep(step, loss, enc) {
        if (this.drift.update(loss))
            this.driftFired = true;
        const mic = this.options.mic;
        if (mic.hardNegatives === 0 || !enc)
            return;
        const due = step % mic.reclusterEverySteps === 0 || this.driftFired;
        if (!due)
            return;
        this.driftFired = false;
        for (const side of ['user', 'item']) {
            const c = this.clusters[side];
            if (c.pending)
                continue;
            const { ids, vectors } = enc[side === 'user' ? 'users' : 'items'];
            if (ids.length < 2)
                continue;
            const done = c.service.request(ids, vectors.slice(), this.options.outputDim, mic.clusters, step);
            if (done)
                c.pending = { applyAtStep: step + mic.reclusterLagSteps, done };
        }
    }
    /**
     * Start computing the extras of a batch that a later step will get (the same array) in the worker.
     * A no-op unless the worker is enabled and MIC's extras are on.
     */
    prefetch(events, snap, enc) {
        const mic = this.options.mic;
        if (!this.options.worker || !snap || !enc || events.length === 0 || this.prefetched.has(events))
            return;
        if (mic.knnPositives <= 0 && mic.hardNegatives <= 0)
            return;
        const prefetcher = (this.prefetcher ??= new ExtrasPrefetcher());
        if (!prefetcher.usable)
            return;
        const anchors = batchAnchors(events);
        const clusterVersions = { user: this.clusters.user.spec?.version ?? null, item: this.clusters.item.spec?.version ?? null };
        const sides = {};
        for (const side of this.options.sides) {
            const vectors = side === 'user' ? enc.users : enc.items;
            void prefetcher.syncSnapshot(side, snap.version, vectors.ids, vectors.vectors, this.options.outputDim, side === 'user' ? snap.users : snap.items, this.options.hnsw, true);
            const spec = this.clusters[side].spec;
            if (spec)
                prefetcher.syncClusters(side, spec);
            if (!prefetcher.holds(side, snap.version))
                continue;
            sides[side] = prefetcher.request(side, side === 'user' ? anchors.userIds : anchors.itemIds, snap.version, clusterVersions[side], this.sideOptions());
        }
        if (Object.keys(sides).length === 0)
            return;
        // Batches prefetched but never trained (a caller that changed its mind) must not pile up.
        if (this.prefetched.size >= MAX_PREFETCHED)
            this.prefetched.delete(this.prefetched.keys().next().value);
        this.prefetched.set(events, { snapshotVersion: snap.version, clusterVersions, anchors, sides });
    }
    /** Once the extras worker is in use it gets each snapshot before training sees it (SnapshotBuilder.beforeSwap). */
    async beforeSwap(next) {
        const prefetcher = this.prefetcher;
        if (!prefetcher)
            return;
        const dim = this.options.outputDim;
        await Promise.all(this.options.sides.map((side) => side === 'user'
            ? prefetcher.syncSnapshot('user', next.version, next.userIds, next.userVectors, dim, next.users, this.options.hnsw)
            : prefetcher.syncSnapshot('item', next.version, next.itemIds, next.itemVectors, dim, next.items, this.options.hnsw)));
    }
    async close() {
        await Promise.all([this.clusters.user.service.close(), this.clusters.item.service.close(), this.prefetcher?.close()]);
        this.prefetched.clear();
    }
    /** Synchronous part of close (tests): worker threads are unref'd. */
    dispose() {
        void this.clusters.user.service.close();
        void this.clusters.item.service.close();
        void this.prefetcher?.close();
    }
    sideOptions() {
        const mic = this.options.mic;
        return {
            knnPositives: mic.knnPositives,
            searchEf: this.options.searchEf,
            hardNegatives: mic.hardNegatives,
            hardNegativeClusters: mic.hardNegativeClusters,
        };
    }
    /** The event user's most recent previous items (before this batch) as positives of the event's item. */
    coOccurrenceExtras(batch, events, items, dim) {
        const c = this.options.mic.coOccurrencePositives;
        const out = {
            perAnchor: c,
            dim,
            data: new Float32Array(batch.itemIds.length * c * dim),
            mask: new Float32Array(batch.itemIds.length * c),
        };
        const filled = new Set();
        events.forEach((e, n) => {
            const anchor = batch.eventItem[n];
            if (filled.has(anchor))
                return;
            filled.add(anchor);
            const history = this.features.userHistoryKeys(e.userId);
            let slot = 0;
            for (let h = history.length - 1; h >= 0 && slot < c; h--) {
                const itemId = history[h].slice(2);
                if (itemId === e.itemId)
                    continue;
                const v = items.vector(itemId);
                if (!v)
                    continue;
                out.data.set(v, (anchor * c + slot) * dim);
                out.mask[anchor * c + slot] = 1;
                slot++;
            }
        });
        return out;
    }
}
function concatExtras(a, b) {
    if (!a)
        return b;
    if (!b)
        return a;
    const n = a.mask.length / a.perAnchor;
    const per = a.perAnchor + b.perAnchor;
    const out = { perAnchor: per, dim: a.dim, data: new Float32Array(n * per * a.dim), mask: new Float32Array(n * per) };
    for (let i = 0; i < n; i++) {
        out.data.set(a.data.subarray(i * a.perAnchor * a.dim, (i + 1) * a.perAnchor * a.dim), i * per * a.dim);
        out.data.set(b.data.subarray(i * b.perAnchor * b.dim, (i + 1) * b.perAnchor * b.dim), (i * per + a.perAnchor) * a.dim);
        out.mask.set(a.mask.subarray(i * a.perAnchor, (i + 1) * a.perAnchor), i * per);
        out.mask.set(b.mask.subarray(i * b.perAnchor, (i + 1) * b.perAnchor), i * per + a.perAnchor);
    }
    return out;
}
function sameIds(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i])
            return false;
    return true;
}
//# sourceMappingURL=micExtras.js.map