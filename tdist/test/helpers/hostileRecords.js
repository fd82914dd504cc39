import { EVENT_LIMITS } from '../../src/events/interactionEvent.js';
const DAY_MS = 86_400_000;
/**
 * Generators of malformed interaction records, one per way a producer (or an attacker) gets it
 * wrong: random bytes, broken and non-object JSON, deep nesting, prototype keys, wrong types,
 * huge strings, NaN / negative / huge / future timestamps, tombstones. Each knows the reason the
 * validator must give (docs/ERRORS.md), so a test can count the dead letter by reason.
 * `now` is the wall clock the learner checks future timestamps against.
 */
export function hostileRecordKinds(now) {
    const base = (rng) => ({ userId: `u${rng.int(1000)}`, itemId: `i${rng.int(1000)}`, timestamp: now - rng.int(DAY_MS) });
    const text = (rng, n) => Array.from({ length: n }, () => String.fromCharCode(32 + rng.int(95))).join('');
    const withJson = (reason, make) => (rng) => ({
        value: JSON.stringify(make(rng)),
        reason,
    });
    const kinds = {
        // 0xff never starts valid UTF-8, so the bytes cannot parse as JSON whatever follows.
        random_bytes: (rng) => ({
            value: Buffer.from([0xff, ...Array.from({ length: rng.int(2000) }, () => rng.int(256))]),
            reason: 'not_json',
        }),
        truncated_json: (rng) => {
            const full = JSON.stringify(base(rng));
            return { value: full.slice(0, 1 + rng.int(full.length - 2)), reason: 'not_json' };
        },
        empty: () => ({ value: '', reason: 'not_json' }),
        whitespace: (rng) => ({ value: ' \n\t'.repeat(1 + rng.int(50)), reason: 'not_json' }),
        tombstone: () => ({ value: null, reason: 'not_json' }),
        nan_literal: (rng) => ({ value: `{"userId": "u${rng.int(9)}", "itemId": "i1", "timestamp": NaN}`, reason: 'not_json' }),
        scalar_json: (rng) => ({ value: ['42', '"event"', 'true', 'null', '-0.5e3'][rng.int(5)], reason: 'not_object' }),
        array_json: (rng) => ({ value: JSON.stringify([base(rng)]), reason: 'not_object' }),
        deep_array: (rng) => {
            const depth = 1000 + rng.int(29_000);
            return { value: '['.repeat(depth) + ']'.repeat(depth), reason: 'not_object' };
        },
        deep_object: (rng) => {
            const depth = 500 + rng.int(5000);
            return { value: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), reason: 'missing_field' };
        },
        deep_attribute: (rng) => {
            const depth = 100 + rng.int(5000);
            const e = JSON.stringify({ ...base(rng), userAttributes: { a: 'PLACEHOLDER' } });
            return { value: e.replace('"PLACEHOLDER"', '['.repeat(depth) + ']'.repeat(depth)), reason: 'wrong_type' };
        },
        proto_key: (rng) => ({
            value: JSON.stringify(base(rng)).replace(/}$/, `, "${['__proto__', 'constructor', 'prototype'][rng.int(3)]}": {"polluted": true}}`),
            reason: 'unknown_field',
        }),
        proto_attribute: (rng) => ({
            value: JSON.stringify({ ...base(rng), itemAttributes: { genre: 'x' } }).replace('"genre"', JSON.stringify(['__proto__', 'constructor', 'prototype'][rng.int(3)])),
            reason: 'invalid_value',
        }),
        missing_field: withJson('missing_field', (rng) => {
            const e = base(rng);
            delete e[['userId', 'itemId', 'timestamp'][rng.int(3)]];
            return e;
        }),
        wrong_type: withJson('wrong_type', (rng) => {
            const e = base(rng);
            const field = ['userId', 'itemId', 'timestamp'][rng.int(3)];
            const bad = field === 'timestamp' ? ['NaN', '2020-01-01', true, null, {}, []] : [42, null, true, {}, ['u']];
            e[field] = bad[rng.int(bad.length)];
            return e;
        }),
        infinite_timestamp: (rng) => ({
            value: JSON.stringify(base(rng)).replace(/"timestamp":-?[0-9]+/, '"timestamp": 1e400'),
            reason: 'wrong_type',
        }),
        negative_timestamp: withJson('invalid_value', (rng) => ({ ...base(rng), timestamp: -1 - rng.int(1e9) })),
        huge_timestamp: withJson('invalid_value', (rng) => ({ ...base(rng), timestamp: EVENT_LIMITS.maxTimestamp * (2 + rng.int(1e6)) })),
        future_timestamp: withJson('timestamp_in_future', (rng) => ({ ...base(rng), timestamp: now + 7 * DAY_MS + rng.int(365 * DAY_MS) })),
        bad_weight: withJson('invalid_value', (rng) => ({ ...base(rng), weight: [0, -1, 1e7][rng.int(3)] })),
        empty_id: withJson('invalid_value', (rng) => ({ ...base(rng), itemId: '' })),
        long_id: withJson('string_too_long', (rng) => ({ ...base(rng), userId: text(rng, EVENT_LIMITS.maxIdLength + 1 + rng.int(30_000)) })),
        huge_message: (rng) => ({
            value: JSON.stringify({ ...base(rng), type: text(rng, EVENT_LIMITS.maxMessageBytes + rng.int(100_000)) }),
            reason: 'oversize',
        }),
        unknown_field: withJson('unknown_field', (rng) => ({ ...base(rng), [text(rng, 1 + rng.int(20)).replace(/"/g, '')]: 1, userId: 'u' })),
        many_attributes: withJson('too_many_attributes', (rng) => ({
            ...base(rng),
            userAttributes: Object.fromEntries(Array.from({ length: EVENT_LIMITS.maxAttributes + 1 + rng.int(100) }, (_, i) => [`f${i}`, 'v'])),
        })),
    };
    return Object.fromEntries(Object.entries(kinds).map(([kind, make]) => [kind, (rng) => ({ ...make(rng), kind })]));
}
/** `n` malformed records cycling through every kind (so each kind is tried n / kinds times). */
export function hostileRecords(n, rng, now) {
    const makers = Object.values(hostileRecordKinds(now));
    return Array.from({ length: n }, (_, i) => makers[i % makers.length](rng));
}
//# sourceMappingURL=hostileRecords.js.map