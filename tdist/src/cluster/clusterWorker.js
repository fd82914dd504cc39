import { parentPort } from 'node:worker_threads';
import { kMeansPlusPlus } from './kMeans.js';
import { reportThreadHeap } from '../util/threadHeap.js';
reportThreadHeap('clustering');
/** Runs k-means++ off the training thread: one request in, one result out. */
parentPort.on('message', (msg) => {
    const result = kMeansPlusPlus(msg.vectors, msg.dim, msg.k, msg.seed);
    parentPort.postMessage({ id: msg.id, assignments: result.assignments, inertia: result.inertia, iterations: result.iterations }, [
        result.assignments.buffer,
    ]);
});
//# sourceMappingURL=clusterWorker.js.map