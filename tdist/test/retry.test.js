import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, isRetriable, retry } from '../src/util/retry.js';
import { IndexNotReadyError, KafkaAdapterError, MicstreamError } from '../src/errors.js';
const retriable = (message) => Object.assign(new Error(message), { retriable: true });
const FAST = { initialDelayMs: 1, maxDelayMs: 4 };
test('Backoff: exponential, capped, jitter within ±jitter, reset after a success', () => {
    const low = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2, jitter: 0.2, random: () => 0 });
    assert.deepEqual([1, 2, 3, 4, 5].map(() => low.next()), [80, 160, 320, 640, 800]);
    const high = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000, jitter: 0.2, random: () => 0.999999 });
    const first = high.next();
    assert.ok(first > 119.99 && first <= 120, String(first));
    high.reset();
    assert.equal(high.attempts, 0);
    let seen = 0;
    const real = new Backoff({ initialDelayMs: 1000, jitter: 0.5 });
    for (let i = 0; i < 50; i++) {
        real.reset();
        const d = real.next();
        assert.ok(d >= 500 && d <= 1500, String(d));
        if (d !== 1000)
            seen++;
    }
    assert.ok(seen > 0, 'jitter varies the delay');
});
test('retry: retriable errors until success; the attempts and the delays are reported', async () => {
    const delays = [];
    let calls = 0;
    const value = await retry(async (attempt) => {
        calls++;
        if (attempt < 3)
            throw retriable(`fail ${attempt}`);
        return 'ok';
    }, { ...FAST, retries: 5, onRetry: (_e, attempt, delay) => delays.push(attempt, delay) });
    assert.equal(value, 'ok');
    assert.equal(calls, 4);
    assert.equal(delays.length, 6);
    assert.deepEqual([delays[0], delays[2], delays[4]], [1, 2, 3]);
});
test('retry: gives up after `retries` and throws the last error; never retries the non-retriable or a programmer error', async () => {
    let calls = 0;
    await assert.rejects(retry(async () => {
        calls++;
        throw retriable(`fail ${calls}`);
    }, { ...FAST, retries: 2 }), /fail 3/);
    assert.equal(calls, 3);
    for (const error of [new TypeError('bug'), new RangeError('bug'), new Error('plain'), new MicstreamError('MICSTREAM_ERR_INDEX', 'no')]) {
        let n = 0;
        await assert.rejects(retry(async () => {
            n++;
            throw error;
        }, { ...FAST, retries: 5 }), (e) => e === error);
        assert.equal(n, 1, `${error.name} was not retried`);
    }
    // A TypeError that claims to be retriable is still a bug.
    assert.equal(isRetriable(Object.assign(new TypeError('x'), { retriable: true })), false);
    assert.equal(isRetriable(new IndexNotReadyError()), true);
    assert.equal(isRetriable(new KafkaAdapterError('lost', { retriable: true })), true);
    assert.equal(isRetriable(new KafkaAdapterError('denied', { retriable: false })), false);
});
test('retry: an aborted signal stops the waiting at once', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(retry(async () => {
        throw retriable('down');
    }, { initialDelayMs: 10_000, retries: Infinity, signal: controller.signal }), /down/);
    assert.ok(Date.now() - started < 2000);
});
//# sourceMappingURL=retry.test.js.map