import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { currentThreadId, deprioritiseOtherThreads, threadNice } from '../src/util/threadPriority.js';
const linux = process.platform === 'linux';
const MODULE = new URL('../src/util/threadPriority.js', import.meta.url).href;
/** A worker that reports its kernel thread id and then waits until terminated. */
async function idleWorker() {
    const worker = new Worker(`import('${MODULE}').then(({ currentThreadId }) => {
       require('node:worker_threads').parentPort.postMessage(currentThreadId());
       setInterval(() => {}, 1000);
     });`, { eval: true });
    const tid = await new Promise((resolve) => worker.once('message', resolve));
    return { worker, tid };
}
test('thread ids: the main thread is the process, a worker is a thread of its own', { skip: !linux }, async () => {
    assert.equal(currentThreadId(), process.pid);
    const { worker, tid } = await idleWorker();
    assert.notEqual(tid, process.pid);
    assert.equal(typeof threadNice(tid), 'number');
    await worker.terminate();
});
test('every thread but the kept one is reniced, and threads started afterwards inherit it', { skip: !linux }, async () => {
    const { worker: kept, tid } = await idleWorker();
    const before = threadNice(tid);
    const target = Math.max(before, threadNice(process.pid)) + 3;
    const changed = deprioritiseOtherThreads(new Set([tid]), target);
    assert.ok(changed !== null && changed >= 1, `changed ${changed}`);
    assert.equal(threadNice(process.pid), target, 'the main thread');
    assert.equal(threadNice(tid), before, 'the kept thread keeps its priority');
    const { worker: later, tid: laterTid } = await idleWorker();
    assert.equal(threadNice(laterTid), target, 'a thread started after inherits from its creator');
    // Idempotent: nothing is already below the target any more but the kept thread.
    assert.equal(deprioritiseOtherThreads(new Set([tid]), target), 0);
    await Promise.all([kept.terminate(), later.terminate()]);
});
//# sourceMappingURL=threadPriority.test.js.map