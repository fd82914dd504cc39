import { advantageZ, recordPaired, restorePaired, type PairedEvidence } from './pairedAdvantage.js';

/** A decayed choice's checkpoint state (the field names of the I2I fusion's older checkpoints). */
export interface DecayedChoiceData {
  hits: Float64Array;
  /** Decayed number of checks (the hit rates' denominator). */
  weight: number;
  checks: number;
  budget: number;
  /** With a guard: the spread of each candidate's paired difference from `initial` (absent in older checkpoints). */
  squaredDiffs?: Float64Array;
  weightSquares?: number;
}

/**
 * The evidence behind one served number chosen among fixed candidates, test-then-train: decayed
 * hit counts per candidate (half-life in checks), the argmax served once `minChecks` checks are in
 * (ties: the candidate nearest `initial`), `initial` before. With `zScore`, `initial` stays served
 * unless the argmax's paired win over it exceeds that many standard errors (src/learner/pairedAdvantage.ts):
 * where the candidates' answers differ by less than the checks' noise, the argmax would follow the
 * noise. Shared by the fusion weights of I2I and U2U (their probes say what a hit is).
 */
export class DecayedChoice {
  private readonly evidence: PairedEvidence;
  private checked = 0;
  private readonly decay: number;
  /** Index of `initial` among the candidates (the guard's reference). */
  private readonly reference: number;

  constructor(
    readonly candidates: readonly number[],
    private readonly initial: number,
    halfLifeChecks: number,
    private readonly minChecks: number,
    private readonly zScore: number | null = null,
  ) {
    this.reference = candidates.indexOf(initial);
    if (zScore !== null && this.reference < 0) throw new RangeError(`decayed choice: a guarded initial (${initial}) must be a candidate`);
    const n = candidates.length;
    this.evidence =
      zScore === null
        ? { hits: new Float64Array(n), weight: 0 }
        : { hits: new Float64Array(n), weight: 0, squaredDiffs: new Float64Array(n), weightSquares: 0 };
    this.decay = Math.pow(0.5, 1 / halfLifeChecks);
  }

  get checks(): number {
    return this.checked;
  }

  /** One check: `hit(c)` says whether candidate c's answer held the truth. */
  record(hit: (candidate: number, index: number) => boolean): void {
    recordPaired(
      this.evidence,
      this.candidates.map((c, i) => hit(c, i)),
      this.decay,
      Math.max(0, this.reference),
    );
    this.checked++;
  }

  /** The candidate to serve now. */
  best(): number {
    if (this.checked < this.minChecks) return this.initial;
    const hits = this.evidence.hits;
    let best = -1;
    for (let c = 0; c < this.candidates.length; c++) {
      if (best < 0 || hits[c]! > hits[best]! + 1e-9) best = c;
      else if (Math.abs(hits[c]! - hits[best]!) <= 1e-9 && this.nearerInitial(c, best)) best = c;
    }
    if (this.zScore !== null && best !== this.reference && !(advantageZ(this.evidence, best, this.reference) > this.zScore))
      return this.initial;
    return this.candidates[best]!;
  }

  /** Decayed hit rate per candidate. */
  hitRates(): number[] {
    const { hits, weight } = this.evidence;
    return Array.from(hits, (h) => (weight > 0 ? h / weight : 0));
  }

  toData(budget: number): DecayedChoiceData {
    const ev = this.evidence;
    return {
      hits: ev.hits,
      weight: ev.weight,
      checks: this.checked,
      budget,
      ...(ev.squaredDiffs ? { squaredDiffs: ev.squaredDiffs, weightSquares: ev.weightSquares! } : {}),
    };
  }

  /** @returns the carried check budget. */
  restore(data: DecayedChoiceData, what: string): number {
    // Saved without the guard's spread: the evidence starts again.
    this.checked = restorePaired(this.evidence, data, `${what} state`) ? data.checks : 0;
    return data.budget;
  }

  private nearerInitial(a: number, b: number): boolean {
    return Math.abs(this.candidates[a]! - this.initial) < Math.abs(this.candidates[b]! - this.initial);
  }
}
