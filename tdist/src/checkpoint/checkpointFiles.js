// The on-disk format of one checkpoint: a directory of parts and a manifest, written atomically and checked on read.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '../errors.js';
export const PREFIX = 'checkpoint-';
const TEMP_PREFIX = '.tmp-checkpoint-';
export const MANIFEST = 'MANIFEST.json';
export const PART_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** Checkpoint sequences under `location`, newest first, and leftovers of crashed saves. */
export async function listCheckpoints(location) {
    let names;
    try {
        names = await readdir(location);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return { sequences: [], temporary: [] };
        throw new CheckpointError(`cannot list checkpoint directory ${location}`, error);
    }
    const sequences = names
        .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
        .map((n) => Number(n.slice(PREFIX.length)))
        .sort((a, b) => b - a);
    return { sequences, temporary: names.filter((n) => n.startsWith(TEMP_PREFIX)) };
}
export function checkpointName(sequence) {
    return `${PREFIX}${String(sequence).padStart(12, '0')}`;
}
async function writeDurably(path, bytes) {
    const handle = await open(path, 'wx');
    try {
        await handle.writeFile(bytes);
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/** fsync a directory, so a rename or a new entry in it survives a power loss. */
async function syncDirectory(path) {
    const handle = await open(path, 'r');
    try {
        await handle.sync();
    }
    finally {
        await handle.close();
    }
}
/**
 * Write one checkpoint under `location` (the steps of DirectoryCheckpointStore) and delete all but
 * the newest `keep`. Runs in the writer thread, or inline.
 */
export async function writeCheckpoint(location, keep, parts, meta) {
    try {
        await mkdir(location, { recursive: true });
        const { sequences, temporary } = await listCheckpoints(location);
        // Leftovers of a save that crashed: never valid, never read.
        await Promise.all(temporary.map((t) => rm(join(location, t), { recursive: true, force: true })));
        const sequence = (sequences[0] ?? 0) + 1;
        const temp = join(location, `${TEMP_PREFIX}${sequence}-${randomBytes(4).toString('hex')}`);
        await mkdir(temp);
        const manifest = { format: 1, sequence, createdAt: Date.now(), meta, parts: [] };
        for (const [name, bytes] of Object.entries(parts)) {
            await writeDurably(join(temp, name), bytes);
            manifest.parts.push({ name, bytes: bytes.byteLength, sha256: sha256(bytes) });
        }
        await writeDurably(join(temp, MANIFEST), new TextEncoder().encode(JSON.stringify(manifest)));
        await syncDirectory(temp);
        await rename(temp, join(location, checkpointName(sequence)));
        await syncDirectory(location);
        for (const old of sequences.slice(keep - 1))
            await rm(join(location, checkpointName(old)), { recursive: true, force: true });
        return manifest;
    }
    catch (error) {
        if (error instanceof CheckpointError)
            throw error;
        throw new CheckpointError(`cannot write a checkpoint under ${location}: ${error.message}`, error);
    }
}
/** Read one checkpoint directory and check every part against its manifest. @throws CheckpointError saying what is wrong. */
export async function readCheckpoint(path, sequence) {
    let manifest;
    try {
        manifest = JSON.parse(await readFile(join(path, MANIFEST), 'utf8'));
    }
    catch (error) {
        throw new CheckpointError(`no readable ${MANIFEST} (${error.message})`, error);
    }
    if (manifest?.format !== 1 || manifest.sequence !== sequence || !Array.isArray(manifest.parts))
        throw new CheckpointError(`${MANIFEST} is not a format-1 manifest of checkpoint ${sequence}`);
    const parts = {};
    for (const part of manifest.parts) {
        if (typeof part?.name !== 'string' || !PART_NAME.test(part.name))
            throw new CheckpointError(`invalid part name in ${MANIFEST}`);
        let bytes;
        try {
            bytes = await readFile(join(path, part.name));
        }
        catch (error) {
            throw new CheckpointError(`part ${part.name} is missing (${error.message})`, error);
        }
        if (bytes.byteLength !== part.bytes)
            throw new CheckpointError(`part ${part.name} has ${bytes.byteLength} bytes, the manifest says ${part.bytes}`);
        if (sha256(bytes) !== part.sha256)
            throw new CheckpointError(`part ${part.name} fails its SHA-256 checksum`);
        parts[part.name] = bytes;
    }
    return { manifest, parts };
}
//# sourceMappingURL=checkpointFiles.js.map