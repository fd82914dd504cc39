import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runServe } from '../src/cli/serve.js';
import { loadConfig } from '../src/config/config.js';
import { KafkaAdapterError } from '../src/errors.js';
import { memoryLogger } from '../src/log/logger.js';
import { threadNice } from '../src/util/threadPriority.js';
test('serve without Kafka: HTTP answers at once (alive, not ready), Kafka is retried, and at the deadline one clear error', async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const { config } = loadConfig({
        argv: ['--kafka-brokers', '127.0.0.1:1', '--port', '0', '--kafka-start-timeout-ms', '1500'],
        env: {},
    });
    const { logger, lines } = memoryLogger();
    const started = Date.now();
    const handle = await runServe(config, logger);
    try {
        assert.ok(Date.now() - started < 1000, 'listening without waiting for Kafka');
        assert.equal((await fetch(`${handle.url}/healthz`)).status, 200);
        assert.equal((await fetch(`${handle.url}/readyz`)).status, 503);
        const error = await handle.kafkaReady.then(() => null, (err) => err);
        assert.ok(error instanceof KafkaAdapterError, String(error));
        assert.match(error.message, /^Kafka at 127\.0\.0\.1:1 did not answer within 1\.5 s \(.+\)$/);
        assert.ok(!error.message.includes('\n'), 'one line');
        const waited = Date.now() - started;
        assert.ok(waited >= 1400 && waited < 6000, `gave up after ${waited} ms`);
        assert.ok(lines.some((l) => l.msg === 'waiting for Kafka to read the recall topic' && l.brokers === '127.0.0.1:1'), 'each wait is logged');
        assert.equal((await fetch(`${handle.url}/healthz`)).status, 200, 'still alive while it gives up');
        if (process.platform === 'linux') {
            // Topic reading and index builds yield to the API thread (--training-nice, default 10).
            assert.equal(threadNice(process.pid), config.trainingNice, 'the reading thread is reniced');
            assert.ok(lines.some((l) => l.msg === 'thread priority: every thread but the recall API thread reniced'), 'and says so');
        }
    }
    finally {
        await handle.close();
    }
});
//# sourceMappingURL=serveStart.test.js.map