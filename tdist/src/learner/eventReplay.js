import { Rng } from '../util/random.js';
/** Replay starts once the buffer holds this many live batches, so the first batches are not relearned over and over. */
const MIN_BATCHES_BUFFERED = 4;
/**
 * A bounded window of recently trained events, replayed as extra training batches after each live
 * step. One pass over a sparse stream shows each (user, item) pair once, too little for id
 * embeddings to learn; replaying the recent past gives rows more updates without any event from
 * the future. The window is a ring: the oldest event leaves when a new one arrives.
 */
export class EventReplay {
    options;
    ring = [];
    next = 0;
    rng;
    constructor(options) {
        this.options = options;
        if (!(Number.isInteger(options.batchesPerStep) && options.batchesPerStep >= 0))
            throw new RangeError(`replay batchesPerStep must be an integer >= 0, got ${options.batchesPerStep}`);
        if (!(Number.isInteger(options.capacity) && options.capacity >= 1))
            throw new RangeError(`replay capacity must be an integer >= 1, got ${options.capacity}`);
        this.rng = new Rng(options.seed ^ 0x5eed1e55);
    }
    get size() {
        return this.ring.length;
    }
    /** Take in a trained batch (after its step: histories then hold it, which replay accounts for). */
    add(events) {
        if (this.options.batchesPerStep === 0)
            return;
        for (const e of events) {
            if (this.ring.length < this.options.capacity)
                this.ring.push(e);
            else {
                this.ring[this.next] = e;
                this.next = (this.next + 1) % this.options.capacity;
            }
        }
    }
    /**
     * The batches to replay after a live step of `liveEvents` events: `batchesPerStep` batches of
     * that size drawn uniformly from the window, no event twice in one batch. Empty until the
     * window holds a few live batches.
     */
    batches(liveEvents) {
        const n = Math.min(liveEvents, this.ring.length);
        if (this.options.batchesPerStep === 0 || n === 0 || this.ring.length < MIN_BATCHES_BUFFERED * liveEvents)
            return [];
        const out = [];
        for (let b = 0; b < this.options.batchesPerStep; b++) {
            const picked = new Set();
            const batch = [];
            while (batch.length < n) {
                const j = this.rng.int(this.ring.length);
                if (picked.has(j))
                    continue;
                picked.add(j);
                batch.push(this.ring[j]);
            }
            out.push(batch);
        }
        return out;
    }
    /**
     * Train the batches due after a live step of `liveEvents` events (see `batches`) with `step`.
     * @returns each replayed batch's loss, keyed replay0, replay1, ...
     */
    async train(liveEvents, step) {
        const terms = {};
        for (const [r, batch] of this.batches(liveEvents).entries())
            terms[`replay${r}`] = (await step(batch, r)).loss;
        return terms;
    }
    /** Drop the events of expired ids (they would bring their rows back). */
    forget(expired) {
        const kept = this.ordered().filter((e) => !expired(e));
        this.ring.length = 0;
        this.next = 0;
        for (const e of kept)
            this.ring.push(e);
    }
    /** The window, oldest first. */
    ordered() {
        return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    }
    /** Checkpoint state: the ring as laid out (draws index it), its write position and the generator. */
    toData() {
        return { ring: [...this.ring], next: this.next, rng: this.rng.stateValue };
    }
    restore(data) {
        if (data.ring.length > this.options.capacity)
            throw new RangeError(`replay state holds ${data.ring.length} events, more than the capacity ${this.options.capacity}`);
        this.ring.length = 0;
        for (const e of data.ring)
            this.ring.push(e);
        this.next = data.next;
        this.rng.restore(data.rng);
    }
}
//# sourceMappingURL=eventReplay.js.map