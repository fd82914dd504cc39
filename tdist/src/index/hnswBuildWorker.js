import { parentPort } from 'node:worker_threads';
import { HnswIndex } from './hnswIndex.js';
import { reportThreadHeap } from '../util/threadHeap.js';
reportThreadHeap('index-build');
/** Builds one HNSW index off the training thread and writes it to `path`: one request in, one answer out. */
parentPort.on('message', (msg) => {
    if ('close' in msg) {
        parentPort.close();
        return;
    }
    try {
        const index = new HnswIndex({ ...msg.options, initialCapacity: Math.max(16, msg.ids.length) });
        if (msg.ids.length > 0)
            index.add(msg.ids, msg.vectors);
        index.save(msg.path);
        parentPort.postMessage({ id: msg.id, ok: true });
    }
    catch (err) {
        parentPort.postMessage({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
});
//# sourceMappingURL=hnswBuildWorker.js.map