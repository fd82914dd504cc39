import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalProfilerFlag } from '../src/backend/selectBackend.js';
test('signal-sampling profiler flags are recognised on the command line and in NODE_OPTIONS', () => {
    assert.equal(signalProfilerFlag(['--cpu-prof'], ''), '--cpu-prof');
    assert.equal(signalProfilerFlag(['--cpu-prof-dir=/tmp/x', '--cpu-prof'], ''), '--cpu-prof');
    assert.equal(signalProfilerFlag([], '--max-old-space-size=4096 --prof'), '--prof');
    // Options that only name a profile's directory or interval, or other profilers, start nothing.
    assert.equal(signalProfilerFlag(['--cpu-prof-dir=/tmp/x', '--heap-prof', '--prof-process'], '--inspect'), null);
    assert.equal(signalProfilerFlag([], ''), null);
});
test('native TensorFlow trains under `node --cpu-prof` without heap corruption (oneDNN capped for that run)', { timeout: 240000 }, async (t) => {
    try {
        await import('@tensorflow/tfjs-node');
    }
    catch {
        t.skip('needs the native backend (npm run setup:native)');
        return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'micstream-prof-'));
    try {
        const env = { ...process.env };
        delete env.ONEDNN_MAX_CPU_ISA;
        const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, fileURLToPath(new URL('./fixtures/nativeTrainLoop.js', import.meta.url))], { env, encoding: 'utf8', timeout: 200000 });
        const out = `${child.stdout}\n${child.stderr}`;
        // Unprotected, this run aborts within seconds ("corrupted size vs. prev_size", SIGABRT).
        assert.equal(child.status, 0, `child exited with ${child.status ?? child.signal}: ${out.slice(-600)}`);
        assert.match(out, /note: --cpu-prof samples with signals.*ONEDNN_MAX_CPU_ISA=SSE41/);
        assert.match(out, /trained 300 steps/);
        assert.equal(readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length, 1, 'the profile was written');
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=nativeSignals.test.js.map