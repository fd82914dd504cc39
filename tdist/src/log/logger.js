import { pino } from 'pino';
import pretty from 'pino-pretty';
import { Writable } from 'node:stream';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export const LOG_FORMATS = ['auto', 'json', 'pretty'];
/** Fields whose values never reach a log line, wherever they appear (one or two levels down). */
export const REDACTED_KEYS = ['password', 'kafkaSaslPassword', 'secret', 'token', 'authorization'];
export const REDACTED = '[redacted]';
/**
 * The process logger (pino): structured JSON lines with level and time for the always-on
 * commands, human-readable when stdout is a terminal. Secrets are redacted by key (REDACTED_KEYS)
 * at any depth up to two levels, so a logged config or connection object cannot leak them.
 */
export function createLogger(options) {
    const terminal = options.isTerminal ?? Boolean(process.stdout.isTTY);
    const format = resolveLogFormat(options.format, terminal);
    const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
    const base = {
        level: options.level,
        base: { pid: process.pid },
        redact: { paths, censor: REDACTED },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
    };
    if (format === 'pretty') {
        const stream = pretty({
            colorize: terminal,
            sync: true,
            translateTime: 'SYS:HH:MM:ss.l',
            ignore: 'pid,hostname',
            ...(options.destination ? { destination: writableOf(options.destination) } : {}),
        });
        return pino(base, stream);
    }
    return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
/** The format `auto` stands for here: pretty on a terminal, JSON otherwise. */
export function resolveLogFormat(format, isTerminal = Boolean(process.stdout.isTTY)) {
    return format === 'auto' ? (isTerminal ? 'pretty' : 'json') : format;
}
/** A logger that keeps its JSON lines in memory (tests, and callers that show logs elsewhere). */
export function memoryLogger(level = 'info') {
    const lines = [];
    const logger = createLogger({ level, format: 'json', destination: { write: (line) => void lines.push(JSON.parse(line)) } });
    return { logger, lines };
}
/** An error as log fields: its class, code, message and stack (pino's err serialiser, by name). */
export function errorFields(error) {
    return { err: error instanceof Error ? error : new Error(String(error)) };
}
/** A node stream over a plain { write } destination (pino-pretty writes to streams only). */
function writableOf(destination) {
    return new Writable({
        write(chunk, _encoding, callback) {
            destination.write(chunk.toString());
            callback();
        },
    });
}
//# sourceMappingURL=logger.js.map