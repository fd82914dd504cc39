import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
const CHUNK_BYTES = 1 << 20;
/**
 * Calls `onLine` for every line of a text file, read in 1 MiB chunks: a file larger than V8's
 * longest string (about 512 MiB; MovieLens 25M's ratings.csv is 678 MB) cannot be read whole.
 * Line numbers start at 1; a trailing '\r' and a UTF-8 byte-order mark are removed; `onLine`
 * returning false stops the read.
 */
export function forEachLine(file, onLine) {
    const fd = openSync(file, 'r');
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry = '';
    let lineNumber = 0;
    let stopped = false;
    const emit = (line) => {
        lineNumber++;
        if (line.endsWith('\r'))
            line = line.slice(0, -1);
        if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff)
            line = line.slice(1);
        if (onLine(line, lineNumber) === false)
            stopped = true;
    };
    try {
        for (;;) {
            const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
            if (read === 0)
                break;
            const text = carry + decoder.write(buffer.subarray(0, read));
            let start = 0;
            for (let nl = text.indexOf('\n', start); nl >= 0 && !stopped; nl = text.indexOf('\n', start)) {
                emit(text.slice(start, nl));
                start = nl + 1;
            }
            if (stopped)
                return;
            carry = text.slice(start);
        }
        carry += decoder.end();
        if (carry.length > 0)
            emit(carry);
    }
    finally {
        closeSync(fd);
    }
}
/** The first line of a text file ('' for an empty one). */
export function firstLine(file) {
    let first = '';
    forEachLine(file, (line) => {
        first = line;
        return false;
    });
    return first;
}
//# sourceMappingURL=textLines.js.map