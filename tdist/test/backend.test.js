import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_PREFERENCE, selectBackend } from '../src/backend/selectBackend.js';
import { BackendUnavailableError } from '../src/errors.js';
test('auto picks the fastest available backend and says why faster ones were skipped', async () => {
    const s = await selectBackend('auto');
    const position = BACKEND_PREFERENCE.indexOf(s.backend);
    assert.ok(position >= 0);
    assert.deepEqual(s.skipped.map((x) => x.backend), BACKEND_PREFERENCE.slice(0, position));
    for (const skip of s.skipped)
        assert.ok(skip.reason.length > 0);
    // wasm ships with the project, so auto never falls below it.
    assert.ok(position <= BACKEND_PREFERENCE.indexOf('wasm'), `auto fell back to ${s.backend}`);
    assert.equal(tf.getBackend(), s.engineName);
});
test('a forced backend is used, and a forced unavailable one is a typed error', async () => {
    const cpu = await selectBackend('cpu');
    assert.equal(cpu.backend, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    let nodeGpuLoads = true;
    try {
        await import('@tensorflow/tfjs-node-gpu');
    }
    catch {
        nodeGpuLoads = false;
    }
    if (!nodeGpuLoads)
        await assert.rejects(selectBackend('node-gpu'), BackendUnavailableError);
    const wasm = await selectBackend('wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(wasm.backend, 'wasm');
});
//# sourceMappingURL=backend.test.js.map