import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, encodeEvent, tryDecodeEvent, rejectFutureEvent, EVENT_LIMITS } from '../src/events/interactionEvent.js';
import { InvalidEventError } from '../src/errors.js';
const valid = {
    userId: 'u1',
    itemId: 'i9',
    timestamp: 1700000000000,
    userAttributes: { age: '25-34', tags: ['a', 'b'] },
    itemAttributes: { genre: ['x'] },
};
function reasonOf(raw) {
    const r = tryDecodeEvent(raw);
    assert.equal(r.ok, false, `expected ${JSON.stringify(raw)?.slice(0, 80)} to be invalid`);
    return r.ok ? '' : r.error.reason;
}
test('a valid event round-trips through the codec', () => {
    const e = decodeEvent(encodeEvent(valid));
    assert.deepEqual(e, valid);
    assert.deepEqual(decodeEvent(Buffer.from(JSON.stringify(valid))), valid);
    assert.deepEqual(decodeEvent({ ...valid, weight: 2, type: 'click' }), { ...valid, weight: 2, type: 'click' });
});
test('each way an event can be invalid has its own reason', () => {
    assert.equal(reasonOf('{not json'), 'not_json');
    assert.equal(reasonOf(Buffer.from([0xff, 0x00, 0x7b])), 'not_json');
    assert.equal(reasonOf('[1,2]'), 'not_object');
    assert.equal(reasonOf('null'), 'not_object');
    assert.equal(reasonOf(42), 'not_object');
    assert.equal(reasonOf({ itemId: 'i', timestamp: 1 }), 'missing_field');
    assert.equal(reasonOf({ userId: 'u', itemId: 'i' }), 'missing_field');
    assert.equal(reasonOf({ userId: 7, itemId: 'i', timestamp: 1 }), 'wrong_type');
    assert.equal(reasonOf({ userId: 'u', itemId: 'i', timestamp: '2020-01-01' }), 'wrong_type');
    assert.equal(reasonOf({ ...valid, userAttributes: { age: 5 } }), 'wrong_type');
    assert.equal(reasonOf({ ...valid, extra: true }), 'unknown_field');
    assert.equal(reasonOf({ ...valid, userId: 'x'.repeat(EVENT_LIMITS.maxIdLength + 1) }), 'string_too_long');
    assert.equal(reasonOf({ ...valid, userAttributes: { bio: 'y'.repeat(10_000) } }), 'string_too_long');
    assert.equal(reasonOf(JSON.stringify({ ...valid, userAttributes: { bio: 'z'.repeat(EVENT_LIMITS.maxMessageBytes) } })), 'oversize');
    const many = Object.fromEntries(Array.from({ length: EVENT_LIMITS.maxAttributes + 1 }, (_, i) => [`f${i}`, 'v']));
    assert.equal(reasonOf({ ...valid, userAttributes: many }), 'too_many_attributes');
    assert.equal(reasonOf({ ...valid, itemAttributes: { genre: Array.from({ length: 40 }, (_, i) => `g${i}`) } }), 'too_many_attributes');
    assert.equal(reasonOf({ ...valid, userId: '' }), 'invalid_value');
    assert.equal(reasonOf({ ...valid, timestamp: -5 }), 'invalid_value');
    assert.equal(reasonOf({ ...valid, weight: 0 }), 'invalid_value');
    // Past the last instant a Date can hold: no time at all.
    assert.equal(reasonOf({ ...valid, timestamp: 1e300 }), 'invalid_value');
    assert.equal(reasonOf('{"userId": "u", "itemId": "i", "timestamp": 1e400}'), 'wrong_type');
    // Names every object has: parsed, `{"__proto__": [...]}` would vanish from the record instead of being refused.
    for (const name of ['__proto__', 'constructor', 'prototype']) {
        assert.equal(reasonOf(`{"userId": "u", "itemId": "i", "timestamp": 1, "userAttributes": {"${name}": ["x"]}}`), 'invalid_value', name);
        assert.equal(reasonOf(`{"userId": "u", "itemId": "i", "timestamp": 1, "itemAttributes": {"${name}": "x"}}`), 'invalid_value', name);
    }
    assert.equal(reasonOf('{"userId": "u", "itemId": "i", "timestamp": 1, "__proto__": {"polluted": true}}'), 'unknown_field');
    assert.equal({}.polluted, undefined);
});
test('rejectFutureEvent: an event stamped after the latest accepted instant becomes timestamp_in_future; others pass as they are', () => {
    const now = Date.UTC(2026, 11, 4);
    const at = (timestamp) => tryDecodeEvent({ ...valid, timestamp });
    assert.equal(rejectFutureEvent(at(now), now).ok, true);
    const late = rejectFutureEvent(at(now + 1), now);
    assert.ok(!late.ok && late.error.reason === 'timestamp_in_future' && late.error.field === 'timestamp');
    assert.match(late.ok ? '' : late.error.message, /2026-12-04T00:00:00.001Z/);
    assert.deepEqual(late.raw, { ...valid, timestamp: now + 1 }, 'the raw record is kept for the dead letter');
    const bad = tryDecodeEvent('{oops');
    assert.equal(rejectFutureEvent(bad, now), bad, 'an invalid event keeps its own reason');
});
test('decodeEvent throws a typed error naming the field', () => {
    assert.throws(() => decodeEvent({ userId: 'u', itemId: 3, timestamp: 1 }), (err) => err instanceof InvalidEventError &&
        err.reason === 'wrong_type' &&
        err.field === 'itemId' &&
        err.code === 'MICSTREAM_ERR_INVALID_EVENT');
});
//# sourceMappingURL=events.test.js.map