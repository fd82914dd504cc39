import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HnswIndex } from '../index/hnswIndex.js';
import { IndexError } from '../errors.js';
import { closeGracefully } from '../util/workers.js';
import { toTransfer, transferList } from './versionTransfer.js';
/**
 * The learner's recall API on its own thread: a worker runs the HTTP server (RecallServer) over
 * the versions this thread hands it, so a training step never delays a request. Each version is
 * what the learner publishes to the recall topic (IndexVectors), with the HNSW graphs passed as
 * files the worker reads on its libuv pool: the worker answers exactly what a `serve` replica of
 * the same version answers, and keeps answering from the previous version while it loads the next.
 * /metrics is answered from this thread's registry (between steps).
 */
export class RecallThread {
    options;
    worker;
    dir = mkdtempSync(join(tmpdir(), 'micstream-api-'));
    nextId = 1;
    injections = new Map();
    versions = new Map();
    listening = null;
    tid = null;
    closed = false;
    crashed = null;
    constructor(options) {
        this.options = options;
        const settings = {
            host: options.host,
            port: options.port,
            merged: options.merged,
            metricsContentType: options.registry.contentType,
            ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
            ...(options.headersTimeoutMs !== undefined ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
        };
        this.worker = new Worker(new URL('./recallThreadWorker.js', import.meta.url), { workerData: settings });
        this.worker.on('message', (msg) => this.onMessage(msg));
        this.worker.on('error', (err) => this.fail(new IndexError('the recall API thread crashed', err)));
        this.worker.on('exit', () => this.fail(new IndexError(this.closed ? 'the recall API thread is closed' : 'the recall API thread exited')));
    }
    listen() {
        return new Promise((resolve, reject) => {
            this.listening = { resolve, reject };
            this.post({ type: 'listen' });
        });
    }
    /** Answer a request without the socket, exactly as the worker's server would. */
    inject(request) {
        if (this.crashed)
            return Promise.reject(this.crashed);
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            this.injections.set(id, { resolve, reject });
            this.post({ type: 'inject', id, request });
        });
    }
    /**
     * Hand the worker a version; resolves true when it is served, false when a newer one handed
     * meanwhile replaced it first, or it is not newer than the one served. `indexes`: either the
     * indexes built from `vectors` (HNSW graphs are written to files for the worker, which loads them
     * as they are: the same graphs answer the same; other indexes are rebuilt from the vectors
     * there), or graph files already written (BackgroundIndexBuilder.buildFile), which this thread
     * then owns and removes.
     */
    async serve(vectors, indexes) {
        if (this.crashed)
            throw this.crashed;
        const seq = this.nextId++;
        let graphs = null;
        if ('graphs' in indexes)
            graphs = indexes.graphs;
        else if (indexes.users instanceof HnswIndex && indexes.items instanceof HnswIndex) {
            const { users, items } = indexes;
            graphs = { users: join(this.dir, `${seq}-users.bin`), items: join(this.dir, `${seq}-items.bin`), hnsw: users.options };
            try {
                await Promise.all([users.saveAsync(graphs.users), items.saveAsync(graphs.items)]);
            }
            catch (err) {
                await removeAll([graphs.users, graphs.items]);
                throw err;
            }
        }
        const files = graphs ? [graphs.users, graphs.items] : [];
        if (this.crashed) {
            await removeAll(files);
            throw this.crashed;
        }
        return new Promise((resolve, reject) => {
            this.versions.set(seq, { resolve, reject, files });
            const transfer = toTransfer(vectors);
            this.post({ type: 'version', seq, transfer, graphs }, transferList(transfer));
        });
    }
    /** The worker's kernel thread id once it listens (Linux), else null: the thread to keep at full priority. */
    get threadId() {
        return this.tid;
    }
    /** Readiness fails from now on (the learner failed for good). */
    markFailed() {
        this.post({ type: 'failed' });
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        // The worker closes its server and finishes a graph load in flight first (see closeGracefully).
        await closeGracefully(this.worker, { type: 'close' });
        this.fail(new IndexError('the recall API thread is closed'));
        rmSync(this.dir, { recursive: true, force: true });
    }
    post(msg, transfer = []) {
        if (this.crashed)
            return;
        this.worker.postMessage(msg, transfer);
    }
    onMessage(msg) {
        switch (msg.type) {
            case 'listening':
                this.tid = msg.threadId;
                this.listening?.resolve(msg.address);
                this.listening = null;
                return;
            case 'listenFailed':
                this.listening?.reject(new IndexError(`the recall API could not listen: ${msg.message}`));
                this.listening = null;
                return;
            case 'injected': {
                const pending = this.injections.get(msg.id);
                this.injections.delete(msg.id);
                pending?.resolve(msg.response);
                return;
            }
            case 'versionDone': {
                const v = this.versions.get(msg.seq);
                if (!v)
                    return;
                this.versions.delete(msg.seq);
                void removeAll(v.files).finally(() => {
                    if (msg.message !== undefined)
                        v.reject(new IndexError(`the recall API thread could not load a version: ${msg.message}`));
                    else
                        v.resolve(msg.live);
                });
                return;
            }
            case 'metricsRequest':
                this.options.registry.metrics().then((body) => this.post({ type: 'metrics', id: msg.id, body }), (err) => this.post({ type: 'metrics', id: msg.id, body: '', error: err instanceof Error ? err.message : String(err) }));
                return;
            case 'internalError':
                this.options.onInternalError?.({ message: msg.message, ...(msg.stack ? { stack: msg.stack } : {}) }, msg.request);
                return;
        }
    }
    fail(err) {
        if (this.crashed)
            return;
        this.crashed = err;
        if (!this.closed)
            this.options.onCrash?.(err);
        this.listening?.reject(err);
        this.listening = null;
        for (const v of this.versions.values()) {
            void removeAll(v.files);
            v.reject(err);
        }
        this.versions.clear();
        for (const pending of this.injections.values())
            pending.reject(err);
        this.injections.clear();
    }
}
async function removeAll(files) {
    await Promise.all(files.map((f) => rm(f, { force: true })));
}
//# sourceMappingURL=recallThread.js.map