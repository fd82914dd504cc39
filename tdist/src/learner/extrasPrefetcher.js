import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HnswIndex } from '../index/hnswIndex.js';
import { closeGracefully } from '../util/workers.js';
/**
 * Computes MIC's snapshot extras (kNN positives, cluster hard negatives) for upcoming batches in a
 * worker thread, while the training thread is busy in TensorFlow with the current step: with one
 * intra-op thread, the second core would otherwise idle. The worker holds its own copy of each
 * snapshot side (vectors, plus the HNSW graph written to a temporary file and read back there) and
 * of each clustering; a request names the versions it expects and gets null when the worker holds
 * others (the learner then computes the extras inline, with identical results).
 */
export class ExtrasPrefetcher {
    worker = null;
    broken = false;
    nextId = 1;
    nextFile = 1;
    pending = new Map();
    dir = mkdtempSync(join(tmpdir(), 'micstream-extras-'));
    /** Snapshot version per side that the worker holds or will hold once its queue reaches it. */
    posted = { user: null, item: null };
    syncing = { user: null, item: null };
    clusterVersion = { user: null, item: null };
    /** Requests answered from the worker, and those that fell back (stale versions, errors). */
    counts = { served: 0, fellBack: 0 };
    get usable() {
        return !this.broken;
    }
    /** True when requests for `version` of `side` can be answered by the worker. */
    holds(side, version) {
        return this.posted[side] === version;
    }
    /**
     * Hand a snapshot side to the worker. An HNSW graph is first written to a file on the libuv pool,
     * so the returned promise resolves on a later event-loop turn; until then `holds` stays false for
     * that version (the learner awaits it while publishing a snapshot, so steps never see the gap).
     * `now`: write the graph synchronously and post at once (the first prefetch of a learner whose
     * current snapshot predates the worker: a tight training loop may not yield to the event loop).
     */
    syncSnapshot(side, version, ids, vectors, dim, index, hnswOptions, now = false) {
        if (this.broken || this.posted[side] === version)
            return Promise.resolve();
        const inFlight = this.syncing[side];
        if (inFlight?.version === version)
            return inFlight.done;
        const post = (indexSpec) => {
            if (this.syncing[side]?.version !== version) {
                // A newer snapshot overtook this one while its graph was being written.
                if (indexSpec.kind === 'hnsw')
                    rmSync(indexSpec.path, { force: true });
                return;
            }
            this.syncing[side] = null;
            const copy = vectors.slice();
            this.send({ type: 'snapshot', side, version, ids, vectors: copy, dim, index: indexSpec }, [copy.buffer]);
            this.posted[side] = version;
        };
        if (!(index instanceof HnswIndex)) {
            const done = Promise.resolve().then(() => post({ kind: 'exact' }));
            this.syncing[side] = { version, done };
            return done;
        }
        const path = join(this.dir, `${side}-${version}-${this.nextFile++}.bin`);
        const failed = () => {
            rmSync(path, { force: true });
            if (this.syncing[side]?.version === version)
                this.syncing[side] = null;
        };
        if (now) {
            this.syncing[side] = { version, done: Promise.resolve() };
            try {
                index.save(path);
            }
            catch {
                failed();
                return Promise.resolve();
            }
            post({ kind: 'hnsw', path, options: hnswOptions });
            return Promise.resolve();
        }
        const done = index.saveAsync(path).then(() => post({ kind: 'hnsw', path, options: hnswOptions }), failed);
        this.syncing[side] = { version, done };
        return done;
    }
    /** The clustering the learner applies from now on (posted in order before later requests). */
    syncClusters(side, spec) {
        if (this.broken || this.clusterVersion[side] === spec.version)
            return;
        this.clusterVersion[side] = spec.version;
        this.send({ type: 'clusters', side, spec });
    }
    /** Extras of `ids` under the named versions, or null if the worker cannot answer for them. */
    request(side, ids, snapshotVersion, clusterVersion, options) {
        if (this.broken || this.posted[side] !== snapshotVersion || this.clusterVersion[side] !== clusterVersion)
            return Promise.resolve(null);
        const id = this.nextId++;
        return new Promise((resolve) => {
            this.pending.set(id, resolve);
            this.send({ type: 'extras', id, side, ids, snapshotVersion, clusterVersion, options });
        });
    }
    async close() {
        const w = this.worker;
        this.worker = null;
        this.broken = true;
        if (w)
            await closeGracefully(w, { type: 'close' });
        this.failPending();
        rmSync(this.dir, { recursive: true, force: true });
    }
    send(msg, transfer = []) {
        try {
            this.ensureWorker().postMessage(msg, transfer);
        }
        catch {
            this.disable();
        }
    }
    ensureWorker() {
        if (this.worker)
            return this.worker;
        const worker = new Worker(new URL('./extrasWorker.js', import.meta.url));
        worker.unref();
        worker.on('message', (r) => {
            const resolve = this.pending.get(r.id);
            if (!resolve)
                return;
            this.pending.delete(r.id);
            if (r.ok)
                this.counts.served++;
            else
                this.counts.fellBack++;
            resolve(r.ok ? { positives: r.positives, negatives: r.negatives } : null);
        });
        // A crashed worker is not restarted: training carries on with inline extras.
        worker.on('error', () => this.disable());
        worker.on('exit', () => {
            if (this.worker === worker)
                this.disable();
        });
        this.worker = worker;
        return worker;
    }
    disable() {
        const w = this.worker;
        this.broken = true;
        this.worker = null;
        this.failPending();
        if (w)
            void closeGracefully(w, { type: 'close' });
    }
    failPending() {
        for (const resolve of this.pending.values()) {
            this.counts.fellBack++;
            resolve(null);
        }
        this.pending.clear();
    }
}
//# sourceMappingURL=extrasPrefetcher.js.map