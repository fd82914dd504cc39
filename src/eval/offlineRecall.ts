/**
 * Offline U2I recall on a held-out period: for each test user, Recall@K = |top-K ∩ future items|
 * / |future items|, where the ranking excludes items seen in training and future items seen in
 * training do not count. Users with no future items are skipped.
 */
export interface OfflineRecallResult {
  recall: number;
  /** Expected Recall@K of a uniformly random ranking over the same candidates. */
  randomRecall: number;
  users: number;
}

export interface OfflineRecallInput {
  /** Future (test) items per user. */
  testItems: ReadonlyMap<string, ReadonlySet<string>>;
  /** Items each user saw in training (excluded from ranking and from the targets). */
  trainSeen: (userId: string) => ReadonlySet<string>;
  /** Size of the candidate catalogue. */
  catalogueSize: number;
  /** Top-k item ids for a user (excluding train-seen items); null = the model cannot rank for this user. */
  rank: (userId: string, k: number) => readonly string[] | null;
  k: number;
}

export function offlineRecall(input: OfflineRecallInput): OfflineRecallResult {
  let sum = 0;
  let randomSum = 0;
  let users = 0;
  for (const [userId, items] of input.testItems) {
    const seen = input.trainSeen(userId);
    const targets = [...items].filter((i) => !seen.has(i));
    if (targets.length === 0) continue;
    const candidates = Math.max(1, input.catalogueSize - seen.size);
    randomSum += Math.min(1, input.k / candidates);
    users++;
    const ranked = input.rank(userId, input.k);
    if (!ranked) continue;
    const top = new Set(ranked.slice(0, input.k));
    let hits = 0;
    for (const t of targets) if (top.has(t)) hits++;
    sum += hits / targets.length;
  }
  return { recall: users ? sum / users : 0, randomRecall: users ? randomSum / users : 0, users };
}
