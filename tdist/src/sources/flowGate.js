/**
 * Credit-based backpressure between a source and the trainer. A source takes one credit per record
 * before emitting it; the pipeline gives credits back once the record's training step has finished
 * (or once it was rejected as invalid). So at most `capacity` records are ever buffered between
 * source and trainer, however fast the source is. Not thread-safe (single event loop).
 */
export class FlowGate {
    capacity;
    inFlightCount = 0;
    peak = 0;
    waiters = [];
    constructor(capacity) {
        if (!Number.isInteger(capacity) || capacity < 1)
            throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
        this.capacity = capacity;
    }
    get inFlight() {
        return this.inFlightCount;
    }
    /** The most records that were ever in flight at once. */
    get peakInFlight() {
        return this.peak;
    }
    /** Take one credit if one is free; never waits. */
    tryAcquire() {
        if (this.inFlightCount >= this.capacity)
            return false;
        this.inFlightCount++;
        if (this.inFlightCount > this.peak)
            this.peak = this.inFlightCount;
        return true;
    }
    /** Resolves once a credit is free (it does not take it: call tryAcquire again). */
    available() {
        if (this.inFlightCount < this.capacity)
            return Promise.resolve();
        return new Promise((resolve) => this.waiters.push(resolve));
    }
    release(count = 1) {
        this.inFlightCount = Math.max(0, this.inFlightCount - count);
        if (this.inFlightCount < this.capacity && this.waiters.length > 0) {
            const waiters = this.waiters;
            this.waiters = [];
            for (const wake of waiters)
                wake();
        }
    }
}
//# sourceMappingURL=flowGate.js.map