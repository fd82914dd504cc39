import type { AnnIndex, Neighbor } from '../index/annIndex.js';
import { vectorTable, type IndexSnapshot } from '../index/indexSnapshot.js';
import type { IndexVectors } from '../index/indexVectors.js';
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

/** The large tables of a version, each handed over as chunks. */
export type TransferTable = 'seen' | 'cooccurrence' | 'coconsumptionWindows' | 'coconsumptionUsersOf' | 'priorLogQ';

/**
 * A version on its way to the recall API's thread: the version less its large tables, and those
 * tables as UTF-8 JSON chunks of about `CHUNK_CHARS` characters, back to back in one buffer. The buffer and
 * the vectors' buffers are transferred, not copied (`transferList`): a structured clone of strings or
 * tables would allocate and copy all of them at once on the receiving thread, holding its requests;
 * the chunks are decoded one at a time there, with requests answered between them.
 */
export interface VersionTransfer {
  /** `seen`, co-occurrence lists, co-consumption rows and prior logQ left empty: they are in `bytes`. Vectors are copies. */
  light: IndexVectors;
  bytes: Uint8Array;
  /** Per table, the byte offsets of its chunks in `bytes`: where the first starts, then where each ends. */
  bounds: Record<TransferTable, number[]>;
}

/** What a recall server serves from one version: its snapshot and the users' seen items. */
export interface ServedVersion {
  snapshot: IndexSnapshot;
  seenItems(userId: string): ReadonlySet<string>;
}

/** `entries` as JSON arrays of whole entries, each cut once it reaches `CHUNK_CHARS` characters. */
function chunks(entries: readonly unknown[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
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
  if (part.length > 0) out.push(`[${part.join(',')}]`);
  return out;
}

/** `tables`' chunks encoded back to back into one buffer, with each chunk's end offset. */
function encodeTables(tables: Record<TransferTable, string[]>): Pick<VersionTransfer, 'bytes' | 'bounds'> {
  let total = 0;
  for (const parts of Object.values(tables)) for (const part of parts) total += Buffer.byteLength(part, 'utf8');
  const bytes = new Uint8Array(total);
  const encoder = new TextEncoder();
  const bounds = {} as Record<TransferTable, number[]>;
  let at = 0;
  for (const [table, parts] of Object.entries(tables) as [TransferTable, string[]][]) {
    bounds[table] = [at, ...parts.map((part) => (at += encoder.encodeInto(part, bytes.subarray(at)).written))];
  }
  return { bytes, bounds };
}

const copyOf = <T extends { ids: string[]; vectors: Float32Array }>(side: T): T => ({ ...side, vectors: side.vectors.slice() });

export function toTransfer(v: IndexVectors): VersionTransfer {
  const light: IndexVectors = { ...v, users: copyOf(v.users), items: copyOf(v.items), seen: {} };
  if (v.u2iQueries) light.u2iQueries = copyOf(v.u2iQueries);
  if (v.cooccurrence) light.cooccurrence = { ...v.cooccurrence, lists: [] };
  if (v.coconsumption) light.coconsumption = { ...v.coconsumption, table: { ...v.coconsumption.table, windows: [], usersOf: [] } };
  if (v.prior) light.prior = { ...v.prior, logQ: [] };
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
export function transferList(t: VersionTransfer): ArrayBuffer[] {
  const sides = [t.light.users, t.light.items, ...(t.light.u2iQueries ? [t.light.u2iQueries] : [])];
  return [t.bytes.buffer as ArrayBuffer, ...sides.map((side) => side.vectors.buffer as ArrayBuffer)];
}

const EMPTY: ReadonlySet<string> = new Set();

/** Each chunk of `table` as parsed JSON, `pause` awaited after each. */
async function* chunksOf(t: VersionTransfer, table: TransferTable, pause: () => Promise<void>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  const bounds = t.bounds[table];
  for (let c = 1; c < bounds.length; c++) {
    yield JSON.parse(decoder.decode(t.bytes.subarray(bounds[c - 1], bounds[c])));
    await pause();
  }
}

/** The entries of every chunk of `table`, `pause` awaited after each chunk. */
async function entriesOf<T>(t: VersionTransfer, table: TransferTable, pause: () => Promise<void>): Promise<T[]> {
  const out: T[] = [];
  for await (const part of chunksOf(t, table, pause)) for (const entry of part as T[]) out.push(entry);
  return out;
}

/**
 * The served version of a transfer, over indexes of its vectors that the caller built or loaded,
 * decoded a chunk at a time (`pause` between: the caller answers requests meanwhile). The version's
 * creation time is its version number. Each user's seen set is made on first use.
 * @throws RangeError for malformed tables.
 */
export async function servedVersion(
  t: VersionTransfer,
  users: AnnIndex,
  items: AnnIndex,
  pause: () => Promise<void>,
): Promise<ServedVersion> {
  const v = t.light;
  const seenRows = new Map<string, readonly string[]>();
  for (const [user, list] of await entriesOf<[string, string[]]>(t, 'seen', pause)) seenRows.set(user, list);
  let cooccurrence: IndexSnapshot['cooccurrence'] = null;
  if (v.cooccurrence) {
    const table = new Map<string, Neighbor[]>();
    for await (const part of chunksOf(t, 'cooccurrence', pause)) addCooccurrenceLists(table, part as unknown[]);
    cooccurrence = cooccurrenceOf(v.cooccurrence.weight, table, v.cooccurrence.genericWeight);
  }
  let coconsumption: IndexSnapshot['coconsumption'] = null;
  if (v.coconsumption) {
    const { weight, table } = v.coconsumption;
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1))
      throw new RangeError('coconsumption: weight must be a number in [0, 1]');
    const windows = await entriesOf<[number, number[]]>(t, 'coconsumptionWindows', pause);
    const usersOf = await entriesOf<[number, number[]]>(t, 'coconsumptionUsersOf', pause);
    coconsumption = { weight, table: await UserCoconsumption.fromDataInSteps({ ...table, windows, usersOf }, pause) };
  }
  const prior = v.prior ? priorFromData({ ...v.prior, logQ: await entriesOf<[string, number]>(t, 'priorLogQ', pause) }) : null;
  const snapshot: IndexSnapshot = {
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
  const sets = new Map<string, ReadonlySet<string>>();
  const seenItems = (userId: string): ReadonlySet<string> => {
    let set = sets.get(userId);
    if (!set) {
      const list = seenRows.get(userId);
      if (!list) return EMPTY;
      sets.set(userId, (set = new Set(list)));
    }
    return set;
  };
  return { snapshot, seenItems };
}
