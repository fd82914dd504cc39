/** A mean over queries of a per-query score; the per-query score defines the metric. */
class MeanOverQueries {
    k;
    biggerIsBetter = true;
    sum = 0;
    n = 0;
    constructor(k) {
        this.k = k;
        if (!(Number.isInteger(k) && k > 0))
            throw new RangeError(`k must be a positive integer, got ${k}`);
    }
    update(o) {
        this.sum += this.score(o);
        this.n++;
    }
    revert(o) {
        this.sum -= this.score(o);
        this.n--;
    }
    get() {
        return this.n ? this.sum / this.n : 0;
    }
    get count() {
        return this.n;
    }
}
/** Hits in the top k, each target counted once (a ranking that repeats an id gets credit once), with their positions. */
function topKHits(o, k) {
    const positions = [];
    if (!o.ranked)
        return positions;
    const counted = new Set();
    o.ranked.slice(0, k).forEach((id, pos) => {
        if (o.targets.has(id) && !counted.has(id)) {
            counted.add(id);
            positions.push(pos);
        }
    });
    return positions;
}
/** Recall@K: |top-K ∩ T| / |T| per query, mean over queries. Queries with no targets must not be observed. */
export class RecallAtK extends MeanOverQueries {
    score(o) {
        return topKHits(o, this.k).length / o.targets.size;
    }
}
/** HR@K: 1 when any target is in the top K, mean over queries (= Recall@K for one target per query). */
export class HitRateAtK extends MeanOverQueries {
    score(o) {
        return topKHits(o, this.k).length > 0 ? 1 : 0;
    }
}
/** NDCG@K with binary gains: DCG / IDCG, IDCG over min(|T|, K) positions, mean over queries. */
export class NdcgAtK extends MeanOverQueries {
    score(o) {
        let dcg = 0;
        for (const pos of topKHits(o, this.k))
            dcg += 1 / Math.log2(pos + 2);
        let idcg = 0;
        for (let pos = 0; pos < Math.min(o.targets.size, this.k); pos++)
            idcg += 1 / Math.log2(pos + 2);
        return dcg / idcg;
    }
}
/** A metric over the last `size` observations only (River's Rolling): the oldest is reverted as each new one arrives. */
export class Rolling {
    metric;
    size;
    window = [];
    constructor(metric, size) {
        this.metric = metric;
        this.size = size;
        if (!(Number.isInteger(size) && size > 0))
            throw new RangeError(`window size must be a positive integer, got ${size}`);
    }
    get biggerIsBetter() {
        return this.metric.biggerIsBetter;
    }
    get count() {
        return this.metric.count;
    }
    update(o) {
        this.window.push(o);
        this.metric.update(o);
        if (this.window.length > this.size)
            this.metric.revert(this.window.shift());
    }
    revert(o) {
        const i = this.window.lastIndexOf(o);
        if (i >= 0)
            this.window.splice(i, 1);
        this.metric.revert(o);
    }
    get() {
        return this.metric.get();
    }
}
//# sourceMappingURL=metric.js.map