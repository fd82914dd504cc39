import { Worker } from 'node:worker_threads';
/**
 * Re-clusters embeddings with k-means++ in a worker thread, so training never waits for it.
 * `request` returns at once; the new assignment replaces the old one when the worker answers.
 * At most one run is in flight; requests meanwhile are dropped (the next trigger catches up).
 */
export class ClusterService {
    seed;
    worker = null;
    nextId = 1;
    inFlight = null;
    latest = null;
    version = 0;
    constructor(seed) {
        this.seed = seed;
    }
    get current() {
        return this.latest;
    }
    get busy() {
        return this.inFlight !== null;
    }
    /** Start a clustering of `vectors` ([ids.length, dim]); resolves when it has been applied. Null if one is running. */
    request(ids, vectors, dim, k, step) {
        if (this.inFlight)
            return null;
        const worker = this.ensureWorker();
        const id = this.nextId++;
        return new Promise((resolve) => {
            this.inFlight = { id, ids, step, k, resolve };
            worker.postMessage({ id, vectors, dim, k, seed: this.seed + id }, [vectors.buffer]);
        });
    }
    /** Checkpoint state (call when no run is in flight: await its promise first). */
    toData() {
        return { version: this.version, nextId: this.nextId, latest: this.latest && assignmentToData(this.latest) };
    }
    restore(data) {
        this.version = data.version;
        this.nextId = data.nextId;
        this.latest = data.latest && assignmentFromData(data.latest);
    }
    async close() {
        const w = this.worker;
        this.worker = null;
        if (w)
            await w.terminate();
        this.inFlight?.resolve();
        this.inFlight = null;
    }
    ensureWorker() {
        if (this.worker)
            return this.worker;
        const worker = new Worker(new URL('./clusterWorker.js', import.meta.url));
        worker.unref();
        worker.on('message', (msg) => {
            const job = this.inFlight;
            if (!job || job.id !== msg.id)
                return;
            const clusterOf = new Map();
            job.ids.forEach((id, i) => clusterOf.set(id, msg.assignments[i]));
            this.latest = { version: ++this.version, clusterOf, k: job.k, inertia: msg.inertia, step: job.step };
            this.inFlight = null;
            job.resolve();
        });
        worker.on('error', () => {
            // A crashed worker loses one clustering, not training: the next request starts a new one.
            this.worker = null;
            this.inFlight?.resolve();
            this.inFlight = null;
        });
        this.worker = worker;
        return worker;
    }
}
export function assignmentToData(a) {
    return {
        version: a.version,
        ids: [...a.clusterOf.keys()],
        clusters: Int32Array.from(a.clusterOf.values()),
        k: a.k,
        inertia: a.inertia,
        step: a.step,
    };
}
export function assignmentFromData(d) {
    if (d.ids.length !== d.clusters.length)
        throw new RangeError(`clustering state: ${d.ids.length} ids, ${d.clusters.length} clusters`);
    return { version: d.version, clusterOf: new Map(d.ids.map((id, i) => [id, d.clusters[i]])), k: d.k, inertia: d.inertia, step: d.step };
}
//# sourceMappingURL=clusterService.js.map