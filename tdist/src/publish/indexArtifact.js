import { createHash } from 'node:crypto';
import { IndexArtifactError } from '../errors.js';
/** What one published index version carries, per channel. */
/**
 * `u2iQueries` is optional (published only when U2I queries differ from the user vectors), and so
 * is `generic` (the list for users without a vector; older learners publish none), as is `prior`
 * (the popularity prior of U2I answers).
 */
export const ARTIFACT_CHANNELS = [
    'users',
    'items',
    'seen',
    'u2iQueries',
    'generic',
    'prior',
    'cooccurrence',
    'fusion',
    'coconsumption',
];
export const ARTIFACT_FORMAT = 'micstream-index-v1';
export function sha256(data) {
    return createHash('sha256').update(data).digest('hex');
}
/** Vectors payload: u32 header length, JSON header {ids, dim}, then float32 little-endian rows. */
export function encodeVectors(ids, vectors, dim) {
    const header = Buffer.from(JSON.stringify({ ids, dim }));
    const out = Buffer.alloc(4 + header.length + vectors.length * 4);
    out.writeUInt32LE(header.length, 0);
    header.copy(out, 4);
    for (let i = 0; i < vectors.length; i++)
        out.writeFloatLE(vectors[i], 4 + header.length + i * 4);
    return out;
}
export function decodeVectors(payload) {
    try {
        const headerLength = payload.readUInt32LE(0);
        const header = JSON.parse(payload.subarray(4, 4 + headerLength).toString('utf8'));
        const body = payload.subarray(4 + headerLength);
        if (body.length !== header.ids.length * header.dim * 4)
            throw new Error(`expected ${header.ids.length * header.dim * 4} vector bytes, found ${body.length}`);
        const vectors = new Float32Array(header.ids.length * header.dim);
        for (let i = 0; i < vectors.length; i++)
            vectors[i] = body.readFloatLE(i * 4);
        return { ids: header.ids, dim: header.dim, vectors };
    }
    catch (err) {
        throw new IndexArtifactError('vector payload is malformed', err);
    }
}
export function chunk(payload, chunkBytes) {
    const out = [];
    for (let off = 0; off < payload.length; off += chunkBytes)
        out.push(payload.subarray(off, off + chunkBytes));
    if (out.length === 0)
        out.push(Buffer.alloc(0));
    return out;
}
//# sourceMappingURL=indexArtifact.js.map