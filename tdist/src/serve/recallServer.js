import { createServer } from 'node:http';
import { RecallRoutes } from './recallRoutes.js';
export { parseRecallQuery } from './recallRoutes.js';
/** Defaults of the caps above (the CLI's knobs have the same). */
export const SERVER_LIMITS = { maxConnections: 1024, headersTimeoutMs: 10_000 };
/**
 * The recall API on a socket (node:http, no framework): each request goes to RecallRoutes and its
 * answer is written back. `inject` answers a request without a socket (tests, probes).
 */
export class RecallServer {
    options;
    server;
    routes;
    constructor(options) {
        this.options = options;
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
        if (cap > 0)
            this.server.maxConnections = cap;
    }
    /** Answer a request without the socket, exactly as the server would. */
    inject(request) {
        return this.routes.handle(request);
    }
    async listen() {
        await new Promise((resolve, reject) => {
            this.server.once('error', reject);
            this.server.listen(this.options.port, this.options.host, () => {
                this.server.off('error', reject);
                resolve();
            });
        });
        return this.server.address();
    }
    async close() {
        this.server.closeIdleConnections();
        await new Promise((resolve) => this.server.close(() => resolve()));
    }
}
//# sourceMappingURL=recallServer.js.map