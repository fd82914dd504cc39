import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, INVALID_EVENT_REASONS, InvalidEventError, MicstreamError, IndexNotReadyError } from '../src/errors.js';

const doc = readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8');

test('every error code is documented in docs/ERRORS.md and every documented code exists', () => {
  for (const code of Object.values(ERROR_CODES)) assert.ok(doc.includes(`\`${code}\``), `${code} missing from docs/ERRORS.md`);
  const documented = [...doc.matchAll(/`(MICSTREAM_ERR_[A-Z_]+)`/g)].map((m) => m[1]);
  const known = new Set<string>([
    ...Object.values(ERROR_CODES),
    'MICSTREAM_ERR_NOT_FOUND',
    'MICSTREAM_ERR_METHOD',
    'MICSTREAM_ERR_INTERNAL',
  ]);
  for (const code of documented) assert.ok(known.has(code!), `docs/ERRORS.md documents unknown code ${code}`);
});

test('every invalid-event reason is documented', () => {
  for (const reason of INVALID_EVENT_REASONS) assert.ok(doc.includes(`\`${reason}\``), `reason ${reason} missing from docs/ERRORS.md`);
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
