import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnnIndex } from '../index/annIndex.js';
import { HnswIndex, type HnswOptions } from '../index/hnswIndex.js';
import type { IndexVectors } from '../index/indexVectors.js';
import type { MergedRecallOptions } from '../index/mergedRecall.js';
import { IndexError } from '../errors.js';
import { closeGracefully } from '../util/workers.js';
import type { HttpRequest, HttpResponse, MetricsEndpoint } from './recallRoutes.js';
import { toTransfer, transferList, type VersionTransfer } from './versionTransfer.js';

/** What the recall thread's server is started with (plain data: it crosses to the worker). */
export interface RecallThreadSettings {
  host: string;
  port: number;
  maxConnections?: number;
  headersTimeoutMs?: number;
  merged: MergedRecallOptions;
  /** The content type /metrics answers with (the registry's). */
  metricsContentType: string;
}

export interface RecallThreadOptions extends Omit<RecallThreadSettings, 'metricsContentType'> {
  /** Answers /metrics (asked from the worker; the registry stays on this thread). */
  registry: MetricsEndpoint;
  /** A request that failed inside the worker's server (a bug), before it was answered 500. */
  onInternalError?: (error: { message: string; stack?: string }, request: HttpRequest) => void;
  /** The worker died (a bug or out of memory): nothing is served from then on. */
  onCrash?: (error: Error) => void;
}

/** HNSW graphs of a version's users and items in files (hnswlib's format, labels in the vectors' id order). */
export interface GraphFiles {
  users: string;
  items: string;
  hnsw: Partial<HnswOptions> & { dim: number };
}

/** One version for the worker: its content and, for HNSW indexes, the graph files it loads. */
export interface VersionMessage {
  type: 'version';
  seq: number;
  transfer: VersionTransfer;
  graphs: GraphFiles | null;
}

export type ToRecallWorker =
  | { type: 'listen' }
  | { type: 'inject'; id: number; request: HttpRequest }
  | VersionMessage
  | { type: 'failed' }
  | { type: 'metrics'; id: number; body: string; error?: string }
  | { type: 'close' };

export type FromRecallWorker =
  | { type: 'listening'; address: AddressInfo; threadId: number | null }
  | { type: 'listenFailed'; message: string }
  | { type: 'injected'; id: number; response: HttpResponse }
  | { type: 'versionDone'; seq: number; live: boolean; message?: string }
  | { type: 'metricsRequest'; id: number }
  | { type: 'internalError'; request: HttpRequest; message: string; stack?: string };

/**
 * The learner's recall API on its own thread: a worker runs the HTTP server (RecallServer) over
 * the versions this thread hands it, so a training step never delays a request. Each version is
 * what the learner publishes to the recall topic (IndexVectors), with the HNSW graphs passed as
 * files the worker reads on its libuv pool: the worker answers exactly what a `serve` replica of
 * the same version answers, and keeps answering from the previous version while it loads the next.
 * /metrics is answered from this thread's registry (between steps).
 */
export class RecallThread {
  private readonly worker: Worker;
  private readonly dir = mkdtempSync(join(tmpdir(), 'micstream-api-'));
  private nextId = 1;
  private readonly injections = new Map<number, { resolve: (response: HttpResponse) => void; reject: (err: Error) => void }>();
  private readonly versions = new Map<number, { resolve: (live: boolean) => void; reject: (err: Error) => void; files: string[] }>();
  private listening: { resolve: (a: AddressInfo) => void; reject: (err: Error) => void } | null = null;
  private tid: number | null = null;
  private closed = false;
  private crashed: Error | null = null;

  constructor(private readonly options: RecallThreadOptions) {
    const settings: RecallThreadSettings = {
      host: options.host,
      port: options.port,
      merged: options.merged,
      metricsContentType: options.registry.contentType,
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
      ...(options.headersTimeoutMs !== undefined ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
    };
    this.worker = new Worker(new URL('./recallThreadWorker.js', import.meta.url), { workerData: settings });
    this.worker.on('message', (msg: FromRecallWorker) => this.onMessage(msg));
    this.worker.on('error', (err) => this.fail(new IndexError('the recall API thread crashed', err)));
    this.worker.on('exit', () =>
      this.fail(new IndexError(this.closed ? 'the recall API thread is closed' : 'the recall API thread exited')),
    );
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.listening = { resolve, reject };
      this.post({ type: 'listen' });
    });
  }

  /** Answer a request without the socket, exactly as the worker's server would. */
  inject(request: HttpRequest): Promise<HttpResponse> {
    if (this.crashed) return Promise.reject(this.crashed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.injections.set(id, { resolve, reject });
      this.post({ type: 'inject', id, request });
    });
  }

  /**
   * Hand the worker a version; resolves true when it is served, false when a newer one handed
   * meanwhile replaced it first, or it is not newer than the one served. `indexes`: either the
   * indexes built from `vectors` (HNSW graphs are written to files for the worker, which loads them
   * as they are: the same graphs answer the same; other indexes are rebuilt from the vectors
   * there), or graph files already written (BackgroundIndexBuilder.buildFile), which this thread
   * then owns and removes.
   */
  async serve(vectors: IndexVectors, indexes: { users: AnnIndex; items: AnnIndex } | { graphs: GraphFiles }): Promise<boolean> {
    if (this.crashed) throw this.crashed;
    const seq = this.nextId++;
    let graphs: GraphFiles | null = null;
    if ('graphs' in indexes) graphs = indexes.graphs;
    else if (indexes.users instanceof HnswIndex && indexes.items instanceof HnswIndex) {
      const { users, items } = indexes;
      graphs = { users: join(this.dir, `${seq}-users.bin`), items: join(this.dir, `${seq}-items.bin`), hnsw: users.options };
      try {
        await Promise.all([users.saveAsync(graphs.users), items.saveAsync(graphs.items)]);
      } catch (err) {
        await removeAll([graphs.users, graphs.items]);
        throw err;
      }
    }
    const files = graphs ? [graphs.users, graphs.items] : [];
    if (this.crashed) {
      await removeAll(files);
      throw this.crashed;
    }
    return new Promise((resolve, reject) => {
      this.versions.set(seq, { resolve, reject, files });
      const transfer = toTransfer(vectors);
      this.post({ type: 'version', seq, transfer, graphs }, transferList(transfer));
    });
  }

  /** The worker's kernel thread id once it listens (Linux), else null: the thread to keep at full priority. */
  get threadId(): number | null {
    return this.tid;
  }

  /** Readiness fails from now on (the learner failed for good). */
  markFailed(): void {
    this.post({ type: 'failed' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The worker closes its server and finishes a graph load in flight first (see closeGracefully).
    await closeGracefully(this.worker, { type: 'close' } satisfies ToRecallWorker);
    this.fail(new IndexError('the recall API thread is closed'));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private post(msg: ToRecallWorker, transfer: ArrayBuffer[] = []): void {
    if (this.crashed) return;
    this.worker.postMessage(msg, transfer);
  }

  private onMessage(msg: FromRecallWorker): void {
    switch (msg.type) {
      case 'listening':
        this.tid = msg.threadId;
        this.listening?.resolve(msg.address);
        this.listening = null;
        return;
      case 'listenFailed':
        this.listening?.reject(new IndexError(`the recall API could not listen: ${msg.message}`));
        this.listening = null;
        return;
      case 'injected': {
        const pending = this.injections.get(msg.id);
        this.injections.delete(msg.id);
        pending?.resolve(msg.response);
        return;
      }
      case 'versionDone': {
        const v = this.versions.get(msg.seq);
        if (!v) return;
        this.versions.delete(msg.seq);
        void removeAll(v.files).finally(() => {
          if (msg.message !== undefined) v.reject(new IndexError(`the recall API thread could not load a version: ${msg.message}`));
          else v.resolve(msg.live);
        });
        return;
      }
      case 'metricsRequest':
        this.options.registry.metrics().then(
          (body) => this.post({ type: 'metrics', id: msg.id, body }),
          (err: unknown) => this.post({ type: 'metrics', id: msg.id, body: '', error: err instanceof Error ? err.message : String(err) }),
        );
        return;
      case 'internalError':
        this.options.onInternalError?.({ message: msg.message, ...(msg.stack ? { stack: msg.stack } : {}) }, msg.request);
        return;
    }
  }

  private fail(err: Error): void {
    if (this.crashed) return;
    this.crashed = err;
    if (!this.closed) this.options.onCrash?.(err);
    this.listening?.reject(err);
    this.listening = null;
    for (const v of this.versions.values()) {
      void removeAll(v.files);
      v.reject(err);
    }
    this.versions.clear();
    for (const pending of this.injections.values()) pending.reject(err);
    this.injections.clear();
  }
}

async function removeAll(files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })));
}
