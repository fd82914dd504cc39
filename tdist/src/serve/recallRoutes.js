import { BadRequestError, httpError, IndexNotReadyError, MethodNotAllowedError, RouteNotFoundError } from '../errors.js';
const CHANNEL_PARAM = { u2i: 'user', u2u: 'user', i2i: 'item', merged: 'user' };
const DEFAULT_K = 20;
/** Parse and check the query string of a recall request. @throws BadRequestError */
export function parseRecallQuery(channel, params) {
    const idParam = CHANNEL_PARAM[channel];
    for (const key of new Set(params.keys())) {
        if (key !== idParam && key !== 'k' && key !== 'strict')
            throw new BadRequestError(`unknown parameter "${key}" (expected ${idParam}, optional k and strict)`);
        if (params.getAll(key).length > 1)
            throw new BadRequestError(`parameter "${key}" given more than once`);
    }
    const id = params.get(idParam);
    if (id === null || id.length === 0)
        throw new BadRequestError(`missing required parameter "${idParam}"`);
    if (id.length > 256)
        throw new BadRequestError(`parameter "${idParam}" is longer than 256 characters`);
    const kText = params.get('k');
    let k = DEFAULT_K;
    if (kText !== null) {
        if (!/^\d{1,7}$/.test(kText))
            throw new BadRequestError('k must be an integer from 1 to 1000');
        k = Number(kText);
    }
    const strictText = params.get('strict');
    if (strictText !== null && !['true', 'false', '1', '0'].includes(strictText))
        throw new BadRequestError('strict must be true or false');
    return { id, k, strict: strictText === 'true' || strictText === '1' };
}
function json(status, body) {
    return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
/**
 * The recall API's routes: GET /v1/recall/{u2i,u2u,i2i,merged}, /healthz, /readyz and /metrics.
 * Every error is answered from the error catalogue (status and code, src/errors.ts) as JSON
 * {error: {status, code, message}}; a request never takes the process down.
 */
export class RecallRoutes {
    options;
    constructor(options) {
        this.options = options;
    }
    async handle(request) {
        try {
            return await this.route(request);
        }
        catch (error) {
            const { status, body } = httpError(error);
            if (status >= 500 && !(error instanceof IndexNotReadyError))
                this.options.onInternalError?.(error, request);
            const response = json(status, body);
            if (error instanceof MethodNotAllowedError)
                response.headers.allow = 'GET, HEAD';
            return response;
        }
    }
    async route(request) {
        if (request.method !== 'GET' && request.method !== 'HEAD')
            throw new MethodNotAllowedError(request.method);
        const url = requestTarget(request.url);
        const path = url.pathname;
        if (path === '/healthz')
            return json(200, { status: 'ok' });
        if (path === '/readyz') {
            if (this.options.isReady())
                return json(200, { status: 'ready' });
            return json(httpError(new IndexNotReadyError()).status, { status: 'not ready', reason: 'no index published yet' });
        }
        if (path === '/metrics')
            return { status: 200, headers: { 'content-type': this.options.registry.contentType }, body: await this.options.registry.metrics() };
        const match = /^\/v1\/recall\/(u2i|u2u|i2i|merged)$/.exec(path);
        if (!match)
            throw new RouteNotFoundError(`no route ${path}; try /v1/recall/u2i?user=ID, /v1/recall/u2u?user=ID, /v1/recall/i2i?item=ID, /v1/recall/merged?user=ID`);
        const channel = match[1];
        const { id, k, strict } = parseRecallQuery(channel, url.searchParams);
        return json(200, this.options.service.recall(channel, id, k, { strict }));
    }
}
/**
 * The request target as a URL. Only the origin form (a path, RFC 9112 3.2.1) is served: an
 * absolute or scheme-relative target (`http://host:99999/`, `//x`) would otherwise name another
 * host or fail to parse.
 * @throws BadRequestError for any other target.
 */
function requestTarget(target) {
    if (target.startsWith('/')) {
        try {
            return new URL(`http://localhost${target}`);
        }
        catch {
            // (an unparseable path falls through to the error below)
        }
    }
    throw new BadRequestError(`request target must be a path such as /v1/recall/u2i?user=ID, got ${JSON.stringify(target.slice(0, 100))}`);
}
//# sourceMappingURL=recallRoutes.js.map