import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { BadRequestError, IndexNotReadyError, MicstreamError, UnknownIdError } from '../errors.js';
import type { Channel, RecallService } from './recallService.js';

export interface RecallServerOptions {
  host: string;
  port: number;
  service: RecallService;
  registry: Registry;
  /** Ready = an index is being served. */
  isReady: () => boolean;
}

const CHANNEL_PARAM: Record<Channel, 'user' | 'item'> = { u2i: 'user', u2u: 'user', i2i: 'item', merged: 'user' };
const DEFAULT_K = 20;

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(status: number, code: string, message: string): { error: { status: number; code: string; message: string } } {
  return { error: { status, code, message } };
}

/** Parse and check the query string of a recall request. @throws BadRequestError */
export function parseRecallQuery(channel: Channel, params: URLSearchParams): { id: string; k: number } {
  const idParam = CHANNEL_PARAM[channel];
  for (const key of new Set(params.keys())) {
    if (key !== idParam && key !== 'k') throw new BadRequestError(`unknown parameter "${key}" (expected ${idParam} and optional k)`);
    if (params.getAll(key).length > 1) throw new BadRequestError(`parameter "${key}" given more than once`);
  }
  const id = params.get(idParam);
  if (id === null || id.length === 0) throw new BadRequestError(`missing required parameter "${idParam}"`);
  if (id.length > 256) throw new BadRequestError(`parameter "${idParam}" is longer than 256 characters`);
  const kText = params.get('k');
  let k = DEFAULT_K;
  if (kText !== null) {
    if (!/^\d{1,7}$/.test(kText)) throw new BadRequestError('k must be an integer from 1 to 1000');
    k = Number(kText);
  }
  return { id, k };
}

/**
 * The recall HTTP API (node:http, no framework): GET /v1/recall/{u2i,u2u,i2i,merged}, /healthz,
 * /readyz and /metrics. Client mistakes get a 4xx JSON body {error: {status, code, message}};
 * the process never goes down on a bad request.
 */
export class RecallServer {
  private readonly server: Server;

  constructor(private readonly options: RecallServerOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody(500, 'MICSTREAM_ERR_INTERNAL', err instanceof Error ? err.message : String(err)));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, errorBody(405, 'MICSTREAM_ERR_METHOD', `method ${req.method} is not allowed; use GET`));
    }
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz')
      return this.options.isReady()
        ? send(res, 200, { status: 'ready' })
        : send(res, 503, { status: 'not ready', reason: 'no index published yet' });
    if (path === '/metrics') return send(res, 200, await this.options.registry.metrics(), this.options.registry.contentType);
    const match = /^\/v1\/recall\/(u2i|u2u|i2i|merged)$/.exec(path);
    if (!match)
      return send(
        res,
        404,
        errorBody(
          404,
          'MICSTREAM_ERR_NOT_FOUND',
          `no route ${path}; try /v1/recall/u2i?user=ID, /v1/recall/u2u?user=ID, /v1/recall/i2i?item=ID, /v1/recall/merged?user=ID`,
        ),
      );
    const channel = match[1] as Channel;
    try {
      const { id, k } = parseRecallQuery(channel, url.searchParams);
      return send(res, 200, this.options.service.recall(channel, id, k));
    } catch (err) {
      if (err instanceof BadRequestError) return send(res, 400, errorBody(400, err.code, err.message));
      if (err instanceof UnknownIdError) return send(res, 404, errorBody(404, err.code, err.message));
      if (err instanceof IndexNotReadyError) return send(res, 503, errorBody(503, err.code, err.message));
      if (err instanceof MicstreamError) return send(res, 500, errorBody(500, err.code, err.message));
      throw err;
    }
  }
}
