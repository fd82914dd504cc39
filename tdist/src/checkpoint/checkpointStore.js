import { join } from 'node:path';
import { CheckpointError } from '../errors.js';
import { checkpointName, listCheckpoints, MANIFEST, PART_NAME, readCheckpoint, writeCheckpoint, } from './checkpointFiles.js';
import { CheckpointWriterThread } from './checkpointWriterThread.js';
/**
 * Checkpoints as directories `checkpoint-<sequence>` under one root: the parts are written into a
 * temporary directory, each fsynced, then MANIFEST.json (sizes and SHA-256 of every part), the
 * directory is fsynced and renamed into place and the root fsynced: a checkpoint is either
 * complete under its final name or not there. The newest `keep` are kept.
 */
export class DirectoryCheckpointStore {
    location;
    keep;
    inWorker;
    worker = null;
    constructor(location, keep, 
    /** Write in a worker thread (default); false writes on the calling thread. */
    inWorker = true) {
        this.location = location;
        this.keep = keep;
        this.inWorker = inWorker;
        if (!(Number.isInteger(keep) && keep >= 1))
            throw new RangeError(`checkpoint keep must be an integer >= 1, got ${keep}`);
    }
    async save(parts, meta) {
        for (const name of Object.keys(parts))
            if (!PART_NAME.test(name) || name === MANIFEST)
                throw new CheckpointError(`invalid checkpoint part name "${name}"`);
        if (!this.inWorker)
            return writeCheckpoint(this.location, this.keep, parts, meta);
        // The writes run in a worker thread: on the training thread each of the ~20 file operations per
        // checkpoint would wait behind a training step, and a save under load took seconds instead of
        // milliseconds.
        const worker = (this.worker ??= new CheckpointWriterThread());
        return worker.write(this.location, this.keep, parts, meta);
    }
    /** Stop the writer thread (a save in progress finishes first). */
    async close() {
        await this.worker?.close();
        this.worker = null;
    }
    async loadNewest(skipped = () => { }) {
        for (const sequence of (await listCheckpoints(this.location)).sequences) {
            const name = checkpointName(sequence);
            try {
                return await readCheckpoint(join(this.location, name), sequence);
            }
            catch (error) {
                skipped(name, error instanceof Error ? error.message : String(error));
            }
        }
        return null;
    }
}
//# sourceMappingURL=checkpointStore.js.map