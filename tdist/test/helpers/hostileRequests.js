import { connect } from 'node:net';
const CHANNELS = ['u2i', 'u2u', 'i2i', 'merged'];
const BAD_K = ['-1', '0', 'abc', '1e309', 'NaN', '1.5', '99999999999999999999', '', '%00', '0x10', '10abc', ' 5', '-0', 'Infinity'];
const ODD_IDS = [
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '%F0%9F%98%80',
    '%C3%28',
    '%00',
    '%zz',
    '%',
    '..%2F..%2Fetc%2Fpasswd',
    '%E2%80%AE',
    '<script>alert(1)</script>',
    "'%20OR%201=1--",
];
function request(method, target, headers = [], body = '', version = 'HTTP/1.1') {
    const lines = [`${method} ${target} ${version}`, 'Host: localhost', 'Connection: close', ...headers];
    if (body)
        lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}
/**
 * Generators of hostile requests to the recall API: broken query values, odd and huge ids,
 * invalid percent-encoding, traversal and absolute-form targets, every other method with a
 * body, header bombs, bad framing, random bytes. `knownUser` / `knownItem` let some of them hit a
 * real entity with broken parameters around it.
 */
export function hostileRequestKinds(knownUser, knownItem) {
    const pick = (rng, xs) => xs[rng.int(xs.length)];
    const entity = (channel) => (channel === 'i2i' ? `item=${knownItem}` : `user=${knownUser}`);
    return {
        bad_k: (rng) => {
            const c = pick(rng, CHANNELS);
            return request('GET', `/v1/recall/${c}?${entity(c)}&k=${pick(rng, BAD_K)}`);
        },
        odd_id: (rng) => {
            const c = pick(rng, CHANNELS);
            return request('GET', `/v1/recall/${c}?${c === 'i2i' ? 'item' : 'user'}=${pick(rng, ODD_IDS)}&k=${1 + rng.int(50)}`);
        },
        huge_id: (rng) => request('GET', `/v1/recall/${pick(rng, CHANNELS)}?user=${'x'.repeat(200 + rng.int(12_000))}&item=y`),
        missing_or_duplicate_params: (rng) => request('GET', pick(rng, [
            '/v1/recall/u2i',
            '/v1/recall/i2i?user=a',
            `/v1/recall/u2i?user=${knownUser}&user=b&k=1&k=2`,
            '/v1/recall/u2u?user=&k=5',
            `/v1/recall/merged?user=${knownUser}&strict=maybe`,
            `/v1/recall/u2i?__proto__[k]=1&user=${knownUser}`,
            `/v1/recall/u2i?constructor=1&user=${knownUser}`,
            '/v1/recall/u2i?&&&=&=',
        ])),
        odd_path: (rng) => request('GET', pick(rng, [
            '/',
            '//',
            '/../../etc/passwd',
            '/v1/recall/../metrics',
            '/v1/recall/u2i/extra',
            '/v1/recall/U2I?user=a',
            '/v1/recall/u2x?user=a',
            '/%2e%2e/%2e%2e/',
            '/v1/recall/%75%32%69?user=a',
            `/${'a/'.repeat(2000)}`,
            '/healthz?x=' + '%'.repeat(100),
            '/metrics/../readyz',
        ])),
        absolute_target: (rng) => request('GET', pick(rng, [
            'http://[::1/v1/recall/u2i',
            'http://x:99999/healthz',
            'http://user:pass@host/readyz',
            'https://a/b',
            '*',
            'file:///etc/passwd',
        ])),
        other_method: (rng) => request(pick(rng, ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'FOO', 'PROPFIND']), `/v1/recall/${pick(rng, CHANNELS)}?user=${knownUser}`, ['Content-Type: application/json'], JSON.stringify({ __proto__: { polluted: true }, user: knownUser, k: 1e9 })),
        header_bomb: (rng) => request('GET', `/v1/recall/u2i?user=${knownUser}`, Array.from({ length: 1 + rng.int(3) }, (_, i) => `X-Bomb-${i}: ${'b'.repeat(12_000)}`)),
        many_headers: (rng) => request('GET', '/healthz', Array.from({ length: 100 + rng.int(3000) }, (_, i) => `X-H${i}: v`)),
        bad_header: (rng) => request('GET', '/healthz', [pick(rng, ['Bad Header: x', 'X: \u0001\u0002', ': empty', 'Content-Length: -1', 'Content-Length: abc'])]),
        bad_framing: (rng) => Buffer.from(pick(rng, [
            'GET /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnope\r\n0\r\n\r\n',
            'GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
            'GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n',
            'GET /healthz\r\n\r\n',
            'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
            'GET /healthz HTTP/1.1\nHost: a\n\n',
            'GET  /healthz  HTTP/1.1\r\n\r\n',
        ]), 'latin1'),
        random_bytes: (rng) => Buffer.from([...Array.from({ length: 1 + rng.int(3000) }, () => rng.int(256)), 13, 10, 13, 10]),
    };
}
/** `n` hostile requests cycling through every kind. */
export function hostileRequests(n, rng, knownUser, knownItem) {
    const kinds = Object.entries(hostileRequestKinds(knownUser, knownItem));
    return Array.from({ length: n }, (_, i) => {
        const [kind, make] = kinds[i % kinds.length];
        return { kind, bytes: make(rng) };
    });
}
/** Send raw bytes on a fresh connection, half-close, and read the status line of whatever comes back. */
export function sendRaw(port, bytes, timeoutMs = 10_000) {
    return new Promise((resolve) => {
        let head = '';
        let settled = false;
        const done = (outcome) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            socket.destroy();
            resolve(outcome);
        };
        const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(bytes));
        const timer = setTimeout(() => done('timeout'), timeoutMs);
        socket.on('data', (chunk) => {
            head += chunk.toString('latin1');
            const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
            if (m)
                done(Number(m[1]));
        });
        socket.on('error', (err) => done(err.code === 'ECONNREFUSED' ? 'refused' : 'closed'));
        socket.on('close', () => done('closed'));
    });
}
//# sourceMappingURL=hostileRequests.js.map