import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, HTTP_STATUS, httpError, INVALID_EVENT_REASONS, InvalidEventError, MicstreamError, IndexNotReadyError, IndexError, } from '../src/errors.js';
const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');
test('every error code is documented in docs/ERRORS.md and every documented code exists', () => {
    for (const code of Object.values(ERROR_CODES))
        assert.ok(doc.includes(`\`${code}\``), `${code} missing from docs/ERRORS.md`);
    const documented = [...doc.matchAll(/`(MICSTREAM_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
    const known = new Set(Object.values(ERROR_CODES));
    for (const code of documented)
        assert.ok(known.has(code), `docs/ERRORS.md documents unknown code ${code}`);
});
test('every invalid-event reason is documented', () => {
    for (const reason of INVALID_EVENT_REASONS)
        assert.ok(doc.includes(`\`${reason}\``), `reason ${reason} missing from docs/ERRORS.md`);
});
test('errors carry code, retriable and cause', () => {
    const cause = new SyntaxError('x');
    const err = new InvalidEventError('not_json', 'bad', undefined, { cause });
    assert.ok(err instanceof MicstreamError);
    assert.equal(err.code, ERROR_CODES.INVALID_EVENT);
    assert.equal(err.retriable, false);
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'InvalidEventError');
    assert.equal(new IndexNotReadyError().retriable, true);
});
test('HTTP statuses: each catalogued status is the one docs/ERRORS.md gives; anything else answers 500', () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
        const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\``));
        assert.ok(row, `${code} has a row`);
        assert.ok(row.includes(`HTTP ${status}`), `${code}: docs/ERRORS.md should say HTTP ${status}`);
    }
    assert.equal(httpError(new IndexNotReadyError()).status, 503);
    assert.deepEqual(httpError(new IndexError('x')).body.error, { status: 500, code: 'MICSTREAM_ERR_INDEX', message: 'x' });
    const bug = httpError(new TypeError('internals'));
    assert.equal(bug.status, 500);
    assert.equal(bug.body.error.code, 'MICSTREAM_ERR_INTERNAL');
    assert.ok(!bug.body.error.message.includes('internals'));
});
//# sourceMappingURL=errors.test.js.map