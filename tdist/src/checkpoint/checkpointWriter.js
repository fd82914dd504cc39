import { parentPort } from 'node:worker_threads';
import { writeCheckpoint } from './checkpointFiles.js';
import { reportThreadHeap } from '../util/threadHeap.js';
reportThreadHeap('checkpoint-writer');
/** The checkpoint writer thread: writes (and fsyncs, and checksums) one checkpoint per message. */
parentPort.on('message', (msg) => {
    const parts = Object.fromEntries(msg.parts);
    writeCheckpoint(msg.location, msg.keep, parts, msg.meta).then((manifest) => parentPort.postMessage({ id: msg.id, ok: true, manifest }), (error) => parentPort.postMessage({ id: msg.id, ok: false, message: error instanceof Error ? error.message : String(error) }));
});
//# sourceMappingURL=checkpointWriter.js.map