import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RecallRoutes, type HttpRequest, type HttpResponse, type RecallRoutesOptions } from './recallRoutes.js';

export { parseRecallQuery } from './recallRoutes.js';

export interface RecallServerOptions extends RecallRoutesOptions {
  host: string;
  port: number;
}

/**
 * The recall API on a socket (node:http, no framework): each request goes to RecallRoutes and its
 * answer is written back. `inject` answers a request without a socket (tests, probes).
 */
export class RecallServer {
  private readonly server: Server;
  private readonly routes: RecallRoutes;

  constructor(private readonly options: RecallServerOptions) {
    this.routes = new RecallRoutes(options);
    this.server = createServer((req, res) => {
      void this.routes.handle({ method: req.method ?? 'GET', url: req.url ?? '/' }).then((r) => {
        const body = req.method === 'HEAD' ? '' : r.body;
        res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
        res.end(body);
      });
    });
    this.server.keepAliveTimeout = 5000;
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
