import { u2iRanking } from './indexSnapshot.js';
import { DEFAULT_CONFIG, type Config } from '../config/config.js';
import type { Neighbor } from './annIndex.js';
import { u2iQueryVector, type IndexSnapshot } from './indexSnapshot.js';
import { unseenGeneric } from './genericItems.js';
import { similarItems } from './itemNeighbours.js';
import { itemsThroughNeighbours, similarUsers } from './userNeighbours.js';
import { PRIOR_SEGMENTS, priorSegment, type PriorSegment } from './popularityPrior.js';

/**
 * The channels whose item lists the merged recall fuses: the learned U2I, U2U and I2I, and the
 * snapshot's generic list (trending now, or lifetime popular: what the learner serves users it
 * knows nothing about), which wins where what everyone consumes now predicts the next item.
 */
export type SourceChannel = 'u2i' | 'u2u' | 'i2i' | 'generic';
export const SOURCE_CHANNELS: readonly SourceChannel[] = ['u2i', 'u2u', 'i2i', 'generic'];

/** Fusion weights per channel. */
export type ChannelWeights = Readonly<Record<SourceChannel, number>>;

export interface MergedRecallOptions {
  /**
   * Weight of each channel's ranking in the fusion; 0 leaves the channel out (not even queried). A
   * snapshot with weights of its own per user segment (`IndexSnapshot.mergedWeights`, chosen by the
   * learner) overrides these.
   */
  weights: ChannelWeights;
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

/**
 * Each channel's list for a user, best first, `depth` deep, without the user's seen items: U2I (the
 * U2I query vector, with the snapshot's prior), U2U (items of the nearest users, summed neighbour
 * similarity), I2I (the I2I answers for the user's latest items, summed over the triggers) and the
 * snapshot's generic list for the user (a returning user's where it has one). Only channels with a
 * weight above 0 in `weights` are computed. Null when the user has no vector in the snapshot; a
 * channel with nothing to offer (a cold user has no triggers) is left out.
 */
export function mergedSources(
  input: MergedRecallInput,
  userId: string,
  depth: number,
  options: MergedRecallOptions,
  weights: ChannelWeights = options.weights,
): Map<SourceChannel, string[]> | null {
  const { snapshot: snap, seenItems } = input;
  // Falls back to the user's index vector, so undefined means the user is not in the snapshot.
  const u2iVector = u2iQueryVector(snap, userId);
  if (!u2iVector) return null;
  const seen = seenItems(userId);
  const lists = new Map<SourceChannel, string[]>();
  if (weights.u2i > 0)
    lists.set(
      'u2i',
      u2iRanking(snap, u2iVector, depth, seen).map((n) => n.id),
    );
  const neighbours =
    weights.u2u > 0 && options.neighbourUsers > 0 ? similarUsers(snap, userId, options.neighbourUsers, input.usersWithoutItems) : null;
  if (neighbours) lists.set('u2u', itemsThroughNeighbours(neighbours, seenItems, seen, depth));
  if (weights.i2i > 0 && options.triggerItems > 0 && seen.size > 0) {
    const scores = new Map<string, number>();
    const all = [...seen];
    // Without the I2I answers' generic term: merged recall fuses the generic list once, at its own weight.
    const itemToItem = { items: snap.items, cooccurrence: snap.cooccurrence };
    for (const trigger of all.slice(-options.triggerItems)) {
      // `seen` holds the trigger itself, so it never comes back as its own neighbour.
      for (const n of similarItems(itemToItem, trigger, options.neighbourItems, seen) ?? [])
        scores.set(n.id, (scores.get(n.id) ?? 0) + n.score);
    }
    lists.set('i2i', topByScore(scores, depth));
  }
  if (weights.generic > 0 && snap.generic) lists.set('generic', unseenGeneric(snap.generic, seen, depth));
  return lists;
}

/** The sources fused with `weights` (channel order: u2i, u2u, i2i, generic; ties keep it). */
export function fuseSources(
  sources: ReadonlyMap<SourceChannel, readonly string[]>,
  weights: ChannelWeights,
  k: number,
  rrfK: number,
): MergedNeighbor[] {
  const lists: RankedList[] = [];
  for (const channel of SOURCE_CHANNELS) {
    const ids = sources.get(channel);
    if (ids && weights[channel] > 0) lists.push({ channel, weight: weights[channel], ids });
  }
  return fuseRankings(lists, k, rrfK);
}

/**
 * For each of `candidates` (weights), whether `target` is in the top `k` of
 * `fuseSources(sources, weights, k, rrfK)` — the same answer, computed without a sort or a list per
 * candidate: each item's fused score from its rank per channel, and the items above the target
 * counted (ties: the earlier first appearance over the lists in channel order, weight > 0 only, as the
 * fusion's stable sort). What the learner's merged-fusion checks use, many candidates per check.
 */
export function fusedHits(
  sources: ReadonlyMap<SourceChannel, readonly string[]>,
  target: string,
  k: number,
  rrfK: number,
  candidates: readonly ChannelWeights[],
): boolean[] {
  const index = new Map<string, number>();
  const channels = SOURCE_CHANNELS.filter((c) => sources.has(c));
  // Per channel: item -> rank (from 0).
  const ranks: Map<number, number>[] = channels.map(() => new Map());
  channels.forEach((c, ci) =>
    sources.get(c)!.forEach((id, r) => {
      let i = index.get(id);
      if (i === undefined) index.set(id, (i = index.size));
      if (!ranks[ci]!.has(i)) ranks[ci]!.set(i, r);
    }),
  );
  const t = index.get(target);
  if (t === undefined) return candidates.map(() => false);
  const n = index.size;
  const score = new Float64Array(n);
  return candidates.map((w) => {
    const on = channels.map((c) => w[c] > 0);
    score.fill(0);
    channels.forEach((c, ci) => {
      if (on[ci]) for (const [i, r] of ranks[ci]!) score[i] = score[i]! + w[c] / (rrfK + r + 1);
    });
    const mine = score[t]!;
    if (!(mine > 0)) return false;
    const firstSeen = (i: number): number => {
      for (let ci = 0; ci < channels.length; ci++) {
        const r = on[ci] ? ranks[ci]!.get(i) : undefined;
        if (r !== undefined) return ci * 1e9 + r;
      }
      return Number.POSITIVE_INFINITY;
    };
    let above = 0;
    for (let i = 0; i < n && above < k; i++) if (score[i]! > mine || (i !== t && score[i] === mine && firstSeen(i) < firstSeen(t))) above++;
    return above < k;
  });
}

/**
 * Cross-channel merged recall for one user: the channels' lists (`mergedSources`) fused by weighted
 * reciprocal rank, with the snapshot's weights for the user's segment when it has them (the
 * learner's test-then-train choice), else `options.weights`. Null when the user has no vector.
 */
export function mergedRecall(
  input: MergedRecallInput,
  userId: string,
  k: number,
  options: MergedRecallOptions = MERGED_RECALL_DEFAULTS,
): MergedNeighbor[] | null {
  const weights = input.snapshot.mergedWeights?.[priorSegment(input.seenItems(userId).size)] ?? options.weights;
  const sources = mergedSources(input, userId, Math.max(k, options.depth), options, weights);
  return sources && fuseSources(sources, weights, k, options.rrfK);
}

/**
 * Per-segment weights from plain JSON (the published artifact's `fusion` channel): every segment with
 * a finite weight >= 0 for every channel. @throws RangeError naming what is malformed.
 */
export function mergedWeightsFromData(d: unknown): Record<PriorSegment, ChannelWeights> {
  if (!d || typeof d !== 'object') throw new RangeError('merged weights: not an object');
  const out = {} as Record<PriorSegment, ChannelWeights>;
  for (const segment of PRIOR_SEGMENTS) {
    const w = (d as Record<string, unknown>)[segment] as Record<string, unknown> | undefined;
    if (!w || typeof w !== 'object') throw new RangeError(`merged weights: no weights for segment ${segment}`);
    for (const c of SOURCE_CHANNELS)
      if (typeof w[c] !== 'number' || !Number.isFinite(w[c]) || (w[c] as number) < 0)
        throw new RangeError(`merged weights: ${segment}.${c} must be a finite number >= 0`);
    out[segment] = Object.fromEntries(SOURCE_CHANNELS.map((c) => [c, w[c] as number])) as ChannelWeights;
  }
  return out;
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
  config: Pick<
    Config,
    'mergedU2iWeight' | 'mergedU2uWeight' | 'mergedI2iWeight' | 'mergedGenericWeight' | 'mergedNeighbourUsers' | 'mergedTriggerItems'
  >,
): MergedRecallOptions {
  return validateMergedOptions({
    ...FUSION_SETTINGS,
    weights: { u2i: config.mergedU2iWeight, u2u: config.mergedU2uWeight, i2i: config.mergedI2iWeight, generic: config.mergedGenericWeight },
    neighbourUsers: config.mergedNeighbourUsers,
    triggerItems: config.mergedTriggerItems,
  });
}

/** The knob table's merged-recall defaults (`--merged-*`, src/config/knobs), for services built in code. */
export const MERGED_RECALL_DEFAULTS: MergedRecallOptions = mergedOptionsFromConfig(DEFAULT_CONFIG);
