import type { AnnIndex, Neighbor } from '../index/annIndex.js';
import { vectorTable, type IndexSnapshot } from '../index/indexSnapshot.js';
import type { IndexVectors } from '../index/indexVectors.js';
import { addCooccurrenceLists, cooccurrenceOf } from '../index/itemNeighbours.js';
import { mergedWeightsFromData } from '../index/mergedRecall.js';
import { priorFromData } from '../index/popularityPrior.js';
import { UserCoconsumption } from '../index/userCoconsumption.js';

/** Entries per chunk of a large table. */
const CHUNK_ENTRIES = 1000;

/**
 * A version on its way to the recall API's thread: the version less its large tables, and those
 * tables as JSON chunks of `CHUNK_ENTRIES` entries. Strings cross threads as one copy each, where a
 * structured clone of the tables would decode every entry at once on the receiving thread, and
 * chunks are decoded one at a time with requests answered between them.
 */
export interface VersionTransfer {
  /** `seen`, co-occurrence lists, co-consumption rows and prior logQ left empty: they are in the chunks. */
  light: IndexVectors;
  seen: string[];
  cooccurrence: string[];
  coconsumptionWindows: string[];
  coconsumptionUsersOf: string[];
  priorLogQ: string[];
}

/** What a recall server serves from one version: its snapshot and the users' seen items. */
export interface ServedVersion {
  snapshot: IndexSnapshot;
  seenItems(userId: string): ReadonlySet<string>;
}

function chunks(entries: readonly unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < entries.length; i += CHUNK_ENTRIES) out.push(JSON.stringify(entries.slice(i, i + CHUNK_ENTRIES)));
  return out;
}

export function toTransfer(v: IndexVectors): VersionTransfer {
  const light: IndexVectors = { ...v, seen: {} };
  if (v.cooccurrence) light.cooccurrence = { ...v.cooccurrence, lists: [] };
  if (v.coconsumption) light.coconsumption = { ...v.coconsumption, table: { ...v.coconsumption.table, windows: [], usersOf: [] } };
  if (v.prior) light.prior = { ...v.prior, logQ: [] };
  return {
    light,
    seen: chunks(Object.entries(v.seen)),
    cooccurrence: chunks(v.cooccurrence?.lists ?? []),
    coconsumptionWindows: chunks(v.coconsumption?.table.windows ?? []),
    coconsumptionUsersOf: chunks(v.coconsumption?.table.usersOf ?? []),
    priorLogQ: chunks(v.prior?.logQ ?? []),
  };
}

const EMPTY: ReadonlySet<string> = new Set();

/** The entries of every chunk, `pause` awaited after each. */
async function entriesOf<T>(parts: readonly string[], pause: () => Promise<void>): Promise<T[]> {
  const out: T[] = [];
  for (const part of parts) {
    for (const entry of JSON.parse(part) as T[]) out.push(entry);
    await pause();
  }
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
  for (const [user, list] of await entriesOf<[string, string[]]>(t.seen, pause)) seenRows.set(user, list);
  let cooccurrence: IndexSnapshot['cooccurrence'] = null;
  if (v.cooccurrence) {
    const table = new Map<string, Neighbor[]>();
    for (const part of t.cooccurrence) {
      addCooccurrenceLists(table, JSON.parse(part) as unknown[]);
      await pause();
    }
    cooccurrence = cooccurrenceOf(v.cooccurrence.weight, table);
  }
  let coconsumption: IndexSnapshot['coconsumption'] = null;
  if (v.coconsumption) {
    const { weight, table } = v.coconsumption;
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1))
      throw new RangeError('coconsumption: weight must be a number in [0, 1]');
    const windows = await entriesOf<[number, number[]]>(t.coconsumptionWindows, pause);
    const usersOf = await entriesOf<[number, number[]]>(t.coconsumptionUsersOf, pause);
    coconsumption = { weight, table: await UserCoconsumption.fromDataInSteps({ ...table, windows, usersOf }, pause) };
  }
  const prior = v.prior ? priorFromData({ ...v.prior, logQ: await entriesOf<[string, number]>(t.priorLogQ, pause) }) : null;
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
