import { Observable } from 'rxjs';
/** How often a synchronous producer yields to the event loop so timers, I/O and HTTP keep running. */
const YIELD_EVERY = 512;
/**
 * Turn a pull-based record iterator into an Observable that honours a FlowGate: each record waits
 * for a credit before it is pulled and emitted. Without a gate the iterator is drained as fast as
 * the event loop allows (still yielding periodically). The first `skip` records are pulled and
 * dropped without a credit (a restart resuming after records a checkpoint already covers).
 */
export function gatedObservable(open, gate, skip = 0) {
    return new Observable((subscriber) => {
        let stopped = false;
        const run = async () => {
            const iterator = open();
            let emitted = 0;
            try {
                for (let n = 0; n < skip && !stopped; n++) {
                    if ((await iterator.next()).done)
                        break;
                    if ((n + 1) % (YIELD_EVERY * 64) === 0)
                        await new Promise((resolve) => setImmediate(resolve));
                }
                while (!stopped) {
                    if (gate && !gate.tryAcquire()) {
                        await gate.available();
                        continue;
                    }
                    const step = await iterator.next();
                    if (step.done) {
                        gate?.release(1);
                        break;
                    }
                    subscriber.next(step.value);
                    if (++emitted % YIELD_EVERY === 0)
                        await new Promise((resolve) => setImmediate(resolve));
                }
                if (!stopped)
                    subscriber.complete();
            }
            finally {
                if (stopped)
                    await iterator.return?.();
            }
        };
        run().catch((err) => subscriber.error(err));
        return () => {
            stopped = true;
        };
    });
}
//# sourceMappingURL=gatedObservable.js.map