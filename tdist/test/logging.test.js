import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger, memoryLogger, REDACTED, resolveLogFormat } from '../src/log/logger.js';
import { LOGGED_FAILURE_EVENTS, logInstrumentationErrors } from '../src/log/instrumentationLog.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
test('JSON lines carry level, time and message; secrets are redacted at any depth; levels filter', () => {
    const { logger, lines } = memoryLogger('info');
    logger.info({ sasl: { username: 'app', password: 'hunter2' }, config: { kafkaSaslPassword: { value: 'hunter2' } }, token: 't' }, 'connecting');
    logger.debug('hidden below info');
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'connecting');
    assert.ok(!Number.isNaN(Date.parse(String(line.time))));
    assert.equal(line.sasl.password, REDACTED);
    assert.equal(line.sasl.username, 'app');
    assert.equal(line.config.kafkaSaslPassword, REDACTED);
    assert.ok(!JSON.stringify(lines).includes('hunter2'));
    assert.equal(resolveLogFormat('auto', true), 'pretty');
    assert.equal(resolveLogFormat('auto', false), 'json');
    const text = [];
    createLogger({ level: 'info', format: 'pretty', isTerminal: false, destination: { write: (l) => void text.push(l) } }).warn({ version: 3 }, 'human readable');
    assert.match(text.join(''), /WARN.*human readable/);
    assert.ok(!text.join('').startsWith('{'));
});
test('every failure event of the instrumentation is logged once, with its error', () => {
    const instrumentation = new Instrumentation();
    const { logger, lines } = memoryLogger('info');
    const off = logInstrumentationErrors(instrumentation, logger);
    const error = new Error('broker gone');
    const payloads = {
        'trainer.error': { events: 3, error },
        'trainer.fatal': { events: 3, consecutiveFailures: 1, error },
        'index.build_failed': { error },
        'index.publish_failed': { version: 7, error },
        'deadletter.error': { error },
        'consumer.crash': { error, restart: false },
        'recall.rejected': { version: 7, reason: 'checksum' },
        'checkpoint.failed': { reason: 'interval', error },
        'checkpoint.skipped': { name: 'checkpoint-000000000003', why: 'part store.bin fails its SHA-256 checksum' },
        'instrumentation.listener_error': { event: 'trainer.step', error },
    };
    for (const name of LOGGED_FAILURE_EVENTS)
        instrumentation.emit(name, payloads[name]);
    assert.equal(lines.length, LOGGED_FAILURE_EVENTS.length);
    for (const [i, name] of LOGGED_FAILURE_EVENTS.entries()) {
        assert.equal(lines[i].event, name);
        assert.ok(['warn', 'error', 'fatal'].includes(String(lines[i].level)), `${name}: ${String(lines[i].level)}`);
        if (name !== 'recall.rejected' && name !== 'checkpoint.skipped')
            assert.equal(lines[i].err.message, 'broker gone');
    }
    off();
    instrumentation.emit('trainer.error', { events: 1, error });
    assert.equal(lines.length, LOGGED_FAILURE_EVENTS.length, 'unsubscribed');
});
test('micstream train: the startup config record never shows the SASL password; --log-level warn drops info records', () => {
    const env = { ...process.env, MICSTREAM_KAFKA_SASL_PASSWORD: 'hunter2-secret', MICSTREAM_KAFKA_SASL_USERNAME: 'app' };
    const run = spawnSync(process.execPath, [MAIN, 'train', '--max-events', '1500', '--port', '0', '--synthetic-events', '1500'], {
        encoding: 'utf8',
        env,
        timeout: 120_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(!run.stdout.includes('hunter2') && !run.stderr.includes('hunter2'), 'the password appears nowhere');
    const records = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
    const config = records.find((r) => r.msg === 'config').config;
    // Redacted twice over: configForLog shows secrets as [redacted], and the logger censors the key.
    assert.equal(config.kafkaSaslPassword, REDACTED);
    assert.equal(config.kafkaSaslUsername.value, 'app');
    const quiet = spawnSync(process.execPath, [MAIN, 'train', '--max-events', '1500', '--port', '0', '--log-level', 'warn'], {
        encoding: 'utf8',
        timeout: 120_000,
    });
    assert.equal(quiet.status, 0, quiet.stderr);
    const levels = quiet.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l).level);
    assert.ok(levels.every((l) => l === 'warn' || l === 'error' || l === 'fatal'), levels.join(','));
});
//# sourceMappingURL=logging.test.js.map