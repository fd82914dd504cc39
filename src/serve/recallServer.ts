import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecallRoutes, type HttpRequest, type HttpResponse, type RecallRoutesOptions } from './recallRoutes.js';

export { parseRecallQuery } from './recallRoutes.js';

export interface RecallServerOptions extends RecallRoutesOptions {
  host: string;
  port: number;
  /** Open connections at most; further ones are closed at once (0 = no cap). */
  maxConnections?: number;
  /** A request's headers must arrive within this time, its whole request within twice it (slow clients cannot hold sockets). */
  headersTimeoutMs?: number;
}

/** A recall API the job runs: on this thread (RecallServer) or on its own (RecallThread). */
export interface RecallApi {
  listen(): Promise<AddressInfo>;
  /** Answer a request without the socket, exactly as the server would. */
  inject(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** Defaults of the caps above (the CLI's knobs have the same). */
export const SERVER_LIMITS = { maxConnections: 1024, headersTimeoutMs: 10_000 } as const;

/**
 * The recall API on a socket (node:http, no framework): each request goes to RecallRoutes and its
 * answer is written back. `inject` answers a request without a socket (tests, probes).
 */
export class RecallServer implements RecallApi {
  private readonly server: Server;
  private readonly routes: RecallRoutes;

  constructor(private readonly options: RecallServerOptions) {
    this.routes = new RecallRoutes(options);
    const headersTimeout = options.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs;
    // Node checks the header and request timeouts on this interval (30 s by default, too coarse for a short timeout).
    const checking = { headersTimeout, requestTimeout: 2 * headersTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout) };
    this.server = createServer(checking, (req, res) => {
      void this.routes.handle({ method: req.method ?? 'GET', url: req.url ?? '/' }).then((r) => {
        const body = req.method === 'HEAD' ? '' : r.body;
        res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
        res.end(body);
      });
    });
    this.server.keepAliveTimeout = 5000;
    const cap = options.maxConnections ?? SERVER_LIMITS.maxConnections;
    if (cap > 0) this.server.maxConnections = cap;
  }

  /** Answer a request without the socket, exactly as the server would. */
  inject(request: HttpRequest): Promise<HttpResponse> {
    return this.routes.handle(request);
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
}
