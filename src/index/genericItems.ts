// The non-personal item lists a snapshot carries, and which one a user gets.
import { firstNotIn } from '../util/firstNotIn.js';

/**
 * A non-personal ranked item list: what users the model knows nothing about get (`kind`, `items`),
 * and, when the learner chose one apart, what users with trained items get through it (`returning`:
 * merged recall's generic channel, the I2I answers' generic term; see src/learner/genericLists.ts).
 */
export interface GenericItems {
  kind: string;
  items: readonly string[];
  /** Absent in older versions: returning users get `items` too. */
  returning?: { kind: string; items: readonly string[] };
}

/**
 * The generic list for a user with trained items (`returning`: its own list where the snapshot has
 * one, else the first-time users') or without (the first-time users'); undefined without a generic list.
 */
export function genericListFor(
  generic: GenericItems | null | undefined,
  returning: boolean,
): { kind: string; items: readonly string[] } | undefined {
  return generic ? ((returning ? generic.returning : undefined) ?? generic) : undefined;
}

/** The first `n` items of the generic list for a user with `seen` trained items (`genericListFor`), those items left out. */
export function unseenGeneric(generic: GenericItems | null | undefined, seen: ReadonlySet<string>, n: number): string[] {
  return firstNotIn(genericListFor(generic, seen.size > 0)?.items ?? [], seen, n);
}

/** A generic list as plain data (checkpoints, published versions). */
export interface GenericItemsData {
  kind: string;
  items: string[];
  returning?: { kind: string; items: string[] };
}

/** A copy of a generic list as plain data. */
export function genericToData(g: GenericItems): GenericItemsData {
  return {
    kind: g.kind,
    items: [...g.items],
    ...(g.returning ? { returning: { kind: g.returning.kind, items: [...g.returning.items] } } : {}),
  };
}
