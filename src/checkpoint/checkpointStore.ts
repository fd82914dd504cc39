import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '../errors.js';

/** Named byte strings: what one checkpoint holds. */
export type CheckpointParts = Record<string, Uint8Array>;

export interface CheckpointManifest {
  format: 1;
  sequence: number;
  /** Wall-clock time of the write (ms). */
  createdAt: number;
  /** What the writer wants back at restore besides the parts (source offsets, counters). */
  meta: Record<string, unknown>;
  parts: { name: string; bytes: number; sha256: string }[];
}

export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  parts: CheckpointParts;
}

/**
 * Where checkpoints live. A save is all-or-nothing (a crash mid-save leaves the previous checkpoint
 * the newest valid one); a load returns the newest checkpoint whose every part matches its manifest.
 * A local directory is the default (a PersistentVolume in Kubernetes); an object store fits the
 * same three calls.
 */
export interface CheckpointStore {
  readonly location: string;
  save(parts: CheckpointParts, meta: Record<string, unknown>): Promise<CheckpointManifest>;
  /** The newest valid checkpoint, or null; each one skipped (partial, corrupt) is reported to `skipped`. */
  loadNewest(skipped?: (name: string, reason: string) => void): Promise<LoadedCheckpoint | null>;
}

const PREFIX = 'checkpoint-';
const TEMP_PREFIX = '.tmp-checkpoint-';
const MANIFEST = 'MANIFEST.json';
const PART_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a directory, so a rename or a new entry in it survives a power loss. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Checkpoints as directories `checkpoint-<sequence>` under one root: the parts are written into a
 * temporary directory, each fsynced, then MANIFEST.json (sizes and SHA-256 of every part), the
 * directory is fsynced and renamed into place and the root fsynced: a checkpoint is either
 * complete under its final name or not there. The newest `keep` are kept.
 */
export class DirectoryCheckpointStore implements CheckpointStore {
  constructor(
    readonly location: string,
    private readonly keep: number,
  ) {
    if (!(Number.isInteger(keep) && keep >= 1)) throw new RangeError(`checkpoint keep must be an integer >= 1, got ${keep}`);
  }

  private async entries(): Promise<{ sequences: number[]; temporary: string[] }> {
    let names: string[];
    try {
      names = await readdir(this.location);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sequences: [], temporary: [] };
      throw new CheckpointError(`cannot list checkpoint directory ${this.location}`, error);
    }
    const sequences = names
      .filter((n) => n.startsWith(PREFIX) && /^\d+$/.test(n.slice(PREFIX.length)))
      .map((n) => Number(n.slice(PREFIX.length)))
      .sort((a, b) => b - a);
    return { sequences, temporary: names.filter((n) => n.startsWith(TEMP_PREFIX)) };
  }

  private nameOf(sequence: number): string {
    return `${PREFIX}${String(sequence).padStart(12, '0')}`;
  }

  async save(parts: CheckpointParts, meta: Record<string, unknown>): Promise<CheckpointManifest> {
    for (const name of Object.keys(parts))
      if (!PART_NAME.test(name) || name === MANIFEST) throw new CheckpointError(`invalid checkpoint part name "${name}"`);
    try {
      await mkdir(this.location, { recursive: true });
      const { sequences, temporary } = await this.entries();
      // Leftovers of a save that crashed: never valid, never read.
      await Promise.all(temporary.map((t) => rm(join(this.location, t), { recursive: true, force: true })));
      const sequence = (sequences[0] ?? 0) + 1;
      const temp = join(this.location, `${TEMP_PREFIX}${sequence}-${randomBytes(4).toString('hex')}`);
      await mkdir(temp);
      const manifest: CheckpointManifest = { format: 1, sequence, createdAt: Date.now(), meta, parts: [] };
      for (const [name, bytes] of Object.entries(parts)) {
        await writeDurably(join(temp, name), bytes);
        manifest.parts.push({ name, bytes: bytes.byteLength, sha256: sha256(bytes) });
      }
      await writeDurably(join(temp, MANIFEST), new TextEncoder().encode(JSON.stringify(manifest)));
      await syncDirectory(temp);
      await rename(temp, join(this.location, this.nameOf(sequence)));
      await syncDirectory(this.location);
      for (const old of sequences.slice(this.keep - 1)) await rm(join(this.location, this.nameOf(old)), { recursive: true, force: true });
      return manifest;
    } catch (error) {
      if (error instanceof CheckpointError) throw error;
      throw new CheckpointError(`cannot write a checkpoint under ${this.location}: ${(error as Error).message}`, error);
    }
  }

  async loadNewest(skipped: (name: string, reason: string) => void = () => {}): Promise<LoadedCheckpoint | null> {
    for (const sequence of (await this.entries()).sequences) {
      const name = this.nameOf(sequence);
      try {
        return await this.load(join(this.location, name), sequence);
      } catch (error) {
        skipped(name, error instanceof Error ? error.message : String(error));
      }
    }
    return null;
  }

  private async load(path: string, sequence: number): Promise<LoadedCheckpoint> {
    let manifest: CheckpointManifest;
    try {
      manifest = JSON.parse(await readFile(join(path, MANIFEST), 'utf8')) as CheckpointManifest;
    } catch (error) {
      throw new CheckpointError(`no readable ${MANIFEST} (${(error as Error).message})`, error);
    }
    if (manifest?.format !== 1 || manifest.sequence !== sequence || !Array.isArray(manifest.parts))
      throw new CheckpointError(`${MANIFEST} is not a format-1 manifest of checkpoint ${sequence}`);
    const parts: CheckpointParts = {};
    for (const part of manifest.parts) {
      if (typeof part?.name !== 'string' || !PART_NAME.test(part.name)) throw new CheckpointError(`invalid part name in ${MANIFEST}`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(join(path, part.name));
      } catch (error) {
        throw new CheckpointError(`part ${part.name} is missing (${(error as Error).message})`, error);
      }
      if (bytes.byteLength !== part.bytes)
        throw new CheckpointError(`part ${part.name} has ${bytes.byteLength} bytes, the manifest says ${part.bytes}`);
      if (sha256(bytes) !== part.sha256) throw new CheckpointError(`part ${part.name} fails its SHA-256 checksum`);
      parts[part.name] = bytes;
    }
    return { manifest, parts };
  }
}
