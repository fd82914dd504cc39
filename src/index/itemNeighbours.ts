import type { AnnIndex, Neighbor } from './annIndex.js';
import { fuseNeighbours, type GenericTerm } from './neighbourFusion.js';
import { firstNotIn } from '../util/firstNotIn.js';
import { genericListFor, type GenericItems } from './genericItems.js';

/**
 * A snapshot's co-occurrence I2I source and the weight its answers get against the towers'
 * neighbours: the learner's live table (current at every step), or a table published with the
 * version (written out to `I2I_FUSION_DEPTH` neighbours per item).
 */
export interface CooccurrenceNeighbours {
  /** Weight of the co-occurrence list in the fusion: 0 = the towers' neighbours only, 1 = co-occurrence first. */
  weight: number;
  /**
   * Weight of the snapshot's generic list (what is consumed now, whatever the query) fused on top:
   * absent or 0 = none. Where the next item after any item is mostly a popular one, the learner's
   * checks raise it.
   */
  genericWeight?: number;
  /**
   * The item's `I2I_FUSION_DEPTH` best neighbours by co-occurrence without those in `exclude`, best
   * first (the top is cut before `exclude` is applied, so a table written out to that depth answers
   * the same); null when the item has none.
   */
  neighbours(itemId: string, exclude?: ReadonlySet<string>): Neighbor[] | null;
  /** The items with neighbours (what is written out when the source is published). */
  items(): Iterable<string>;
}

/** Neighbours read from each source before the fusion (and written out per item when published). */
export const I2I_FUSION_DEPTH = 50;

/**
 * The I2I answer of a snapshot: the towers' nearest items, fused with the co-occurrence neighbours
 * (and, at its weight, the returning users' generic list: who looks at an item has trained items)
 * when the snapshot has that source; never `exclude` (which must hold the query item). Null when
 * neither the towers nor co-occurrence know the item (an item with no vector yet can still be
 * answered by co-occurrence; the generic list alone answers nothing).
 */
export function similarItems(
  snap: { items: AnnIndex; cooccurrence?: CooccurrenceNeighbours | null; generic?: GenericItems | null },
  itemId: string,
  k: number,
  exclude: ReadonlySet<string>,
): Neighbor[] | null {
  const v = snap.items.vector(itemId);
  const co = snap.cooccurrence;
  if (!co) return v ? snap.items.query(v, k, exclude) : null;
  const fromCo = co.neighbours(itemId, exclude);
  if (!v && !fromCo) return null;
  const fromTowers = v ? snap.items.query(v, Math.max(k, I2I_FUSION_DEPTH), exclude) : [];
  return fuseNeighbours(
    fromTowers,
    fromCo ?? [],
    co.weight,
    k,
    genericTerm(genericListFor(snap.generic, true)?.items, co.genericWeight ?? 0, exclude),
  );
}

/** The generic list's part of an I2I fusion: its first `I2I_FUSION_DEPTH` items but `exclude`; null when it adds nothing. */
export function genericTerm(items: readonly string[] | undefined, weight: number, exclude: ReadonlySet<string>): GenericTerm | null {
  if (!items || !(weight > 0)) return null;
  return { ids: firstNotIn(items, exclude, I2I_FUSION_DEPTH), weight };
}

/** A co-occurrence source as plain JSON (the published artifact's `cooccurrence` channel, checkpoints). */
export interface CooccurrenceData {
  weight: number;
  /** Absent in older versions (no generic term). */
  genericWeight?: number;
  /** [item, [[neighbour, score], ...] best first] per item with neighbours. */
  lists: [string, [string, number][]][];
}

/** Written out for every item with neighbours (`I2I_FUSION_DEPTH` each: all that `similarItems` reads). */
export function cooccurrenceToData(co: CooccurrenceNeighbours): CooccurrenceData {
  const lists: CooccurrenceData['lists'] = [];
  for (const item of co.items()) {
    const n = co.neighbours(item);
    if (n && n.length > 0) lists.push([item, n.map((x) => [x.id, x.score])]);
  }
  return { weight: co.weight, ...(co.genericWeight ? { genericWeight: co.genericWeight } : {}), lists };
}

/** @throws RangeError naming what is malformed. */
export function cooccurrenceFromData(d: unknown): CooccurrenceNeighbours {
  const o = d as Partial<CooccurrenceData> | null;
  if (!o || typeof o !== 'object') throw new RangeError('cooccurrence: not an object');
  if (typeof o.weight !== 'number' || !(o.weight >= 0 && o.weight <= 1))
    throw new RangeError('cooccurrence: weight must be a number in [0, 1]');
  if (!Array.isArray(o.lists)) throw new RangeError('cooccurrence: lists must be an array');
  const table = new Map<string, Neighbor[]>();
  addCooccurrenceLists(table, o.lists);
  return cooccurrenceOf(o.weight, table, o.genericWeight);
}

/** Add lists in the data's form (`CooccurrenceData.lists`) to a table. @throws RangeError naming what is malformed. */
export function addCooccurrenceLists(table: Map<string, Neighbor[]>, lists: readonly unknown[]): void {
  for (const entry of lists) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1]))
      throw new RangeError('cooccurrence: each list must be [item, neighbours]');
    const neighbours = (entry[1] as unknown[]).map((n) => {
      if (!Array.isArray(n) || typeof n[0] !== 'string' || typeof n[1] !== 'number' || !Number.isFinite(n[1]))
        throw new RangeError(`cooccurrence: neighbours of ${entry[0]} must be [item, finite score] pairs`);
      return { id: n[0] as string, score: n[1] as number };
    });
    table.set(entry[0], neighbours.slice(0, I2I_FUSION_DEPTH));
  }
}

/** The co-occurrence source of a table of written-out lists (best first, `I2I_FUSION_DEPTH` at most). */
export function cooccurrenceOf(weight: number, table: ReadonlyMap<string, Neighbor[]>, genericWeight: unknown = 0): CooccurrenceNeighbours {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError('cooccurrence: weight must be a number in [0, 1]');
  if (typeof genericWeight !== 'number' || !(genericWeight >= 0 && Number.isFinite(genericWeight)))
    throw new RangeError('cooccurrence: genericWeight must be a finite number >= 0');
  return {
    weight,
    genericWeight,
    items: () => table.keys(),
    neighbours(itemId, exclude) {
      const list = table.get(itemId);
      if (!list) return null;
      return exclude ? list.filter((x) => !exclude.has(x.id)) : list;
    },
  };
}
