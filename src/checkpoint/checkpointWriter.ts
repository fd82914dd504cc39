import { parentPort } from 'node:worker_threads';
import { writeCheckpoint, type CheckpointParts } from './checkpointFiles.js';
import { reportThreadHeap } from '../util/threadHeap.js';

reportThreadHeap('checkpoint-writer');

/** The checkpoint writer thread: writes (and fsyncs, and checksums) one checkpoint per message. */
parentPort!.on(
  'message',
  (msg: { id: number; location: string; keep: number; parts: [string, Uint8Array][]; meta: Record<string, unknown> }) => {
    const parts: CheckpointParts = Object.fromEntries(msg.parts);
    writeCheckpoint(msg.location, msg.keep, parts, msg.meta).then(
      (manifest) => parentPort!.postMessage({ id: msg.id, ok: true, manifest }),
      (error: unknown) =>
        parentPort!.postMessage({ id: msg.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  },
);
