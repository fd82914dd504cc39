import type { InteractionEvent } from '../events/interactionEvent.js';
import { DatasetError } from '../errors.js';
import { EMPTY_SET } from '../measure/channelMetrics.js';

/** Items ranked by count over `events` (ties: first seen first), as a reusable ranker. */
export class PopularityRanker {
  private readonly order: string[];

  constructor(events: readonly InteractionEvent[]) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
    this.order = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  }

  /** Top-k items not in `exclude`. */
  rank(k: number, exclude: ReadonlySet<string> = EMPTY_SET): string[] {
    const out: string[] = [];
    for (const id of this.order) {
      if (exclude.has(id)) continue;
      out.push(id);
      if (out.length === k) break;
    }
    return out;
  }
}

const MAX_DENSE_ENTITIES = 30000;

/**
 * Cosine similarity on the binary interaction matrix: sim(a, b) = |N(a) ∩ N(b)| / sqrt(|N(a)| |N(b)|),
 * where N(x) are the neighbours of x on the other side. Dense co-occurrence counts, so it is meant
 * for evaluation-sized catalogues (at most 30,000 entities on a side).
 */
export class CosineNeighbours {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly co: Float32Array;
  private readonly degree: Float32Array;

  /** @param groups for item-item similarity: each user's item set; for user-user: each item's user set. */
  constructor(groups: Iterable<ReadonlySet<string>>) {
    const lists: number[][] = [];
    for (const g of groups) {
      const list: number[] = [];
      for (const id of g) {
        let i = this.index.get(id);
        if (i === undefined) {
          i = this.ids.length;
          this.index.set(id, i);
          this.ids.push(id);
        }
        list.push(i);
      }
      lists.push(list);
    }
    const n = this.ids.length;
    if (n > MAX_DENSE_ENTITIES) throw new DatasetError(`cosine baseline supports at most ${MAX_DENSE_ENTITIES} entities, got ${n}`);
    this.co = new Float32Array(n * n);
    this.degree = new Float32Array(n);
    for (const list of lists) {
      for (const a of list) {
        this.degree[a]!++;
        for (const b of list) if (a !== b) this.co[a * n + b]!++;
      }
    }
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  similarity(a: string, b: string): number {
    const i = this.index.get(a);
    const j = this.index.get(b);
    if (i === undefined || j === undefined) return 0;
    const n = this.ids.length;
    return this.co[i * n + j]! / Math.sqrt(this.degree[i]! * this.degree[j]!);
  }

  /** Top-k most similar entities to `id` (itself excluded, zero similarity excluded); null if unknown. */
  neighbours(id: string, k: number): { id: string; score: number }[] | null {
    const i = this.index.get(id);
    if (i === undefined) return null;
    const n = this.ids.length;
    const out: { id: string; score: number }[] = [];
    for (let j = 0; j < n; j++) {
      if (j === i || this.co[i * n + j] === 0) continue;
      out.push({ id: this.ids[j]!, score: this.co[i * n + j]! / Math.sqrt(this.degree[i]! * this.degree[j]!) });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, k);
  }

  /**
   * ItemKNN scores for a user: sum over the user's items of their similarity to each candidate,
   * candidates in `exclude` dropped. Top-k, or null when the user has no known items.
   */
  scoreFromProfile(profile: ReadonlySet<string>, k: number, exclude: ReadonlySet<string>): string[] | null {
    const n = this.ids.length;
    const scores = new Float64Array(n);
    let known = 0;
    for (const id of profile) {
      const i = this.index.get(id);
      if (i === undefined) continue;
      known++;
      const di = this.degree[i]!;
      for (let j = 0; j < n; j++) {
        const c = this.co[i * n + j]!;
        if (c !== 0) scores[j]! += c / Math.sqrt(di * this.degree[j]!);
      }
    }
    if (known === 0) return null;
    const order: number[] = [];
    for (let j = 0; j < n; j++) if (scores[j]! > 0 && !exclude.has(this.ids[j]!)) order.push(j);
    order.sort((a, b) => scores[b]! - scores[a]!);
    return order.slice(0, k).map((j) => this.ids[j]!);
  }
}
