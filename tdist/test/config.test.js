import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configMarkdownTable, envName, KNOBS, loadConfig } from '../src/config/config.js';
import { ConfigError } from '../src/errors.js';
import { readFileSync } from 'node:fs';
test('defaults, then file, then env, then flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'micstream-config-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ batchSize: 64, port: 9000, temperature: 0.2 }));
    const loaded = loadConfig({
        argv: ['train', '--config', file, '--port', '9100', '--no-log-q'],
        env: { MICSTREAM_BATCH_SIZE: '128', MICSTREAM_SEED: '3' },
    });
    assert.equal(loaded.config.batchSize, 128);
    assert.equal(loaded.origins.batchSize, 'env');
    assert.equal(loaded.config.port, 9100);
    assert.equal(loaded.origins.port, 'flag');
    assert.equal(loaded.config.temperature, 0.2);
    assert.equal(loaded.origins.temperature, 'file');
    assert.equal(loaded.config.seed, 3);
    assert.equal(loaded.config.logQ, false);
    assert.equal(loaded.config.embeddingDim, KNOBS.embeddingDim.default);
    assert.deepEqual(loaded.positionals, ['train']);
    assert.ok(Object.isFrozen(loaded.config));
});
test('every problem is reported at once', () => {
    try {
        loadConfig({ argv: ['--batch-size', '0', '--backend', 'tpu', '--temperature', 'hot'], env: { MICSTREAM_PORT: '99999' } });
        assert.fail('expected a ConfigError');
    }
    catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 4, err.problems.join('\n'));
        assert.equal(err.code, 'MICSTREAM_ERR_CONFIG');
    }
    assert.throws(() => loadConfig({ argv: ['--no-such-flag'], env: {} }), ConfigError);
});
test('env names are derived from knob names and README documents every knob', () => {
    assert.equal(envName('batchMaxWaitMs'), 'MICSTREAM_BATCH_MAX_WAIT_MS');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const line of configMarkdownTable().split('\n').slice(2))
        assert.ok(readme.includes(line), `README.md is missing or has a stale row: ${line}`);
});
//# sourceMappingURL=config.test.js.map