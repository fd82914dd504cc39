import { vectorTable } from '../index/indexSnapshot.js';
import { addCooccurrenceLists, cooccurrenceOf } from '../index/itemNeighbours.js';
import { mergedWeightsFromData } from '../index/mergedRecall.js';
import { priorFromData } from '../index/popularityPrior.js';
import { UserCoconsumption } from '../index/userCoconsumption.js';
/**
 * Characters of JSON per chunk of a large table: entries differ a hundredfold in size (a seen list,
 * an item's co-occurrence list), so chunks are cut by size, each small enough to decode between
 * two requests.
 */
const CHUNK_CHARS = 32 * 1024;
/** `entries` as JSON arrays of whole entries, each cut once it reaches `CHUNK_CHARS` characters. */
function chunks(entries) {
    const out = [];
    let part = [];
    let chars = 0;
    for (const entry of entries) {
        const json = JSON.stringify(entry);
        part.push(json);
        chars += json.length + 1;
        if (chars >= CHUNK_CHARS) {
            out.push(`[${part.join(',')}]`);
            [part, chars] = [[], 0];
        }
    }
    if (part.length > 0)
        out.push(`[${part.join(',')}]`);
    return out;
}
/** `tables`' chunks encoded back to back into one buffer, with each chunk's end offset. */
function encodeTables(tables) {
    let total = 0;
    for (const parts of Object.values(tables))
        for (const part of parts)
            total += Buffer.byteLength(part, 'utf8');
    const bytes = new Uint8Array(total);
    const encoder = new TextEncoder();
    const bounds = {};
    let at = 0;
    for (const [table, parts] of Object.entries(tables)) {
        bounds[table] = [at, ...parts.map((part) => (at += encoder.encodeInto(part, bytes.subarray(at)).written))];
    }
    return { bytes, bounds };
}
const copyOf = (side) => ({ ...side, vectors: side.vectors.slice() });
export function toTransfer(v) {
    const light = { ...v, users: copyOf(v.users), items: copyOf(v.items), seen: {} };
    if (v.u2iQueries)
        light.u2iQueries = copyOf(v.u2iQueries);
    if (v.cooccurrence)
        light.cooccurrence = { ...v.cooccurrence, lists: [] };
    if (v.coconsumption)
        light.coconsumption = { ...v.coconsumption, table: { ...v.coconsumption.table, windows: [], usersOf: [] } };
    if (v.prior)
        light.prior = { ...v.prior, logQ: [] };
    return {
        light,
        ...encodeTables({
            seen: chunks(Object.entries(v.seen)),
            cooccurrence: chunks(v.cooccurrence?.lists ?? []),
            coconsumptionWindows: chunks(v.coconsumption?.table.windows ?? []),
            coconsumptionUsersOf: chunks(v.coconsumption?.table.usersOf ?? []),
            priorLogQ: chunks(v.prior?.logQ ?? []),
        }),
    };
}
/** The buffers `postMessage` moves to the receiving thread with a transfer (the sender must not use them after). */
export function transferList(t) {
    const sides = [t.light.users, t.light.items, ...(t.light.u2iQueries ? [t.light.u2iQueries] : [])];
    return [t.bytes.buffer, ...sides.map((side) => side.vectors.buffer)];
}
const EMPTY = new Set();
/** Each chunk of `table` as parsed JSON, `pause` awaited after each. */
async function* chunksOf(t, table, pause) {
    const decoder = new TextDecoder();
    const bounds = t.bounds[table];
    for (let c = 1; c < bounds.length; c++) {
        yield JSON.parse(decoder.decode(t.bytes.subarray(bounds[c - 1], bounds[c])));
        await pause();
    }
}
/** The entries of every chunk of `table`, `pause` awaited after each chunk. */
async function entriesOf(t, table, pause) {
    const out = [];
    for await (const part of chunksOf(t, table, pause))
        for (const entry of part)
            out.push(entry);
    return out;
}
/**
 * The served version of a transfer, over indexes of its vectors that the caller built or loaded,
 * decoded a chunk at a time (`pause` between: the caller answers requests meanwhile). The version's
 * creation time is its version number. Each user's seen set is made on first use.
 * @throws RangeError for malformed tables.
 */
export async function servedVersion(t, users, items, pause) {
    const v = t.light;
    const seenRows = new Map();
    for (const [user, list] of await entriesOf(t, 'seen', pause))
        seenRows.set(user, list);
    let cooccurrence = null;
    if (v.cooccurrence) {
        const table = new Map();
        for await (const part of chunksOf(t, 'cooccurrence', pause))
            addCooccurrenceLists(table, part);
        cooccurrence = cooccurrenceOf(v.cooccurrence.weight, table);
    }
    let coconsumption = null;
    if (v.coconsumption) {
        const { weight, table } = v.coconsumption;
        if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1))
            throw new RangeError('coconsumption: weight must be a number in [0, 1]');
        const windows = await entriesOf(t, 'coconsumptionWindows', pause);
        const usersOf = await entriesOf(t, 'coconsumptionUsersOf', pause);
        coconsumption = { weight, table: await UserCoconsumption.fromDataInSteps({ ...table, windows, usersOf }, pause) };
    }
    const prior = v.prior ? priorFromData({ ...v.prior, logQ: await entriesOf(t, 'priorLogQ', pause) }) : null;
    const snapshot = {
        version: v.version,
        createdAt: v.version,
        trainedEvents: v.trainedEvents,
        users,
        items,
        u2iQueries: v.u2iQueries ? vectorTable(v.u2iQueries.ids, v.u2iQueries.vectors) : null,
        generic: v.generic ?? null,
        prior,
        cooccurrence,
        coconsumption,
        mergedWeights: v.mergedWeights ? mergedWeightsFromData(v.mergedWeights) : null,
    };
    const sets = new Map();
    const seenItems = (userId) => {
        let set = sets.get(userId);
        if (!set) {
            const list = seenRows.get(userId);
            if (!list)
                return EMPTY;
            sets.set(userId, (set = new Set(list)));
        }
        return set;
    };
    return { snapshot, seenItems };
}
//# sourceMappingURL=versionTransfer.js.map