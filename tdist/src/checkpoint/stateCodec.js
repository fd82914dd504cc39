import { CheckpointError } from '../errors.js';
const TYPED = {
    f32: Float32Array,
    f64: Float64Array,
    i32: Int32Array,
    u32: Uint32Array,
    u8: Uint8Array,
};
const REF = '$typed';
const ALIGN = 8;
function kindOf(value) {
    if (value instanceof Float32Array)
        return 'f32';
    if (value instanceof Float64Array)
        return 'f64';
    if (value instanceof Int32Array)
        return 'i32';
    if (value instanceof Uint32Array)
        return 'u32';
    if (value instanceof Uint8Array)
        return 'u8';
    return null;
}
export function encodeState(state) {
    const blobs = [];
    let size = 0;
    const offsets = [];
    const walk = (value) => {
        if (value === null || typeof value !== 'object') {
            if (typeof value === 'number' && !Number.isFinite(value))
                throw new CheckpointError(`state holds a non-finite number (${value})`);
            return value;
        }
        const kind = kindOf(value);
        if (kind) {
            const typed = value;
            offsets.push(size);
            blobs.push(typed);
            const at = size;
            size += Math.ceil(typed.byteLength / ALIGN) * ALIGN;
            return { [REF]: kind, offset: at, length: typed.length };
        }
        // Copy on write: a branch with nothing to replace (most of a state: arrays of ids and numbers)
        // is handed to JSON.stringify as it is, not rebuilt.
        if (Array.isArray(value)) {
            let out = null;
            for (let i = 0; i < value.length; i++) {
                const item = value[i];
                const written = walk(item);
                if (out)
                    out.push(written);
                else if (written !== item)
                    (out = value.slice(0, i)).push(written);
            }
            return out ?? value;
        }
        if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set)
            throw new CheckpointError(`state holds a ${value.constructor.name}: give toData arrays instead`);
        let out = null;
        const entries = Object.entries(value);
        for (let i = 0; i < entries.length; i++) {
            const [k, v] = entries[i];
            const written = walk(v);
            if (!out && (written !== v || k.startsWith('$'))) {
                out = {};
                for (const [before, w] of entries.slice(0, i))
                    if (w !== undefined)
                        out[before] = w;
            }
            if (out && written !== undefined)
                out[k.startsWith('$') ? `$${k}` : k] = written;
        }
        return out ?? value;
    };
    const json = new TextEncoder().encode(JSON.stringify(walk(state)));
    const binary = new Uint8Array(size);
    blobs.forEach((typed, i) => binary.set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), offsets[i]));
    return { json, binary };
}
export function decodeState(encoded) {
    const { binary } = encoded;
    // The parsed tree is this function's own: references are replaced in place, not by a rebuilt tree.
    const walk = (value) => {
        if (value === null || typeof value !== 'object')
            return value;
        if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) {
                const item = value[i];
                if (item !== null && typeof item === 'object')
                    value[i] = walk(item);
            }
            return value;
        }
        const record = value;
        if (typeof record[REF] === 'string') {
            const kind = record[REF];
            const Ctor = TYPED[kind];
            const offset = record.offset;
            const length = record.length;
            if (!Ctor || !Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0)
                throw new CheckpointError(`malformed typed-array reference ${JSON.stringify(record)}`);
            const bytes = length * Ctor.BYTES_PER_ELEMENT;
            if (offset + bytes > binary.byteLength)
                throw new CheckpointError(`typed array at ${offset} (+${bytes} bytes) runs past the binary part`);
            // A copy: aligned for any element size, and independent of the buffer it was read into.
            const copy = new Uint8Array(bytes);
            copy.set(binary.subarray(offset, offset + bytes));
            return new Ctor(copy.buffer);
        }
        let escaped = false;
        for (const k of Object.keys(record)) {
            if (k.startsWith('$$'))
                escaped = true;
            const item = record[k];
            if (item !== null && typeof item === 'object')
                record[k] = walk(item);
        }
        if (!escaped)
            return record;
        const out = {};
        for (const [k, v] of Object.entries(record))
            out[k.startsWith('$$') ? k.slice(1) : k] = v;
        return out;
    };
    let parsed;
    try {
        parsed = JSON.parse(new TextDecoder().decode(encoded.json));
    }
    catch (error) {
        throw new CheckpointError('the state JSON does not parse', error);
    }
    return walk(parsed);
}
/**
 * A state object as checkpoint parts: each top-level field (lower-case names) its own `<field>.json`
 * and `<field>.bin`, so no single JSON text has to hold the whole state (V8 strings end near 512 MB).
 */
export function stateToParts(state) {
    const parts = {};
    for (const [field, value] of Object.entries(state)) {
        if (!/^[a-z][a-z0-9]*$/.test(field))
            throw new CheckpointError(`state field "${field}" cannot name a part`);
        const { json, binary } = encodeState(value);
        parts[`${field}.json`] = json;
        if (binary.byteLength > 0)
            parts[`${field}.bin`] = binary;
    }
    return parts;
}
/** The state `stateToParts` wrote (every `<field>.json` part with its `.bin`). */
export function stateFromParts(parts) {
    const out = {};
    for (const [name, json] of Object.entries(parts)) {
        if (!name.endsWith('.json'))
            continue;
        const field = name.slice(0, -'.json'.length);
        out[field] = decodeState({ json, binary: parts[`${field}.bin`] ?? new Uint8Array(0) });
    }
    return out;
}
//# sourceMappingURL=stateCodec.js.map