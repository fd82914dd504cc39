/**
 * Cosine similarity on the binary interaction matrix: sim(a, b) = |N(a) ∩ N(b)| / sqrt(|N(a)| |N(b)|),
 * where N(x) are the neighbours of x on the other side (for items: their users). Sparse: both sides
 * are kept as adjacency lists and a row of co-occurrence counts is computed when asked for (cost
 * Σ_{g ∈ N(a)} |g|), so catalogues of 100k+ entities and millions of events fit in memory; rows
 * are memoised up to a bound. Ties rank by first appearance, as a dense matrix scan would.
 */
export class CosineNeighbours {
    memoRows;
    ids = [];
    index = new Map();
    /** CSR of entity -> groups and group -> entities. */
    entityStart;
    entityGroups;
    groupStart;
    groupEntities;
    degree;
    scratch;
    /** Per-entity score accumulator of scoreFromProfile, zeroed after each use. */
    scores;
    memo = new Map();
    /** @param groups for item-item similarity: each user's item set; for user-user: each item's user set. */
    constructor(groups, memoRows = 20000) {
        this.memoRows = memoRows;
        const lists = [];
        let slots = 0;
        for (const g of groups) {
            const list = [];
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
            slots += list.length;
        }
        const n = this.ids.length;
        this.groupStart = new Int32Array(lists.length + 1);
        this.groupEntities = new Int32Array(slots);
        this.degree = new Float64Array(n);
        let s = 0;
        lists.forEach((list, g) => {
            this.groupStart[g] = s;
            for (const e of list) {
                this.groupEntities[s++] = e;
                this.degree[e]++;
            }
        });
        this.groupStart[lists.length] = s;
        this.entityStart = new Int32Array(n + 1);
        for (let e = 0; e < n; e++)
            this.entityStart[e + 1] = this.entityStart[e] + this.degree[e];
        this.entityGroups = new Int32Array(slots);
        const fill = this.entityStart.slice(0, n);
        lists.forEach((list, g) => {
            for (const e of list)
                this.entityGroups[fill[e]++] = g;
        });
        this.scratch = new Float64Array(n);
        this.scores = new Float64Array(n);
    }
    has(id) {
        return this.index.has(id);
    }
    similarity(a, b) {
        const i = this.index.get(a);
        const j = this.index.get(b);
        if (i === undefined || j === undefined)
            return 0;
        const row = this.row(i);
        const at = row.ids.indexOf(j);
        return at < 0 ? 0 : row.counts[at] / Math.sqrt(this.degree[i] * this.degree[j]);
    }
    /** Top-k most similar entities to `id` (itself excluded, zero similarity excluded); null if unknown. */
    neighbours(id, k) {
        const i = this.index.get(id);
        if (i === undefined)
            return null;
        const row = this.row(i);
        const score = new Float64Array(row.ids.length);
        for (let t = 0; t < row.ids.length; t++)
            score[t] = row.counts[t] / Math.sqrt(this.degree[i] * this.degree[row.ids[t]]);
        // Positions in the row ascend with the entity index, so ties go to the first seen.
        return topK(row.ids.length, k, (t) => score[t]).map((t) => ({ id: this.ids[row.ids[t]], score: score[t] }));
    }
    /**
     * ItemKNN scores for a user: sum over the user's items of their similarity to each candidate,
     * candidates in `exclude` dropped. Top-k, or null when the user has no known items.
     */
    scoreFromProfile(profile, k, exclude) {
        const scores = this.scores;
        const touched = [];
        let known = 0;
        for (const id of profile) {
            const i = this.index.get(id);
            if (i === undefined)
                continue;
            known++;
            const di = this.degree[i];
            const row = this.row(i);
            for (let t = 0; t < row.ids.length; t++) {
                const j = row.ids[t];
                if (scores[j] === 0)
                    touched.push(j);
                scores[j] += row.counts[t] / Math.sqrt(di * this.degree[j]);
            }
        }
        const candidates = touched.filter((j) => scores[j] > 0 && !exclude.has(this.ids[j]));
        // Ties go to the first seen entity (the smaller index), as a dense scan would rank them.
        const top = topK(candidates.length, k, (t) => scores[candidates[t]], (t) => candidates[t]).map((t) => candidates[t]);
        const result = top.map((j) => this.ids[j]);
        for (const j of touched)
            scores[j] = 0;
        return known === 0 ? null : result;
    }
    /** Co-occurrence counts of entity i with every entity it shares a group with (itself excluded), by ascending index. */
    row(i) {
        const cached = this.memo.get(i);
        if (cached)
            return cached;
        const touched = [];
        for (let p = this.entityStart[i]; p < this.entityStart[i + 1]; p++) {
            const g = this.entityGroups[p];
            for (let q = this.groupStart[g]; q < this.groupStart[g + 1]; q++) {
                const j = this.groupEntities[q];
                if (j === i)
                    continue;
                if (this.scratch[j] === 0)
                    touched.push(j);
                this.scratch[j]++;
            }
        }
        touched.sort((a, b) => a - b);
        const ids = Int32Array.from(touched);
        const counts = new Float64Array(ids.length);
        for (let t = 0; t < ids.length; t++) {
            counts[t] = this.scratch[ids[t]];
            this.scratch[ids[t]] = 0;
        }
        const row = { ids, counts };
        if (this.memo.size >= this.memoRows)
            this.memo.delete(this.memo.keys().next().value);
        this.memo.set(i, row);
        return row;
    }
}
/**
 * The positions 0..n-1 of the k largest scores, best first, ties to the smaller `tie` key (default
 * the position): the order a sort by (score desc, key asc) gives, in O(n k) worst case and close to
 * O(n) in practice, instead of sorting every candidate.
 */
function topK(n, k, score, tie = (p) => p) {
    const top = [];
    const before = (a, b) => score(a) > score(b) || (score(a) === score(b) && tie(a) < tie(b));
    for (let p = 0; p < n; p++) {
        if (top.length === k && !before(p, top[k - 1]))
            continue;
        let at = top.length === k ? k - 1 : top.length;
        while (at > 0 && before(p, top[at - 1])) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = p;
    }
    return top;
}
//# sourceMappingURL=cosineNeighbours.js.map