/**
 * Decayed evidence of a choice among candidates: hit counts per candidate and the decayed number of
 * checks; with a guard also, per candidate, the decayed sum of (hit_c - hit_reference)^2 and the
 * decayed sum of the squared check weights (what a standard error on decayed counts needs).
 */
export interface PairedEvidence {
  hits: Float64Array;
  weight: number;
  squaredDiffs?: Float64Array;
  weightSquares?: number;
}

/** One check into `ev`: each candidate's hit, decayed by `decay` per check (spread too when `ev` keeps it). */
export function recordPaired(ev: PairedEvidence, hits: readonly boolean[], decay: number, reference: number): void {
  hits.forEach((hit, c) => (ev.hits[c] = ev.hits[c]! * decay + (hit ? 1 : 0)));
  ev.weight = ev.weight * decay + 1;
  if (ev.squaredDiffs) {
    const ref = hits[reference] ? 1 : 0;
    hits.forEach((hit, c) => (ev.squaredDiffs![c] = ev.squaredDiffs![c]! * decay + ((hit ? 1 : 0) - ref) ** 2));
    // Older checks weigh decay^age, so the sum of squared weights decays with decay^2.
    ev.weightSquares = ev.weightSquares! * decay * decay + 1;
  }
}

/** How many standard errors `c`'s paired advantage over `reference` is, on decayed counts (0 without spread). */
export function advantageZ(ev: PairedEvidence, c: number, reference: number): number {
  if (ev.weight === 0 || !ev.squaredDiffs || !ev.weightSquares) return 0;
  const mean = (ev.hits[c]! - ev.hits[reference]!) / ev.weight;
  const variance = Math.max(0, ev.squaredDiffs[c]! / ev.weight - mean * mean);
  const se = Math.sqrt(variance / ((ev.weight * ev.weight) / ev.weightSquares));
  if (se === 0) return mean > 0 ? Infinity : mean < 0 ? -Infinity : 0;
  return mean / se;
}

/**
 * Copies `from` into `into` (the same candidates). A guarded `into` given evidence without the
 * spread (saved unguarded, or before the guard existed) cannot test it: it starts over instead.
 * @returns whether the evidence was kept.
 * @throws RangeError when `from` holds another number of candidates.
 */
export function restorePaired(into: PairedEvidence, from: PairedEvidence, what: string): boolean {
  if (from.hits.length !== into.hits.length)
    throw new RangeError(`${what} holds ${from.hits.length} candidates, expected ${into.hits.length}`);
  if (into.squaredDiffs && !(from.squaredDiffs?.length === into.squaredDiffs.length && from.weightSquares !== undefined)) {
    into.hits.fill(0);
    into.weight = 0;
    into.squaredDiffs.fill(0);
    into.weightSquares = 0;
    return false;
  }
  into.hits.set(from.hits);
  into.weight = from.weight;
  if (into.squaredDiffs) {
    into.squaredDiffs.set(from.squaredDiffs!);
    into.weightSquares = from.weightSquares!;
  }
  return true;
}
