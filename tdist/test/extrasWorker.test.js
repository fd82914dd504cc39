import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { ablation } from '../src/learner/micOptions.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { lastValueFrom, toArray } from 'rxjs';
import { gatedObservable } from '../src/sources/gatedObservable.js';
import { trainingPipeline } from '../src/pipeline/trainingPipeline.js';
import { FlowGate } from '../src/sources/flowGate.js';
import { MemoryDeadLetterSink } from '../src/sources/deadLetter.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
import { Metrics } from '../src/metrics/metrics.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
const BATCH = 100;
const batches = [];
{
    const events = [...new SyntheticWorld({ users: 400, items: 250, clusters: 5, events: 48 * BATCH, seed: 12 }).events()];
    for (let i = 0; i < events.length; i += BATCH)
        batches.push(events.slice(i, i + BATCH));
}
/**
 * Train over `batches`, refreshing the index every 5 steps and re-clustering every 6 (applied 2
 * steps later), so prefetched extras regularly meet a snapshot or clustering that changed since.
 * `prefetch`: before each step, hand the worker the next batch (what the pipeline does).
 */
async function run(overrides, prefetch, killWorkerAt = -1) {
    const learner = new OnlineLearner({ seed: 3, ...overrides, mic: { ...ablation('mic'), reclusterEverySteps: 6, reclusterLagSteps: 2 } });
    const losses = [];
    const sides = { worker: 0, inline: 0 };
    try {
        for (let i = 0; i < batches.length; i++) {
            // A worker failure as the prefetcher sees it (an 'error' event; terminating a worker inside an
            // hnswlib call would abort the process, see closeGracefully).
            if (i === killWorkerAt)
                learner.extras.prefetcher.worker.emit('error', new Error('worker crashed'));
            if (prefetch && i + 1 < batches.length)
                learner.prefetch(batches[i + 1]);
            const r = await learner.learnMany(batches[i]);
            losses.push(r.loss);
            sides.worker += r.extrasFrom.worker;
            sides.inline += r.extrasFrom.inline;
            if (i % 5 === 4)
                await learner.refreshIndex();
        }
        return { losses, sides, counts: learner.extrasWorkerCounts, clusterVersion: learner.clusterAssignment('item')?.version ?? 0 };
    }
    finally {
        await learner.close();
    }
}
for (const indexKind of ['hnsw', 'exact']) {
    test(`extras worker (${indexKind} index): prefetched kNN positives and hard negatives train exactly like inline ones`, async () => {
        const inline = await run({ indexKind }, false);
        const worker = await run({ indexKind }, true);
        assert.ok(worker.clusterVersion >= 3, 'several clusterings were applied during the run');
        assert.ok(worker.counts.served >= 40, `the worker answered most steps (${JSON.stringify(worker.counts)})`);
        assert.equal(inline.counts.served, 0);
        // Both sides of every step after the first snapshot (step 5) have extras, from one place or the other.
        assert.equal(inline.sides.inline, 2 * (batches.length - 5));
        assert.equal(inline.sides.worker, 0);
        assert.equal(worker.sides.worker + worker.sides.inline, 2 * (batches.length - 5));
        assert.ok(worker.sides.worker >= 40 && worker.sides.worker <= worker.counts.served, JSON.stringify(worker.sides));
        assert.deepEqual(worker.losses, inline.losses);
    });
}
test('extras worker: background index builds, disabled worker, and batches prefetched but never trained', async () => {
    const background = await run({ backgroundIndexBuild: true }, true);
    const inline = await run({ backgroundIndexBuild: true }, false);
    assert.ok(background.counts.served > 0);
    assert.deepEqual(background.losses, inline.losses);
    // A worker that fails mid-run is dropped; training goes on inline, unchanged.
    const killed = await run({}, true, 20);
    assert.deepEqual(killed.losses, (await run({}, false)).losses);
    assert.ok(killed.sides.worker > 0 && killed.sides.inline >= 2 * (batches.length - 21), JSON.stringify(killed.sides));
    const off = await run({ extrasWorker: false }, true);
    assert.deepEqual(off.counts, { served: 0, fellBack: 0 }, 'extrasWorker: false never starts the worker');
    // A caller that prefetches batches it then drops: the learner keeps a bounded backlog and trains on.
    const learner = new OnlineLearner({ seed: 3, mic: ablation('mic') });
    try {
        await learner.learnMany(batches[0]);
        await learner.refreshIndex();
        for (let i = 1; i < 20; i++)
            learner.prefetch(batches[i].slice());
        for (let i = 1; i < 6; i++) {
            learner.prefetch(batches[i]);
            assert.ok(Number.isFinite((await learner.learnMany(batches[i])).loss));
        }
        assert.ok(learner.extrasWorkerCounts.served > 0);
    }
    finally {
        await learner.close();
    }
});
test('extras worker: closing right after a refresh (graph files still loading in the worker) is clean', async () => {
    const learner = new OnlineLearner({ seed: 3, mic: ablation('mic') });
    await learner.learnMany(batches[0]);
    await learner.refreshIndex();
    learner.prefetch(batches[1]);
    await learner.learnMany(batches[1]);
    await learner.refreshIndex();
    // The worker is now reading the new graphs on its libuv pool; terminating it there would abort node.
    await learner.close();
    assert.ok(true);
});
test('extras worker in the pipeline: queued batches are prefetched, and the sources are exported as a metric', async () => {
    const instrumentation = new Instrumentation();
    const metrics = new Metrics(instrumentation, { defaultMetrics: false });
    const learner = new OnlineLearner({ seed: 3, mic: { ...ablation('mic'), reclusterEverySteps: 12, reclusterLagSteps: 2 } });
    const events = batches.flat();
    try {
        // A source faster than training under backpressure (4 batches in flight): batches queue behind the running step.
        const gate = new FlowGate(4 * BATCH);
        await lastValueFrom(trainingPipeline({
            source: gatedObservable(() => events[Symbol.iterator](), gate),
            gate,
            learner,
            instrumentation,
            deadLetter: new MemoryDeadLetterSink(10),
        }, { batchSize: BATCH, batchMaxWaitMs: 20, indexRefreshSteps: 12, indexRefreshMs: 60_000, maxConsecutiveStepFailures: 3 }).pipe(toArray()));
        assert.equal(learner.trainedEvents, events.length);
        const text = await metrics.registry.metrics();
        const sides = (source) => Number(new RegExp(`micstream_trainer_extras_sides_total\\{source="${source}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
        const worker = sides('worker');
        const inline = sides('inline');
        // One batch ahead: only steps right after a new snapshot or clustering (and the first) go inline.
        assert.ok(worker >= (2 * (worker + inline)) / 3, `worker ${worker}, inline ${inline}`);
    }
    finally {
        await learner.close();
        metrics.close();
    }
});
//# sourceMappingURL=extrasWorker.test.js.map