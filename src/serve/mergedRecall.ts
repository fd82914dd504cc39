import { u2iRanking } from '../index/indexSnapshot.js';
import { DEFAULT_CONFIG, type Config } from '../config/config.js';
import type { Neighbor } from '../index/annIndex.js';
import { u2iQueryVector, type IndexSnapshot } from '../index/indexSnapshot.js';
import { similarItems } from '../index/itemNeighbours.js';

/** The channels whose item lists the merged recall fuses. */
export type SourceChannel = 'u2i' | 'u2u' | 'i2i';
export const SOURCE_CHANNELS: readonly SourceChannel[] = ['u2i', 'u2u', 'i2i'];

export interface MergedRecallOptions {
  /** Weight of each channel's ranking in the fusion; 0 leaves the channel out (not even queried). */
  weights: Readonly<Record<SourceChannel, number>>;
  /** U2U: neighbour users whose items are pooled (only users with seen items count). */
  neighbourUsers: number;
  /** I2I: trigger items, the user's seen items with the latest first interactions (a re-watched item does not move). */
  triggerItems: number;
  /** I2I: neighbours fetched per trigger item. */
  neighbourItems: number;
  /** Items taken from each channel before fusion (never fewer than k). */
  depth: number;
  /** The rank offset of reciprocal-rank fusion (60 in Cormack et al. 2009). */
  rrfK: number;
}

/**
 * The fusion's fixed settings: how many neighbours per trigger item, how deep each channel's list
 * is read, and the reciprocal-rank constant. The weights and counts a deployment tunes are knobs
 * (`--merged-*`); how their defaults were chosen is in docs/BENCHMARKS.md.
 */
const FUSION_SETTINGS = { neighbourItems: 20, depth: 100, rrfK: 60 } as const;

/** One fused result: the fused score and the channels that proposed the item (in channel order). */
export interface MergedNeighbor extends Neighbor {
  channels: SourceChannel[];
}

export interface RankedList {
  channel: SourceChannel;
  weight: number;
  /** Ids best first. */
  ids: readonly string[];
}

/**
 * Weighted reciprocal-rank fusion: score(i) = Σ_c w_c / (rrfK + rank_c(i)), ranks from 1, summed
 * over the lists that hold i. Ranks rather than scores because the channels' scores live on
 * different scales (a cosine for U2I, sums of neighbour similarities for U2U and I2I). Ties keep
 * first-appearance order over the lists as given (an earlier channel's item first).
 */
export function fuseRankings(lists: readonly RankedList[], k: number, rrfK: number): MergedNeighbor[] {
  if (!(rrfK >= 0)) throw new RangeError(`fuseRankings: rrfK must be >= 0, got ${rrfK}`);
  const fused = new Map<string, MergedNeighbor>();
  for (const list of lists) {
    if (!(list.weight > 0)) continue;
    list.ids.forEach((id, r) => {
      let entry = fused.get(id);
      if (!entry) fused.set(id, (entry = { id, score: 0, channels: [] }));
      entry.score += list.weight / (rrfK + r + 1);
      if (!entry.channels.includes(list.channel)) entry.channels.push(list.channel);
    });
  }
  // Array.prototype.sort is stable: equal scores stay in first-appearance order.
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}

/** Items by summed score, best first, ties by id (deterministic), at most `n`. */
function topByScore(scores: ReadonlyMap<string, number>, n: number): string[] {
  return [...scores]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([id]) => id);
}

export interface MergedRecallInput {
  snapshot: IndexSnapshot;
  /** Items a user interacted with, in order of first interaction (the newest last; a Set keeps insertion order). */
  seenItems: (userId: string) => ReadonlySet<string>;
  /**
   * Users with no seen items (they cannot contribute to U2U), computed once per snapshot; see
   * `usersWithoutItems`. Cold users' attribute-only vectors sit close together, so without this
   * a cold user's neighbours would be other cold users and U2U would propose nothing.
   */
  usersWithoutItems: ReadonlySet<string>;
}

/** The snapshot's indexed users that have no seen items. */
export function usersWithoutItems(snapshot: IndexSnapshot, seenItems: (userId: string) => ReadonlySet<string>): Set<string> {
  return new Set(snapshot.users.ids().filter((u) => seenItems(u).size === 0));
}

/**
 * The user's nearest users that have seen items (U2U), without the user: null when the user has no
 * vector. The one U2U neighbour rule of the API, merged recall and the evaluation.
 */
export function similarUsers(snapshot: IndexSnapshot, userId: string, k: number, withoutItems: ReadonlySet<string>): Neighbor[] | null {
  const v = snapshot.users.vector(userId);
  if (!v) return null;
  return snapshot.users
    .query(v, k + 1, withoutItems)
    .filter((n) => n.id !== userId)
    .slice(0, k);
}

/**
 * Cross-channel merged recall for one user: the U2I list (the U2I query vector), the items of the
 * user's nearest users (U2U: summed neighbour similarity), and the neighbours of the user's latest
 * items (I2I: summed similarity over the triggers), each without the user's seen items, fused by
 * weighted reciprocal rank. Returns null when the user has no vector in the snapshot; a channel
 * with nothing to offer (a cold user has no triggers) simply contributes nothing.
 */
export function mergedRecall(
  input: MergedRecallInput,
  userId: string,
  k: number,
  options: MergedRecallOptions = MERGED_RECALL_DEFAULTS,
): MergedNeighbor[] | null {
  const { snapshot: snap, seenItems } = input;
  // Falls back to the user's index vector, so undefined means the user is not in the snapshot.
  const u2iVector = u2iQueryVector(snap, userId);
  if (!u2iVector) return null;
  const seen = seenItems(userId);
  const depth = Math.max(k, options.depth);
  const w = options.weights;
  const lists: RankedList[] = [];
  if (w.u2i > 0) lists.push({ channel: 'u2i', weight: w.u2i, ids: u2iRanking(snap, u2iVector, depth, seen).map((n) => n.id) });
  const neighbours =
    w.u2u > 0 && options.neighbourUsers > 0 ? similarUsers(snap, userId, options.neighbourUsers, input.usersWithoutItems) : null;
  if (neighbours) {
    const scores = new Map<string, number>();
    for (const n of neighbours)
      for (const item of seenItems(n.id)) if (!seen.has(item)) scores.set(item, (scores.get(item) ?? 0) + n.score);
    lists.push({ channel: 'u2u', weight: w.u2u, ids: topByScore(scores, depth) });
  }
  if (w.i2i > 0 && options.triggerItems > 0 && seen.size > 0) {
    const scores = new Map<string, number>();
    const all = [...seen];
    for (const trigger of all.slice(-options.triggerItems)) {
      // `seen` holds the trigger itself, so it never comes back as its own neighbour.
      for (const n of similarItems(snap, trigger, options.neighbourItems, seen) ?? []) scores.set(n.id, (scores.get(n.id) ?? 0) + n.score);
    }
    lists.push({ channel: 'i2i', weight: w.i2i, ids: topByScore(scores, depth) });
  }
  return fuseRankings(lists, k, options.rrfK);
}

/** Check merged-recall options (config and tests); @throws RangeError naming the bad field. */
export function validateMergedOptions(o: MergedRecallOptions): MergedRecallOptions {
  for (const c of SOURCE_CHANNELS)
    if (!(o.weights[c] >= 0) || !Number.isFinite(o.weights[c]))
      throw new RangeError(`merged recall: weight of ${c} must be a finite number >= 0, got ${o.weights[c]}`);
  if (!SOURCE_CHANNELS.some((c) => o.weights[c] > 0)) throw new RangeError('merged recall: at least one channel weight must be > 0');
  for (const key of ['neighbourUsers', 'triggerItems', 'neighbourItems', 'depth'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 0) throw new RangeError(`merged recall: ${key} must be an integer >= 0, got ${o[key]}`);
  }
  if (!(o.rrfK >= 0)) throw new RangeError(`merged recall: rrfK must be >= 0, got ${o.rrfK}`);
  return o;
}

/** The merged-recall options a Config asks for (the other fields keep their defaults). */
export function mergedOptionsFromConfig(
  config: Pick<Config, 'mergedU2iWeight' | 'mergedU2uWeight' | 'mergedI2iWeight' | 'mergedNeighbourUsers' | 'mergedTriggerItems'>,
): MergedRecallOptions {
  return validateMergedOptions({
    ...FUSION_SETTINGS,
    weights: { u2i: config.mergedU2iWeight, u2u: config.mergedU2uWeight, i2i: config.mergedI2iWeight },
    neighbourUsers: config.mergedNeighbourUsers,
    triggerItems: config.mergedTriggerItems,
  });
}

/** The knob table's merged-recall defaults (`--merged-*`, src/config/knobs), for services built in code. */
export const MERGED_RECALL_DEFAULTS: MergedRecallOptions = mergedOptionsFromConfig(DEFAULT_CONFIG);
