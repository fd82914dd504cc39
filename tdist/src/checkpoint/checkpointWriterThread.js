import { Worker } from 'node:worker_threads';
import { CheckpointError } from '../errors.js';
/**
 * The thread that writes checkpoints (checkpointWriter.ts): one write at a time, in order. The
 * parts' buffers are transferred when they own them (no copy); the thread is unref'd, so it never
 * keeps the process alive, and a crashed thread fails the write in progress and is replaced next time.
 */
export class CheckpointWriterThread {
    worker = null;
    nextId = 1;
    pending = new Map();
    queue = Promise.resolve();
    write(location, keep, parts, meta) {
        const run = () => new Promise((resolve, reject) => {
            const worker = this.ensure();
            const id = this.nextId++;
            this.pending.set(id, { resolve, reject });
            const entries = Object.entries(parts);
            const owned = entries
                .map(([, b]) => b.buffer)
                .filter((buf, i) => {
                const b = entries[i][1];
                return buf instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === buf.byteLength;
            });
            worker.postMessage({ id, location, keep, parts: entries, meta }, [...new Set(owned)]);
        });
        const done = this.queue.then(run, run);
        this.queue = done.catch(() => undefined);
        return done;
    }
    async close() {
        await this.queue;
        const w = this.worker;
        this.worker = null;
        if (w)
            await w.terminate();
    }
    ensure() {
        if (this.worker)
            return this.worker;
        const worker = new Worker(new URL('./checkpointWriter.js', import.meta.url));
        worker.unref();
        worker.on('message', (reply) => {
            const p = this.pending.get(reply.id);
            if (!p)
                return;
            this.pending.delete(reply.id);
            if (reply.ok)
                p.resolve(reply.manifest);
            else
                p.reject(new CheckpointError(reply.message));
        });
        const fail = (error) => {
            this.worker = null;
            for (const p of this.pending.values())
                p.reject(new CheckpointError('the checkpoint writer thread stopped', error));
            this.pending.clear();
        };
        worker.on('error', fail);
        worker.on('exit', (code) => code !== 0 && fail(new Error(`exit code ${code}`)));
        this.worker = worker;
        return worker;
    }
}
//# sourceMappingURL=checkpointWriterThread.js.map