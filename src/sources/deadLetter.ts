import { appendFileSync } from 'node:fs';

/** One rejected record with why it was rejected. The original bytes/text/object are kept as they came. */
export interface DeadLetterRecord {
  raw: unknown;
  reason: string;
  message: string;
  at: number;
  /** Where the record came from, when the source has positions (Kafka). */
  source?: RecordPosition;
}

export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Where invalid records go instead of being dropped. The Kafka adapter writes them to the
 * dead-letter topic; the embedded default keeps counts and a bounded sample, optionally a JSONL file.
 */
export interface DeadLetterSink {
  /** A returned promise resolves once the record is durable; the source record is acknowledged only then. */
  send(record: DeadLetterRecord): void | Promise<void>;
}

export class MemoryDeadLetterSink implements DeadLetterSink {
  readonly countsByReason = new Map<string, number>();
  readonly recent: DeadLetterRecord[] = [];
  private total = 0;

  constructor(private readonly keepRecent = 100) {}

  get count(): number {
    return this.total;
  }

  send(record: DeadLetterRecord): void {
    this.total++;
    this.countsByReason.set(record.reason, (this.countsByReason.get(record.reason) ?? 0) + 1);
    this.recent.push(record);
    if (this.recent.length > this.keepRecent) this.recent.shift();
  }
}

function rawForJson(raw: unknown): unknown {
  if (raw instanceof Uint8Array) return { base64: Buffer.from(raw).toString('base64') };
  return raw;
}

/** Appends each record as one JSON line (raw kept as text, or base64 for bytes) and forwards it. */
export class FileDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly path: string,
    private readonly next?: DeadLetterSink,
  ) {}

  send(record: DeadLetterRecord): void {
    appendFileSync(this.path, `${JSON.stringify({ ...record, raw: rawForJson(record.raw) })}\n`);
    this.next?.send(record);
  }
}
