import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { ablation } from '../src/learner/micOptions.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc');
const events = [...new SyntheticWorld({ users: 2000, items: 1000, clusters: 8, events: 256 * 16, seed: 12 }).events()];
async function measure(tableRows) {
    const learner = new OnlineLearner({ seed: 1, indexKind: 'exact', mic: ablation('views') });
    for (let i = 0; i < tableRows; i++)
        learner.store.rowOf(`pad:${i}`, true);
    const times = [];
    let heapStart = 0;
    for (let s = 0; s < 16; s++) {
        if (s === 4) {
            gc();
            heapStart = process.memoryUsage().heapUsed;
        }
        const t = performance.now();
        await learner.learnMany(events.slice(s * 256, (s + 1) * 256));
        if (s >= 4)
            times.push(performance.now() - t);
    }
    gc();
    const heapPerStepKiB = (process.memoryUsage().heapUsed - heapStart) / 12 / 1024;
    learner.dispose();
    times.sort((a, b) => a - b);
    return { medianStepMs: times[Math.floor(times.length / 2)], heapPerStepKiB };
}
test('a training step touches only its rows: step time and memory do not depend on table size (1,000,000 vs 10,000 rows)', async (t) => {
    const small = await measure(10_000);
    const large = await measure(1_000_000);
    t.diagnostic(`10k rows: ${small.medianStepMs.toFixed(1)} ms/step, ${small.heapPerStepKiB.toFixed(0)} KiB heap/step; 1M rows: ` +
        `${large.medianStepMs.toFixed(1)} ms/step, ${large.heapPerStepKiB.toFixed(0)} KiB heap/step`);
    assert.ok(large.medianStepMs < 2 * small.medianStepMs, `step time ${large.medianStepMs} vs ${small.medianStepMs}`);
    // Heap retained per step comes from new rows and histories, not from the table: within 2x (plus noise floor).
    assert.ok(large.heapPerStepKiB < 2 * Math.max(small.heapPerStepKiB, 64), `heap/step ${large.heapPerStepKiB} vs ${small.heapPerStepKiB} KiB`);
});
//# sourceMappingURL=storeScaling.test.js.map