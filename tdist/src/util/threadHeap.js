import { getHeapStatistics } from 'node:v8';
import { BroadcastChannel, threadId } from 'node:worker_threads';
/**
 * Each worker thread's V8 heap, as the worker reports it: a process's RSS holds every isolate, and
 * Node 20 cannot read another thread's heap (Worker#getHeapStatistics came in 22.16), so workers
 * post their own on a process-wide BroadcastChannel and the main thread keeps the latest per thread.
 */
const CHANNEL = 'micstream:thread-heap';
/** How often a worker reports. */
export const THREAD_HEAP_REPORT_MS = 5000;
function measure(thread) {
    const h = getHeapStatistics();
    return { thread, threadId, usedBytes: h.used_heap_size, totalBytes: h.total_heap_size, at: Date.now() };
}
/** In a worker: report this thread's heap now and every `everyMs`; neither the timer nor the channel keeps the thread alive. */
export function reportThreadHeap(thread, everyMs = THREAD_HEAP_REPORT_MS) {
    const channel = new BroadcastChannel(CHANNEL);
    channel.unref();
    const post = () => channel.postMessage(measure(thread));
    post();
    setInterval(post, everyMs).unref();
}
/** On the main thread: the latest report of every live worker, and this thread's own heap as 'main'. */
export class ThreadHeaps {
    everyMs;
    latest = new Map();
    channel = new BroadcastChannel(CHANNEL);
    constructor(everyMs = THREAD_HEAP_REPORT_MS) {
        this.everyMs = everyMs;
        this.channel.unref();
        this.channel.onmessage = (event) => {
            const report = event.data;
            this.latest.set(report.threadId, report);
        };
    }
    /** Heaps by thread; a worker silent for three report intervals has ended and is left out. */
    current(now = Date.now()) {
        for (const [id, report] of this.latest)
            if (now - report.at > 3 * this.everyMs)
                this.latest.delete(id);
        return [measure('main'), ...this.latest.values()];
    }
    close() {
        this.channel.close();
    }
}
//# sourceMappingURL=threadHeap.js.map