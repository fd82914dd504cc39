import { z } from 'zod';
import { InvalidEventError } from '../errors.js';
/** Limits that keep one hostile event from costing memory; oversize input is rejected, not truncated. */
export const EVENT_LIMITS = {
    maxMessageBytes: 64 * 1024,
    maxIdLength: 256,
    maxAttributes: 64,
    maxAttributeValueLength: 256,
    maxValuesPerAttribute: 32,
    /** The latest instant a JavaScript Date can hold (ms): a timestamp past it is no time at all. */
    maxTimestamp: 8.64e15,
};
/**
 * Attribute names that mean something to every JavaScript object: a parser drops or misreads them
 * (`{"__proto__": [..]}` parses to an empty record), so an event carrying one is rejected, not
 * silently changed.
 */
const RESERVED_ATTRIBUTE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const id = z.string().min(1).max(EVENT_LIMITS.maxIdLength);
const attrValue = z.union([
    z.string().max(EVENT_LIMITS.maxAttributeValueLength),
    z.array(z.string().max(EVENT_LIMITS.maxAttributeValueLength)).max(EVENT_LIMITS.maxValuesPerAttribute),
]);
const attributes = z
    .record(z.string().min(1).max(EVENT_LIMITS.maxIdLength), attrValue)
    .refine((r) => Object.keys(r).length <= EVENT_LIMITS.maxAttributes, {
    message: `at most ${EVENT_LIMITS.maxAttributes} attributes`,
    params: { reason: 'too_many_attributes' },
});
export const interactionEventSchema = z.strictObject({
    userId: id,
    itemId: id,
    timestamp: z.number().finite().nonnegative().max(EVENT_LIMITS.maxTimestamp),
    weight: z.number().finite().positive().max(1e6).optional(),
    type: z.string().max(64).optional(),
    userAttributes: attributes.optional(),
    itemAttributes: attributes.optional(),
});
function reasonOf(issue, input) {
    switch (issue.code) {
        case 'unrecognized_keys':
            return 'unknown_field';
        case 'invalid_type': {
            const value = valueAt(input, issue.path);
            return value === undefined ? 'missing_field' : 'wrong_type';
        }
        case 'too_big':
            return issue.origin === 'string'
                ? 'string_too_long'
                : issue.path.length > 0 && issue.origin === 'array'
                    ? 'too_many_attributes'
                    : 'invalid_value';
        case 'custom':
            return issue.params?.reason ?? 'invalid_value';
        case 'invalid_union': {
            // A union of string | string[]: the branch that got past the type check says what is wrong.
            const branch = issue.errors.find((issues) => issues.length > 0 && issues[0].code !== 'invalid_type') ?? issue.errors[0];
            const inner = branch?.[0];
            return inner ? reasonOf({ ...inner, path: [...issue.path, ...inner.path] }, input) : 'wrong_type';
        }
        default:
            return 'invalid_value';
    }
}
function valueAt(input, path) {
    let cur = input;
    for (const key of path) {
        if (cur === null || typeof cur !== 'object')
            return undefined;
        cur = cur[key];
    }
    return cur;
}
/**
 * Validate an already-parsed value as an InteractionEvent.
 * @throws InvalidEventError (MICSTREAM_ERR_INVALID_EVENT) naming the first problem and its reason.
 */
export function validateEvent(input) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new InvalidEventError('not_object', 'event must be a JSON object');
    }
    // Before the schema: its record parser drops a `__proto__` key instead of reporting it.
    for (const field of ['userAttributes', 'itemAttributes']) {
        const attrs = input[field];
        if (attrs === null || typeof attrs !== 'object')
            continue;
        const name = Object.keys(attrs).find((n) => RESERVED_ATTRIBUTE_NAMES.has(n));
        if (name !== undefined)
            throw new InvalidEventError('invalid_value', `${field}.${name}: reserved attribute name (__proto__, constructor, prototype)`, `${field}.${name}`);
    }
    const parsed = interactionEventSchema.safeParse(input);
    if (parsed.success)
        return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : undefined);
    throw new InvalidEventError(reasonOf(issue, input), `${field ?? 'event'}: ${issue.message}`, field);
}
/**
 * Decode raw bytes or text (JSON) into a validated event; objects are validated as they are.
 * @throws InvalidEventError for non-JSON, oversize or schema-violating input.
 */
export function decodeEvent(raw) {
    if (typeof raw === 'string' || raw instanceof Uint8Array) {
        const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
        if (bytes > EVENT_LIMITS.maxMessageBytes) {
            throw new InvalidEventError('oversize', `message is ${bytes} bytes, limit ${EVENT_LIMITS.maxMessageBytes}`);
        }
        const text = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
        let value;
        try {
            value = JSON.parse(text);
        }
        catch (err) {
            throw new InvalidEventError('not_json', 'message is not valid JSON', undefined, { cause: err });
        }
        return validateEvent(value);
    }
    return validateEvent(raw);
}
export function tryDecodeEvent(raw) {
    try {
        return { ok: true, event: decodeEvent(raw), raw };
    }
    catch (err) {
        if (err instanceof InvalidEventError)
            return { ok: false, error: err, raw };
        throw err;
    }
}
/**
 * A decoded event stamped after `latestAllowed` (ms) turned into an invalid one: the stream clock
 * follows the newest timestamp, so one event from the far future would age every id at once.
 */
export function rejectFutureEvent(result, latestAllowed) {
    if (!result.ok || result.event.timestamp <= latestAllowed)
        return result;
    const error = new InvalidEventError('timestamp_in_future', `timestamp: ${result.event.timestamp} is ${new Date(Math.min(result.event.timestamp, EVENT_LIMITS.maxTimestamp)).toISOString()}, ` +
        `after the latest accepted ${new Date(latestAllowed).toISOString()}`, 'timestamp');
    return { ok: false, error, raw: result.raw };
}
export function encodeEvent(event) {
    return JSON.stringify(event);
}
//# sourceMappingURL=interactionEvent.js.map