/**
 * Page-Hinkley test on a stream of values (here: the training loss). Fires when the mean rises
 * by more than `threshold` cumulated beyond a tolerance `delta`, then resets. Used as the drift
 * signal that triggers an early re-clustering.
 */
export class PageHinkley {
    delta;
    threshold;
    warmup;
    mean = 0;
    n = 0;
    cumulative = 0;
    minimum = 0;
    constructor(delta = 0.05, threshold = 5, 
    /** Values seen before the test may fire (the loss falls fast at first). */
    warmup = 50) {
        this.delta = delta;
        this.threshold = threshold;
        this.warmup = warmup;
    }
    /** Add one value; true when drift is detected (the detector then starts over). */
    update(value) {
        if (!Number.isFinite(value))
            return false;
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
    toData() {
        return { mean: this.mean, n: this.n, cumulative: this.cumulative, minimum: this.minimum };
    }
    restore(data) {
        ({ mean: this.mean, n: this.n, cumulative: this.cumulative, minimum: this.minimum } = data);
    }
    reset() {
        this.mean = 0;
        this.n = 0;
        this.cumulative = 0;
        this.minimum = 0;
    }
}
//# sourceMappingURL=driftDetector.js.map