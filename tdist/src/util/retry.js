/**
 * The one retry helper: exponential backoff with jitter, defaults in one object. It retries only
 * what says it may be retried (`retriable: true`, as MicstreamError and kafkajs errors carry) and
 * never a programmer error (TypeError, RangeError, ReferenceError, SyntaxError): those are bugs,
 * and retrying them only hides them.
 */
export const RETRY_DEFAULTS = Object.freeze({
    retries: 5,
    initialDelayMs: 300,
    maxDelayMs: 30_000,
    multiplier: 2,
    jitter: 0.2,
});
const PROGRAMMER_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];
/** A bug, not a condition of the world: never retried, never dead-lettered as data. */
export function isProgrammerError(error) {
    return PROGRAMMER_ERRORS.some((type) => error instanceof type);
}
/** Whether `error` says a retry may succeed (and is not a programmer error). */
export function isRetriable(error) {
    if (isProgrammerError(error))
        return false;
    return typeof error === 'object' && error !== null && error.retriable === true;
}
/** Delays of successive attempts: initial · multiplier^attempt, capped, with jitter; `reset` after a success. */
export class Backoff {
    attempt = 0;
    o;
    constructor(options = {}) {
        this.o = { ...RETRY_DEFAULTS, ...options };
    }
    /** The next delay in ms (and count the attempt). */
    next() {
        const base = Math.min(this.o.maxDelayMs, this.o.initialDelayMs * Math.pow(this.o.multiplier, this.attempt++));
        const random = this.o.random ?? Math.random;
        return Math.max(0, base * (1 - this.o.jitter + 2 * this.o.jitter * random()));
    }
    get attempts() {
        return this.attempt;
    }
    reset() {
        this.attempt = 0;
    }
}
/**
 * Run `fn` until it resolves; on a retriable error wait (Backoff) and try again, up to `retries`
 * more times. @throws the last error: a non-retriable one at once, a retriable one when the
 * attempts or the signal run out.
 */
export async function retry(fn, options = {}) {
    const o = { ...RETRY_DEFAULTS, ...options };
    const canRetry = o.retriable ?? isRetriable;
    const backoff = new Backoff(o);
    for (let attempt = 0;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (isProgrammerError(error) || !canRetry(error) || attempt >= o.retries || o.signal?.aborted)
                throw error;
            const delay = backoff.next();
            o.onRetry?.(error, attempt + 1, delay);
            if (!(await wait(delay, o.signal)))
                throw error;
        }
    }
}
/** Resolves true after `ms`, or false as soon as the signal aborts. */
function wait(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted)
            return resolve(false);
        const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
//# sourceMappingURL=retry.js.map