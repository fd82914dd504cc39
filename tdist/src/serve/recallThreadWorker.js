import { parentPort, workerData } from 'node:worker_threads';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex } from '../index/hnswIndex.js';
import { RecallServer } from './recallServer.js';
import { RecallService } from './recallService.js';
import { servedVersion } from './versionTransfer.js';
import { currentThreadId } from '../util/threadPriority.js';
import { reportThreadHeap } from '../util/threadHeap.js';
reportThreadHeap('recall-api');
/** The recall thread's worker (see recallThread.ts): an HTTP recall server over the versions it is handed. */
const settings = workerData;
const port = parentPort;
const send = (msg) => port.postMessage(msg);
const EMPTY = new Set();
let snapshot = null;
let seen = () => EMPTY;
let failed = false;
const provider = {
    get snapshot() {
        return snapshot;
    },
    seenItems: (userId) => seen(userId),
};
let nextMetrics = 1;
const metricsWaiting = new Map();
const server = new RecallServer({
    host: settings.host,
    port: settings.port,
    ...(settings.maxConnections !== undefined ? { maxConnections: settings.maxConnections } : {}),
    ...(settings.headersTimeoutMs !== undefined ? { headersTimeoutMs: settings.headersTimeoutMs } : {}),
    service: new RecallService(provider, settings.merged),
    registry: {
        contentType: settings.metricsContentType,
        metrics: () => new Promise((resolve, reject) => {
            const id = nextMetrics++;
            metricsWaiting.set(id, { resolve, reject });
            send({ type: 'metricsRequest', id });
        }),
    },
    isReady: () => snapshot !== null && !failed,
    onInternalError: (error, request) => send({
        type: 'internalError',
        request,
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    }),
});
/** The indexes of a version: its HNSW graphs read on the libuv pool, or exact indexes of its vectors. */
async function indexesOf(msg) {
    const v = msg.transfer.light;
    if (msg.graphs) {
        const { hnsw } = msg.graphs;
        const [users, items] = await Promise.all([
            HnswIndex.load(msg.graphs.users, v.users.ids, hnsw),
            HnswIndex.load(msg.graphs.items, v.items.ids, hnsw),
        ]);
        return { users, items };
    }
    const exact = (side) => {
        const index = new BruteForceIndex(v.dim, side.ids.length);
        if (side.ids.length > 0)
            index.add(side.ids, side.vectors);
        return index;
    };
    return { users: exact(v.users), items: exact(v.items) };
}
/** Yield to requests once a load has held the thread for PAUSE_EVERY_MS. */
const PAUSE_EVERY_MS = 2;
let heldSince = performance.now();
const pause = async () => {
    if (performance.now() - heldSince < PAUSE_EVERY_MS)
        return;
    await new Promise((resolve) => setImmediate(resolve));
    heldSince = performance.now();
};
// One load at a time; a version handed while another loads waits, and only the newest waiting one is loaded.
let loading = null;
let waiting = null;
const loadNext = async () => {
    while (waiting) {
        const msg = waiting;
        waiting = null;
        heldSince = performance.now();
        try {
            const { users, items } = await indexesOf(msg);
            const served = await servedVersion(msg.transfer, users, items, pause);
            const live = !snapshot || served.snapshot.version >= snapshot.version;
            // The swap: requests in flight finish with the snapshot they read.
            if (live)
                [snapshot, seen] = [served.snapshot, served.seenItems];
            send({ type: 'versionDone', seq: msg.seq, live });
        }
        catch (err) {
            send({ type: 'versionDone', seq: msg.seq, live: false, message: err instanceof Error ? err.message : String(err) });
        }
    }
};
port.on('message', (msg) => {
    switch (msg.type) {
        case 'listen':
            server.listen().then((address) => send({ type: 'listening', address, threadId: currentThreadId() }), (err) => send({ type: 'listenFailed', message: err instanceof Error ? err.message : String(err) }));
            return;
        case 'inject':
            void server.inject(msg.request).then((response) => send({ type: 'injected', id: msg.id, response }));
            return;
        case 'version':
            if (waiting)
                send({ type: 'versionDone', seq: waiting.seq, live: false });
            waiting = msg;
            loading ??= loadNext().finally(() => (loading = null));
            return;
        case 'failed':
            failed = true;
            return;
        case 'metrics': {
            const pending = metricsWaiting.get(msg.id);
            metricsWaiting.delete(msg.id);
            if (msg.error !== undefined)
                pending?.reject(new Error(msg.error));
            else
                pending?.resolve(msg.body);
            return;
        }
        case 'close':
            void (async () => {
                await server.close();
                await loading;
                port.close();
            })();
            return;
    }
});
//# sourceMappingURL=recallThreadWorker.js.map