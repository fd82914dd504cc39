import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ThreadHeaps } from '../src/util/threadHeap.js';
import { Metrics } from '../src/metrics/metrics.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
const moduleUrl = new URL('../src/util/threadHeap.js', import.meta.url).href;
test('thread heaps: a worker reports its own heap; an ended worker drops out after three intervals', async () => {
    const heaps = new ThreadHeaps(100);
    try {
        // The worker holds ~20 MB of strings, so its report is its own heap, not main's.
        const worker = new Worker(`const { reportThreadHeap } = await import(${JSON.stringify(moduleUrl)});
       globalThis.held = Array.from({ length: 200000 }, (_, i) => 'x'.repeat(40) + i);
       reportThreadHeap('probe', 100);
       const { parentPort } = await import('node:worker_threads');
       parentPort.once('message', () => process.exit(0));`, { eval: true, type: 'module' });
        let probe;
        for (let i = 0; i < 50 && !probe; i++) {
            await sleep(50);
            probe = heaps.current().find((h) => h.thread === 'probe' && h.usedBytes > 15e6);
        }
        assert.ok(probe, `the worker's report arrives: ${JSON.stringify(heaps.current())}`);
        assert.equal(probe.threadId, worker.threadId);
        assert.ok(heaps.current().some((h) => h.thread === 'main' && h.threadId === 0));
        worker.postMessage('exit');
        await new Promise((resolve) => worker.once('exit', resolve));
        await sleep(400);
        assert.deepEqual(heaps.current().map((h) => h.thread), ['main']);
    }
    finally {
        heaps.close();
    }
});
test('thread heaps: /metrics has micstream_thread_heap_used_bytes for the main thread', async () => {
    const metrics = new Metrics(new Instrumentation());
    try {
        const text = await metrics.registry.metrics();
        assert.match(text, /^micstream_thread_heap_used_bytes\{thread="main"\} [1-9]\d+$/m);
    }
    finally {
        metrics.close();
    }
});
//# sourceMappingURL=threadHeap.test.js.map