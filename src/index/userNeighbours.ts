import type { AnnIndex, Neighbor } from './annIndex.js';
import { fuseNeighbours } from './neighbourFusion.js';
import { UserCoconsumption, type UserCoconsumptionData } from './userCoconsumption.js';

/**
 * A snapshot's co-consumption U2U source and the weight its neighbours get against the towers':
 * the learner's live table (current at every step), or the table published with the version.
 */
export interface CoconsumptionSource {
  /** Weight of the co-consumption neighbours in the fusion: 0 = the towers' neighbours only, 1 = co-consumption first. */
  weight: number;
  table: UserCoconsumption;
}

/** Neighbours read from each source before the fusion. */
export const U2U_FUSION_DEPTH = 50;

/** The indexed users that have no seen items (they cannot contribute to U2U). */
export function usersWithoutItems(users: AnnIndex, seenItems: (userId: string) => ReadonlySet<string>): Set<string> {
  return new Set(users.ids().filter((u) => seenItems(u).size === 0));
}

/**
 * The user's nearest users that have seen items (U2U), without the user: the towers' nearest users,
 * fused with the co-consumption neighbours when the snapshot has that source (see
 * neighbourFusion.ts). Null when neither source knows the user. The one U2U neighbour rule of the
 * API, merged recall, the learner's checks and the evaluation.
 * @param withoutItems indexed users without seen items (`usersWithoutItems`): cold users'
 *   attribute-only vectors sit close together, so without this a cold user's neighbours would be
 *   other cold users and U2U would propose nothing. Co-consumption neighbours always have items.
 */
export function similarUsers(
  snap: { users: AnnIndex; coconsumption?: CoconsumptionSource | null },
  userId: string,
  k: number,
  withoutItems: ReadonlySet<string>,
): Neighbor[] | null {
  const v = snap.users.vector(userId);
  const co = snap.coconsumption;
  const depth = co ? Math.max(k, U2U_FUSION_DEPTH) : k;
  const fromTowers = v
    ? snap.users
        .query(v, depth + 1, withoutItems)
        .filter((n) => n.id !== userId)
        .slice(0, depth)
    : null;
  if (!co) return fromTowers;
  const fromCo = co.table.neighbours(userId, U2U_FUSION_DEPTH);
  if (!fromTowers && !fromCo) return null;
  return fuseNeighbours(fromTowers ?? [], fromCo ?? [], co.weight, k);
}

/**
 * Recommendation through neighbours: each item scores the summed similarity of the neighbours who
 * interacted with it, the user's own `seen` items left out; the best `n`, ties by id.
 */
export function itemsThroughNeighbours(
  neighbours: readonly Neighbor[],
  seenItems: (userId: string) => Iterable<string>,
  seen: ReadonlySet<string>,
  n: number,
): string[] {
  const scores = new Map<string, number>();
  for (const nb of neighbours)
    for (const item of seenItems(nb.id)) if (!seen.has(item)) scores.set(item, (scores.get(item) ?? 0) + nb.score);
  return [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([id]) => id);
}

/** A co-consumption source as plain data (the published artifact's `coconsumption` channel, checkpoints). */
export interface CoconsumptionData {
  weight: number;
  table: UserCoconsumptionData;
}

export function coconsumptionToData(co: CoconsumptionSource): CoconsumptionData {
  return { weight: co.weight, table: co.table.toData() };
}

/** @throws RangeError naming what is malformed. */
export function coconsumptionFromData(d: unknown): CoconsumptionSource {
  const o = d as Partial<CoconsumptionData> | null;
  if (!o || typeof o !== 'object') throw new RangeError('coconsumption: not an object');
  if (typeof o.weight !== 'number' || !(o.weight >= 0 && o.weight <= 1))
    throw new RangeError('coconsumption: weight must be a number in [0, 1]');
  if (!o.table || typeof o.table !== 'object') throw new RangeError('coconsumption: table missing');
  return { weight: o.weight, table: UserCoconsumption.fromData(o.table) };
}
