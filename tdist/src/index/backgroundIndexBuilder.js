import { Worker } from 'node:worker_threads';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexError } from '../errors.js';
import { HnswIndex } from './hnswIndex.js';
import { closeGracefully } from '../util/workers.js';
/**
 * Builds HNSW indexes in a worker thread, so that an index refresh (seconds for tens of thousands
 * of vectors) does not stop training: the worker inserts the vectors and writes the graph to a
 * temporary file, and the main thread reads it back on the libuv pool. Builds run one at a time,
 * in request order. A crashed worker fails the builds in flight (IndexError) and is replaced by
 * the next request.
 */
export class BackgroundIndexBuilder {
    worker = null;
    nextId = 1;
    pending = new Map();
    dir = mkdtempSync(join(tmpdir(), 'micstream-hnsw-'));
    queue = Promise.resolve();
    /** Build an index of `vectors` ([ids.length, dim]); the array is copied, the caller keeps it. */
    async build(ids, vectors, options) {
        const path = await this.buildFile(ids, vectors, options);
        try {
            return await HnswIndex.load(path, ids, options);
        }
        finally {
            rmSync(path, { force: true });
        }
    }
    /**
     * Build the index and leave its graph in a file (hnswlib's format, labels in `ids` order) for
     * another thread to load; the caller owns the file (this builder's directory goes at `close`).
     */
    buildFile(ids, vectors, options) {
        const run = async () => {
            const id = this.nextId++;
            const path = join(this.dir, `index-${id}.bin`);
            const copy = vectors.slice();
            try {
                await new Promise((resolve, reject) => {
                    this.pending.set(id, { resolve, reject });
                    // postMessage clones ids; the vectors' buffer is transferred (hence the copy above).
                    const request = { id, ids, vectors: copy, options, path };
                    this.ensureWorker().postMessage(request, [copy.buffer]);
                });
                return path;
            }
            catch (err) {
                rmSync(path, { force: true });
                throw err;
            }
            finally {
                this.pending.delete(id);
            }
        };
        const result = this.queue.then(run, run);
        this.queue = result.catch(() => undefined);
        return result;
    }
    async close() {
        const w = this.worker;
        this.worker = null;
        // The worker finishes the build in progress first (it cannot be terminated safely: see closeGracefully).
        if (w)
            await closeGracefully(w, { close: true });
        for (const p of this.pending.values())
            p.reject(new IndexError('index builder closed'));
        this.pending.clear();
        rmSync(this.dir, { recursive: true, force: true });
    }
    ensureWorker() {
        if (this.worker)
            return this.worker;
        const worker = new Worker(new URL('./hnswBuildWorker.js', import.meta.url));
        worker.unref();
        worker.on('message', (msg) => {
            const p = this.pending.get(msg.id);
            if (!p)
                return;
            if (msg.ok)
                p.resolve();
            else
                p.reject(new IndexError(`background index build failed: ${msg.message}`));
        });
        worker.on('error', (err) => {
            this.worker = null;
            for (const p of this.pending.values())
                p.reject(new IndexError('the index build worker crashed', err));
        });
        this.worker = worker;
        return worker;
    }
}
//# sourceMappingURL=backgroundIndexBuilder.js.map