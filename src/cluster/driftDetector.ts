/**
 * Page-Hinkley test on a stream of values (here: the training loss). Fires when the mean rises
 * by more than `threshold` cumulated beyond a tolerance `delta`, then resets. Used as the drift
 * signal that triggers an early re-clustering.
 */
export class PageHinkley {
  private mean = 0;
  private n = 0;
  private cumulative = 0;
  private minimum = 0;

  constructor(
    readonly delta = 0.05,
    readonly threshold = 5,
    /** Values seen before the test may fire (the loss falls fast at first). */
    readonly warmup = 50,
  ) {}

  /** Add one value; true when drift is detected (the detector then starts over). */
  update(value: number): boolean {
    if (!Number.isFinite(value)) return false;
    this.n++;
    this.mean += (value - this.mean) / this.n;
    this.cumulative += value - this.mean - this.delta;
    this.minimum = Math.min(this.minimum, this.cumulative);
    if (this.n > this.warmup && this.cumulative - this.minimum > this.threshold) {
      this.reset();
      return true;
    }
    return false;
  }

  toData(): PageHinkleyData {
    return { mean: this.mean, n: this.n, cumulative: this.cumulative, minimum: this.minimum };
  }

  restore(data: PageHinkleyData): void {
    ({ mean: this.mean, n: this.n, cumulative: this.cumulative, minimum: this.minimum } = data);
  }

  reset(): void {
    this.mean = 0;
    this.n = 0;
    this.cumulative = 0;
    this.minimum = 0;
  }
}

export interface PageHinkleyData {
  mean: number;
  n: number;
  cumulative: number;
  minimum: number;
}
