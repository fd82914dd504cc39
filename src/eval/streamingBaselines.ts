import type { InteractionEvent } from '../events/interactionEvent.js';

/**
 * A baseline that learns from the stream as the learner does, for the prequential protocol. It
 * answers the channels it has a method for (null: it cannot answer this query, a miss).
 */
export interface StreamingRanker {
  learnMany(events: readonly InteractionEvent[]): Promise<void>;
  /** U2I: top-k items for the user, its seen items excluded. */
  rank?(userId: string, k: number): string[] | null;
  /** I2I: top-k items for someone who just consumed `itemId` (never the item itself). */
  similarItems?(itemId: string, k: number): string[] | null;
  /** U2U: top-k items of the user's nearest users, the user's seen items excluded. */
  neighbourItems?(userId: string, k: number): string[] | null;
}

/** Per-user seen items and a bounded recent history, shared by the streaming baselines. */
class UserMemory {
  readonly seen = new Map<string, Set<string>>();
  readonly recent = new Map<string, string[]>();

  constructor(private readonly historyLength: number) {}

  add(e: InteractionEvent): void {
    let s = this.seen.get(e.userId);
    if (!s) this.seen.set(e.userId, (s = new Set()));
    s.add(e.itemId);
    let r = this.recent.get(e.userId);
    if (!r) this.recent.set(e.userId, (r = []));
    r.push(e.itemId);
    if (r.length > this.historyLength) r.shift();
  }

  seenBy(userId: string): ReadonlySet<string> {
    return this.seen.get(userId) ?? EMPTY;
  }
}

/** Items by count over the last `window` events (ties: the item counted first), the user's seen items excluded. */
export class SlidingWindowPopularity implements StreamingRanker {
  private readonly counts = new Map<string, number>();
  private readonly window: string[] = [];
  private readonly users = new UserMemory(0);
  /** The ranking of the current window, rebuilt after each batch (ranks between batches read it). */
  private order: string[] | null = null;

  constructor(private readonly size: number) {}

  async learnMany(events: readonly InteractionEvent[]): Promise<void> {
    this.order = null;
    for (const e of events) {
      this.users.add(e);
      this.window.push(e.itemId);
      this.counts.set(e.itemId, (this.counts.get(e.itemId) ?? 0) + 1);
      if (this.window.length > this.size) {
        const old = this.window.shift()!;
        const n = this.counts.get(old)! - 1;
        if (n === 0) this.counts.delete(old);
        else this.counts.set(old, n);
      }
    }
  }

  rank(userId: string, k: number): string[] | null {
    return this.popular(this.users.seenBy(userId), k);
  }

  /** I2I as popularity answers it: the window's top items but the query item. */
  similarItems(itemId: string, k: number): string[] | null {
    return this.popular(new Set([itemId]), k);
  }

  /** The window's top k items without `exclude`. */
  popular(exclude: ReadonlySet<string>, k: number): string[] {
    this.order ??= [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const out: string[] = [];
    for (const id of this.order) {
      if (out.length === k) break;
      if (!exclude.has(id)) out.push(id);
    }
    return out;
  }
}

/**
 * Incremental item-to-item co-occurrence (streaming ItemKNN): each event adds a co-occurrence of
 * its item with each of the user's last `historyLength` items, both ways; a user's ranking sums
 * cosine-normalised co-occurrence over their recent items. Users with no history get nothing (null).
 */
export class StreamingCooccurrence implements StreamingRanker {
  private readonly co = new Map<string, Map<string, number>>();
  private readonly degree = new Map<string, number>();
  private readonly users: UserMemory;

  constructor(historyLength: number) {
    this.users = new UserMemory(historyLength);
  }

  async learnMany(events: readonly InteractionEvent[]): Promise<void> {
    for (const e of events) {
      for (const other of this.users.recent.get(e.userId) ?? []) {
        if (other === e.itemId) continue;
        this.bump(e.itemId, other);
        this.bump(other, e.itemId);
      }
      this.degree.set(e.itemId, (this.degree.get(e.itemId) ?? 0) + 1);
      this.users.add(e);
    }
  }

  rank(userId: string, k: number): string[] | null {
    const recent = this.users.recent.get(userId);
    if (!recent || recent.length === 0) return null;
    const seen = this.users.seenBy(userId);
    const scores = new Map<string, number>();
    for (const i of new Set(recent)) {
      const di = this.degree.get(i) ?? 1;
      for (const [j, c] of this.co.get(i) ?? []) {
        if (seen.has(j)) continue;
        scores.set(j, (scores.get(j) ?? 0) + c / Math.sqrt(di * (this.degree.get(j) ?? 1)));
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([id]) => id);
  }

  /** Streaming Item-CF: the items most co-occurring with `itemId`, cosine-normalised; null for an item never co-occurring. */
  similarItems(itemId: string, k: number): string[] | null {
    const row = this.co.get(itemId);
    if (!row) return null;
    const di = this.degree.get(itemId) ?? 1;
    return [...row.entries()]
      .map(([j, c]) => [j, c / Math.sqrt(di * (this.degree.get(j) ?? 1))] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([id]) => id);
  }

  private bump(a: string, b: string): void {
    let row = this.co.get(a);
    if (!row) this.co.set(a, (row = new Map()));
    row.set(b, (row.get(b) ?? 0) + 1);
  }
}

/**
 * Streaming User-CF: a user's nearest users are those who consumed the user's recent items (each
 * item remembers its last `usersPerItem` consumers), scored by shared recent items over
 * sqrt(|recent items| x |their items|); their items are pooled by that score. A user with no such
 * neighbour gets the sliding-window popular items, as the held-out User-CF falls back to popularity.
 */
export class StreamingUserCF implements StreamingRanker {
  private readonly users: UserMemory;
  private readonly consumers = new Map<string, string[]>();
  private readonly fallback: SlidingWindowPopularity;

  constructor(
    historyLength: number,
    popularityWindow: number,
    private readonly neighbours = 20,
    private readonly usersPerItem = 100,
  ) {
    this.users = new UserMemory(historyLength);
    this.fallback = new SlidingWindowPopularity(popularityWindow);
  }

  async learnMany(events: readonly InteractionEvent[]): Promise<void> {
    for (const e of events) {
      if (!this.users.seenBy(e.userId).has(e.itemId)) {
        let list = this.consumers.get(e.itemId);
        if (!list) this.consumers.set(e.itemId, (list = []));
        list.push(e.userId);
        if (list.length > this.usersPerItem) list.shift();
      }
      this.users.add(e);
    }
    await this.fallback.learnMany(events);
  }

  neighbourItems(userId: string, k: number): string[] | null {
    const seen = this.users.seenBy(userId);
    const recent = new Set(this.users.recent.get(userId) ?? []);
    const shared = new Map<string, number>();
    for (const item of recent) for (const v of this.consumers.get(item) ?? []) if (v !== userId) shared.set(v, (shared.get(v) ?? 0) + 1);
    const nearest = [...shared.entries()]
      .map(([v, n]) => [v, n / Math.sqrt(recent.size * this.users.seenBy(v).size)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.neighbours);
    const scores = new Map<string, number>();
    for (const [v, s] of nearest)
      for (const item of this.users.seenBy(v)) if (!seen.has(item)) scores.set(item, (scores.get(item) ?? 0) + s);
    if (scores.size === 0) return this.fallback.popular(seen, k);
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([id]) => id);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
