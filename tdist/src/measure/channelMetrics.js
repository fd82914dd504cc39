import { HitRateAtK, NdcgAtK, RecallAtK } from './metric.js';
/**
 * Offline metrics of the three recall channels on a temporal split (definitions in
 * docs/EVALUATION.md). Rankers return ids best first; a null ranking (the model cannot rank for
 * this query) scores 0 and still counts.
 */
export const EMPTY_SET = new Set();
/**
 * U2I Recall@K = |top-K ∩ T| / |T| and NDCG@K = DCG / IDCG with binary gains, IDCG over
 * min(|T|, K) positions, where T = the user's test items not seen in training. Users with an empty
 * T are skipped. Mean over users.
 */
export function u2iMetrics(input) {
    const kMax = Math.max(...input.ks);
    const recall = input.ks.map((k) => new RecallAtK(k));
    const ndcg = input.ks.map((k) => new NdcgAtK(k));
    let users = 0;
    for (const [userId, items] of input.testItems) {
        if (input.users && !input.users(userId))
            continue;
        const seen = input.trainSeen(userId);
        const targets = new Set([...items].filter((i) => !seen.has(i)));
        if (targets.size === 0)
            continue;
        users++;
        const observation = { targets, ranked: input.rank(userId, kMax) };
        for (const m of [...recall, ...ndcg])
            m.update(observation);
    }
    const byK = (metrics) => Object.fromEntries(metrics.map((m) => [m.k, m.get()]));
    return { users, recall: byK(recall), ndcg: byK(ndcg) };
}
/** I2I HR@K: share of consecutive test pairs (a, b) whose b is among the top-K neighbours of a (a excluded). */
export function i2iHitRate(pairs, neighbours, ks) {
    const kMax = Math.max(...ks);
    const hits = ks.map((k) => new HitRateAtK(k));
    const cache = new Map();
    for (const [a, b] of pairs) {
        let list = cache.get(a);
        if (!list)
            cache.set(a, (list = (neighbours(a, kMax + 1) ?? []).filter((x) => x !== a)));
        const observation = { targets: new Set([b]), ranked: list };
        for (const m of hits)
            m.update(observation);
    }
    return Object.fromEntries(hits.map((m) => [m.k, m.get()]));
}
/**
 * U2U Recall@K (recommendation through neighbours): take the user's top-K neighbour users with
 * their similarities, score each item by the summed similarity of the neighbours who interacted
 * with it in training, drop the user's train-seen items, and measure Recall@K of the top-K items
 * against the user's test items (as in U2I). The same K is used for neighbours and items.
 */
export function u2uRecall(input) {
    const out = { users: 0, recall: {}, ndcg: {} };
    for (const k of input.ks) {
        const r = u2iMetrics({
            testItems: input.testItems,
            trainSeen: input.trainSeen,
            ks: [k],
            ...(input.users ? { users: input.users } : {}),
            rank: (userId) => {
                const nb = input.neighbours(userId, k);
                if (!nb || nb.length === 0)
                    return input.fallback ? input.fallback(userId, k) : null;
                const seen = input.trainSeen(userId);
                const score = new Map();
                for (const { id, score: s } of nb) {
                    if (id === userId)
                        continue;
                    for (const item of input.trainSeen(id))
                        if (!seen.has(item))
                            score.set(item, (score.get(item) ?? 0) + s);
                }
                return [...score.entries()]
                    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
                    .slice(0, k)
                    .map(([id]) => id);
            },
        });
        out.users = r.users;
        out.recall[k] = r.recall[k];
        out.ndcg[k] = r.ndcg[k];
    }
    return out;
}
//# sourceMappingURL=channelMetrics.js.map