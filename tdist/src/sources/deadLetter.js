import { appendFileSync } from 'node:fs';
export class MemoryDeadLetterSink {
    keepRecent;
    countsByReason = new Map();
    recent = [];
    total = 0;
    constructor(keepRecent = 100) {
        this.keepRecent = keepRecent;
    }
    get count() {
        return this.total;
    }
    send(record) {
        this.total++;
        this.countsByReason.set(record.reason, (this.countsByReason.get(record.reason) ?? 0) + 1);
        this.recent.push(record);
        if (this.recent.length > this.keepRecent)
            this.recent.shift();
    }
}
function rawForJson(raw) {
    if (raw instanceof Uint8Array)
        return { base64: Buffer.from(raw).toString('base64') };
    return raw;
}
/** Appends each record as one JSON line (raw kept as text, or base64 for bytes) and forwards it. */
export class FileDeadLetterSink {
    path;
    next;
    constructor(path, next) {
        this.path = path;
        this.next = next;
    }
    send(record) {
        appendFileSync(this.path, `${JSON.stringify({ ...record, raw: rawForJson(record.raw) })}\n`);
        this.next?.send(record);
    }
}
//# sourceMappingURL=deadLetter.js.map