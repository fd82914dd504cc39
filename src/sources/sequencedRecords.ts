import { map, type Observable } from 'rxjs';
import type { RecordPosition } from './deadLetter.js';
import { OffsetTracker } from './offsetTracker.js';

/** A record of a source without positions of its own, numbered in emission order. */
export interface SequencedRecord {
  raw: unknown;
  seq: number;
}

/**
 * Positions for a source that has none (file replay, the synthetic stream): records are numbered
 * from `start` (the records a restored checkpoint covers, which the source skipped) in emission
 * order, and `position` is how many records from the start have a final fate (trained, held out,
 * dead-lettered) with none missing before them: what a checkpoint taken now covers.
 */
export class SequencedRecords {
  private readonly tracker = new OffsetTracker();
  private next: number;

  constructor(
    /** Names the source in dead-letter positions (as a topic would). */
    private readonly name: string,
    private readonly start: number,
  ) {
    this.next = start;
  }

  number(source: Observable<unknown>): Observable<SequencedRecord> {
    return source.pipe(
      map((raw) => {
        const seq = this.next++;
        this.tracker.track(this.name, 0, String(seq));
        return { raw, seq };
      }),
    );
  }

  readonly adapter = {
    raw: (r: SequencedRecord): unknown => r.raw,
    position: (r: SequencedRecord): RecordPosition => ({ topic: this.name, partition: 0, offset: String(r.seq) }),
    ack: (records: readonly SequencedRecord[]): void => {
      for (const r of records) this.tracker.done(this.name, 0, String(r.seq));
    },
  };

  /** Records from the start of the source whose fate is final, as one unbroken prefix. */
  get position(): number {
    const c = this.tracker.committable()[0];
    return c ? Number(c.offset) : this.start;
  }
}
