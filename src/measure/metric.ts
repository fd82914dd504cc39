/**
 * One contract for every measurement (River's): `update` with one observation, `revert` it
 * (sliding windows), `get` the value so far, and whether bigger is better. Hold-out, prequential
 * and offline evaluation all score rankings through these.
 */
export interface Metric<Observation> {
  update(observation: Observation): void;
  /** Undo one earlier `update` with the same observation. */
  revert(observation: Observation): void;
  /** The value over the observations so far (0 before any). */
  get(): number;
  /** Observations counted. */
  readonly count: number;
  readonly biggerIsBetter: boolean;
}

/** One ranking query: the ids it should have found and the ranking it got (null: the model could not rank). */
export interface RankingObservation {
  targets: ReadonlySet<string>;
  ranked: readonly string[] | null;
}

/** A mean over queries of a per-query score; the per-query score defines the metric. */
abstract class MeanOverQueries implements Metric<RankingObservation> {
  readonly biggerIsBetter = true;
  private sum = 0;
  private n = 0;

  constructor(readonly k: number) {
    if (!(Number.isInteger(k) && k > 0)) throw new RangeError(`k must be a positive integer, got ${k}`);
  }

  protected abstract score(o: RankingObservation): number;

  update(o: RankingObservation): void {
    this.sum += this.score(o);
    this.n++;
  }

  revert(o: RankingObservation): void {
    this.sum -= this.score(o);
    this.n--;
  }

  get(): number {
    return this.n ? this.sum / this.n : 0;
  }

  get count(): number {
    return this.n;
  }
}

/** Hits in the top k, each target counted once (a ranking that repeats an id gets credit once), with their positions. */
function topKHits(o: RankingObservation, k: number): number[] {
  const positions: number[] = [];
  if (!o.ranked) return positions;
  const counted = new Set<string>();
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
  protected score(o: RankingObservation): number {
    return topKHits(o, this.k).length / o.targets.size;
  }
}

/** HR@K: 1 when any target is in the top K, mean over queries (= Recall@K for one target per query). */
export class HitRateAtK extends MeanOverQueries {
  protected score(o: RankingObservation): number {
    return topKHits(o, this.k).length > 0 ? 1 : 0;
  }
}

/** NDCG@K with binary gains: DCG / IDCG, IDCG over min(|T|, K) positions, mean over queries. */
export class NdcgAtK extends MeanOverQueries {
  protected score(o: RankingObservation): number {
    let dcg = 0;
    for (const pos of topKHits(o, this.k)) dcg += 1 / Math.log2(pos + 2);
    let idcg = 0;
    for (let pos = 0; pos < Math.min(o.targets.size, this.k); pos++) idcg += 1 / Math.log2(pos + 2);
    return dcg / idcg;
  }
}

/** A metric over the last `size` observations only (River's Rolling): the oldest is reverted as each new one arrives. */
export class Rolling<Observation> implements Metric<Observation> {
  private readonly window: Observation[] = [];

  constructor(
    readonly metric: Metric<Observation>,
    readonly size: number,
  ) {
    if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`window size must be a positive integer, got ${size}`);
  }

  get biggerIsBetter(): boolean {
    return this.metric.biggerIsBetter;
  }

  get count(): number {
    return this.metric.count;
  }

  update(o: Observation): void {
    this.window.push(o);
    this.metric.update(o);
    if (this.window.length > this.size) this.metric.revert(this.window.shift()!);
  }

  revert(o: Observation): void {
    const i = this.window.lastIndexOf(o);
    if (i >= 0) this.window.splice(i, 1);
    this.metric.revert(o);
  }

  get(): number {
    return this.metric.get();
  }
}
