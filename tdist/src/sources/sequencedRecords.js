import { map } from 'rxjs';
import { OffsetTracker } from './offsetTracker.js';
/**
 * Positions for a source that has none (file replay, the synthetic stream): records are numbered
 * from `start` (the records a restored checkpoint covers, which the source skipped) in emission
 * order, and `position` is how many records from the start have a final fate (trained, held out,
 * dead-lettered) with none missing before them: what a checkpoint taken now covers.
 */
export class SequencedRecords {
    name;
    start;
    tracker = new OffsetTracker();
    next;
    constructor(
    /** Names the source in dead-letter positions (as a topic would). */
    name, start) {
        this.name = name;
        this.start = start;
        this.next = start;
    }
    number(source) {
        return source.pipe(map((raw) => {
            const seq = this.next++;
            this.tracker.track(this.name, 0, String(seq));
            return { raw, seq };
        }));
    }
    adapter = {
        raw: (r) => r.raw,
        position: (r) => ({ topic: this.name, partition: 0, offset: String(r.seq) }),
        ack: (records) => {
            for (const r of records)
                this.tracker.done(this.name, 0, String(r.seq));
        },
    };
    /** Records from the start of the source whose fate is final, as one unbroken prefix. */
    get position() {
        const c = this.tracker.committable()[0];
        return c ? Number(c.offset) : this.start;
    }
}
//# sourceMappingURL=sequencedRecords.js.map