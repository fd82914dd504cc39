const CLOSE_TIMEOUT_MS = 10_000;
/**
 * Ask a worker to finish its queue and exit, and wait for it (at most CLOSE_TIMEOUT_MS; a worker
 * still busy then is left to exit with the process: it is unref'd). Never `terminate()` a worker
 * that uses hnswlib: terminating one inside a binding call or an asynchronous read aborts the
 * whole process (node-addon-api cannot throw into a terminating environment).
 */
export async function closeGracefully(w, closeMessage) {
    const exited = new Promise((resolve) => w.once('exit', () => resolve()));
    try {
        w.postMessage(closeMessage);
    }
    catch {
        return;
    }
    // Workers are unref'd while they run; the event loop must wait for this one's exit now.
    w.ref();
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
    await Promise.race([exited, late]);
    clearTimeout(timer);
    w.unref();
}
//# sourceMappingURL=workers.js.map