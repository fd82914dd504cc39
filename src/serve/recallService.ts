import { BadRequestError, IndexNotReadyError, UnknownIdError } from '../errors.js';
import type { Neighbor } from '../index/annIndex.js';
import { u2iQueryVector, u2iRanking, type IndexSnapshot } from '../index/indexSnapshot.js';
import { genericListFor } from '../index/genericItems.js';
import { firstNotIn } from '../util/firstNotIn.js';
import { similarItems } from '../index/itemNeighbours.js';
import { MERGED_RECALL_DEFAULTS, mergedRecall, type MergedRecallOptions } from '../index/mergedRecall.js';
import { similarUsers, usersWithoutItems } from '../index/userNeighbours.js';

export type Channel = 'u2i' | 'u2u' | 'i2i' | 'merged';

/** Where the recall service reads from: the learner in `train`, the loaded recall topic in `serve`. */
export interface SnapshotProvider {
  readonly snapshot: IndexSnapshot | null;
  /** Items a user already interacted with (excluded from U2I). */
  seenItems(userId: string): ReadonlySet<string>;
}

export interface RecallResult {
  channel: Channel;
  query: string;
  k: number;
  indexVersion: number;
  indexCreatedAt: string;
  results: Neighbor[];
  /**
   * Set when the user has no vector and got the snapshot's generic list instead (its kind, e.g.
   * `trending`); the scores are then 1 / (1 + rank), not similarities.
   */
  fallback?: string;
}

export interface RecallOptions {
  /** Answer 404 for a user without a vector instead of the generic list (U2I and merged). */
  strict?: boolean;
}

export const MAX_K = 1000;

export function validateK(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new BadRequestError(`k must be an integer from 1 to ${MAX_K}`);
  return k;
}

/**
 * The three recall channels and their fusion (`merged`, see mergedRecall.ts) over one
 * IndexSnapshot (read once per request, so a concurrent swap never mixes versions). U2I and merged
 * exclude the user's seen items; I2I excludes the query item; U2U answers the nearest users that
 * have seen items (those a recommendation through neighbours can use), never the query user.
 * `micstream eval` scores these very answers.
 * @throws IndexNotReadyError before the first index, UnknownIdError for ids not in the index,
 *   BadRequestError for a bad k.
 */
export class RecallService {
  /**
   * Per user index (one per snapshot version; the learner's per-step list updates keep it): its
   * users without seen items (merged U2U skips them), built on first use.
   */
  private readonly withoutItems = new WeakMap<object, ReadonlySet<string>>();

  constructor(
    private readonly provider: SnapshotProvider,
    private readonly merged: MergedRecallOptions = MERGED_RECALL_DEFAULTS,
  ) {}

  recall(channel: Channel, id: string, k: number, options: RecallOptions = {}): RecallResult {
    validateK(k);
    const snap = this.provider.snapshot;
    if (!snap) throw new IndexNotReadyError();
    const base = { channel, query: id, k, indexVersion: snap.version, indexCreatedAt: new Date(snap.createdAt).toISOString() };
    // Every user gets an answer: one the model knows nothing about gets the generic list (U2I, merged).
    if ((channel === 'u2i' || channel === 'merged') && !options.strict && snap.generic && !u2iQueryVector(snap, id)) {
      const seen = this.provider.seenItems(id);
      // Known to the stream but not to the index yet: the returning users' list.
      const generic = genericListFor(snap.generic, seen.size > 0)!;
      const items = firstNotIn(generic.items, seen, k);
      return { ...base, results: items.map((item, rank) => ({ id: item, score: 1 / (1 + rank) })), fallback: generic.kind };
    }
    let results: Neighbor[];
    if (channel === 'merged') {
      const seenItems = (u: string) => this.provider.seenItems(u);
      const merged = mergedRecall({ snapshot: snap, seenItems, usersWithoutItems: this.usersWithoutItems(snap) }, id, k, this.merged);
      if (!merged) throw new UnknownIdError('user', id);
      results = merged;
    } else if (channel === 'i2i') {
      const found = similarItems(snap, id, k, new Set([id]));
      if (!found) throw new UnknownIdError('item', id);
      results = found;
    } else if (channel === 'u2u') {
      const neighbours = similarUsers(snap, id, k, this.usersWithoutItems(snap));
      if (!neighbours) throw new UnknownIdError('user', id);
      results = neighbours;
    } else {
      const v = u2iQueryVector(snap, id);
      if (!v) throw new UnknownIdError('user', id);
      results = u2iRanking(snap, v, k, this.provider.seenItems(id));
    }
    return { ...base, results };
  }

  /**
   * What a channel serves for `id`, or null where the API answers 404 or 503 (unknown id, no index
   * yet): what prequential and offline evaluation score, so that they score what is served.
   */
  answer(channel: Channel, id: string, k: number): Neighbor[] | null {
    try {
      return this.recall(channel, id, k).results;
    } catch (error) {
      if (error instanceof UnknownIdError || error instanceof IndexNotReadyError) return null;
      throw error;
    }
  }

  /** The ids of `answer`, best first (the ranking function of the evaluations). */
  served(channel: Channel, id: string, k: number): string[] | null {
    return this.answer(channel, id, k)?.map((n) => n.id) ?? null;
  }

  /** The snapshot's users without seen items, built once per snapshot. */
  private usersWithoutItems(snap: IndexSnapshot): ReadonlySet<string> {
    let without = this.withoutItems.get(snap.users);
    if (!without) this.withoutItems.set(snap.users, (without = usersWithoutItems(snap.users, (u) => this.provider.seenItems(u))));
    return without;
  }
}
