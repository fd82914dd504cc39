import { parentPort } from 'node:worker_threads';
import { rmSync } from 'node:fs';
import type { AnnIndex } from '../index/annIndex.js';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex, type HnswOptions } from '../index/hnswIndex.js';
import type { ExtraVectors } from '../model/batchBuilder.js';
import { encodedSide, PoolCache, sideExtras, type EncodedSide, type PoolSpec, type SideExtrasOptions } from './trainingExtras.js';
import { reportThreadHeap } from '../util/threadHeap.js';

reportThreadHeap('extras');

export type Side = 'user' | 'item';

/** A snapshot side: the vectors, and the index as a file written by HnswIndex (removed once read) or exact. */
export interface SnapshotMessage {
  type: 'snapshot';
  side: Side;
  version: number;
  ids: string[];
  vectors: Float32Array;
  dim: number;
  index: { kind: 'hnsw'; path: string; options: Partial<HnswOptions> & { dim: number } } | { kind: 'exact' };
}

export interface ClustersMessage {
  type: 'clusters';
  side: Side;
  spec: PoolSpec;
}

export interface ExtrasRequest {
  type: 'extras';
  id: number;
  side: Side;
  ids: string[];
  snapshotVersion: number;
  clusterVersion: number | null;
  options: SideExtrasOptions;
}

/** Finish what is queued, then exit. */
export interface CloseMessage {
  type: 'close';
}

export type ExtrasWorkerMessage = SnapshotMessage | ClustersMessage | ExtrasRequest | CloseMessage;

export type ExtrasReply =
  | { id: number; ok: true; positives: ExtraVectors | null; negatives: ExtraVectors | null }
  | { id: number; ok: false; stale: boolean; message: string };

interface SideState {
  version: number;
  index: AnnIndex;
  vectors: EncodedSide;
  dim: number;
}

const snapshots: Partial<Record<Side, SideState>> = {};
const clusters: Partial<Record<Side, PoolSpec>> = {};
const poolCaches: Record<Side, PoolCache> = { user: new PoolCache(), item: new PoolCache() };

async function handle(msg: ExtrasWorkerMessage): Promise<void> {
  if (msg.type === 'close') {
    parentPort!.close();
    return;
  }
  if (msg.type === 'snapshot') {
    let index: AnnIndex;
    if (msg.index.kind === 'hnsw') {
      try {
        // Synchronous on purpose: terminating this worker during an asynchronous read aborts node.
        index = HnswIndex.loadSync(msg.index.path, msg.ids, msg.index.options);
      } finally {
        rmSync(msg.index.path, { force: true });
      }
    } else {
      index = new BruteForceIndex(msg.dim, Math.max(1, msg.ids.length));
      if (msg.ids.length > 0) index.add(msg.ids, msg.vectors);
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

function reply(r: ExtrasReply): void {
  const transfer: ArrayBuffer[] = [];
  if (r.ok) for (const x of [r.positives, r.negatives]) if (x) transfer.push(x.data.buffer as ArrayBuffer, x.mask.buffer as ArrayBuffer);
  parentPort!.postMessage(r, transfer);
}

// Messages are handled strictly in order (a snapshot load is asynchronous), so a request always
// sees the snapshot and clustering that the training thread had posted before it.
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: ExtrasWorkerMessage) => {
  queue = queue.then(() =>
    handle(msg).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (msg.type === 'extras') reply({ id: msg.id, ok: false, stale: false, message });
      else if (msg.type === 'snapshot') delete snapshots[msg.side];
    }),
  );
});
