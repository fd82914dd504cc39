/** A decayed choice's checkpoint state (the field names of the I2I fusion's older checkpoints). */
export interface DecayedChoiceData {
  hits: Float64Array;
  /** Decayed number of checks (the hit rates' denominator). */
  weight: number;
  checks: number;
  budget: number;
}

/**
 * The evidence behind one served number chosen among fixed candidates, test-then-train: decayed
 * hit counts per candidate (half-life in checks), the argmax served once `minChecks` checks are in
 * (ties: the candidate nearest `initial`), `initial` before. Shared by the fusion weights of I2I
 * and U2U (their probes say what a hit is).
 */
export class DecayedChoice {
  private readonly hits: Float64Array;
  private total = 0;
  private checked = 0;
  private readonly decay: number;

  constructor(
    readonly candidates: readonly number[],
    private readonly initial: number,
    halfLifeChecks: number,
    private readonly minChecks: number,
  ) {
    this.hits = new Float64Array(candidates.length);
    this.decay = Math.pow(0.5, 1 / halfLifeChecks);
  }

  get checks(): number {
    return this.checked;
  }

  /** One check: `hit(c)` says whether candidate c's answer held the truth. */
  record(hit: (candidate: number, index: number) => boolean): void {
    this.candidates.forEach((c, i) => {
      this.hits[i] = this.hits[i]! * this.decay + (hit(c, i) ? 1 : 0);
    });
    this.total = this.total * this.decay + 1;
    this.checked++;
  }

  /** The candidate to serve now. */
  best(): number {
    if (this.checked < this.minChecks) return this.initial;
    let best = -1;
    for (let c = 0; c < this.candidates.length; c++) {
      if (best < 0 || this.hits[c]! > this.hits[best]! + 1e-9) best = c;
      else if (Math.abs(this.hits[c]! - this.hits[best]!) <= 1e-9 && this.nearerInitial(c, best)) best = c;
    }
    return this.candidates[best]!;
  }

  /** Decayed hit rate per candidate. */
  hitRates(): number[] {
    return Array.from(this.hits, (h) => (this.total > 0 ? h / this.total : 0));
  }

  toData(budget: number): DecayedChoiceData {
    return { hits: this.hits, weight: this.total, checks: this.checked, budget };
  }

  /** @returns the carried check budget. */
  restore(data: DecayedChoiceData, what: string): number {
    if (data.hits.length !== this.hits.length)
      throw new RangeError(`${what} state has ${data.hits.length} candidates, expected ${this.hits.length}`);
    this.hits.set(data.hits);
    this.total = data.weight;
    this.checked = data.checks;
    return data.budget;
  }

  private nearerInitial(a: number, b: number): boolean {
    return Math.abs(this.candidates[a]! - this.initial) < Math.abs(this.candidates[b]! - this.initial);
  }
}
