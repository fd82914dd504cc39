import { parentPort } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex } from '../index/hnswIndex.js';
import { encodedSide, PoolCache, sideExtras } from './trainingExtras.js';
import { reportThreadHeap } from '../util/threadHeap.js';
reportThreadHeap('extras');
const snapshots = {};
const clusters = {};
const poolCaches = { user: new PoolCache(), item: new PoolCache() };
async function handle(msg) {
    if (msg.type === 'close') {
        parentPort.close();
        return;
    }
    if (msg.type === 'snapshot') {
        let index;
        if (msg.index.kind === 'hnsw') {
            try {
                // Synchronous on purpose: terminating this worker during an asynchronous read aborts node.
                index = HnswIndex.loadSync(msg.index.path, msg.ids, msg.index.options);
            }
            finally {
                rmSync(msg.index.path, { force: true });
            }
        }
        else {
            index = new BruteForceIndex(msg.dim, Math.max(1, msg.ids.length));
            if (msg.ids.length > 0)
                index.add(msg.ids, msg.vectors);
        }
        snapshots[msg.side] = { version: msg.version, index, vectors: encodedSide(msg.ids, msg.vectors), dim: msg.dim };
        return;
    }
    if (msg.type === 'clusters') {
        clusters[msg.side] = msg.spec;
        return;
    }
    const snap = snapshots[msg.side];
    const spec = clusters[msg.side];
    const clusterVersion = spec?.version ?? null;
    if (!snap || snap.version !== msg.snapshotVersion || clusterVersion !== msg.clusterVersion) {
        reply({ id: msg.id, ok: false, stale: true, message: 'the worker holds another snapshot or clustering' });
        return;
    }
    const pools = spec && msg.options.hardNegatives > 0 ? poolCaches[msg.side].pools(spec, snap.vectors, snap.dim) : null;
    const out = sideExtras(msg.ids, snap.index, snap.vectors, snap.dim, pools, msg.options);
    reply({ id: msg.id, ok: true, ...out });
}
function reply(r) {
    const transfer = [];
    if (r.ok)
        for (const x of [r.positives, r.negatives])
            if (x)
                transfer.push(x.data.buffer, x.mask.buffer);
    parentPort.postMessage(r, transfer);
}
// Messages are handled strictly in order (a snapshot load is asynchronous), so a request always
// sees the snapshot and clustering that the training thread had posted before it.
let queue = Promise.resolve();
parentPort.on('message', (msg) => {
    queue = queue.then(() => handle(msg).catch((err) => {
        const message = err instanceof Error ? err.message : String(err);
        if (msg.type === 'extras')
            reply({ id: msg.id, ok: false, stale: false, message });
        else if (msg.type === 'snapshot')
            delete snapshots[msg.side];
    }));
});
//# sourceMappingURL=extrasWorker.js.map