/**
 * Wait for `work` until the wall-clock time `deadlineAt` (ms), whichever comes first.
 * @returns true when the work finished (resolved or rejected) in time; the work itself is not
 * cancelled, only no longer waited for.
 */
export async function settledBefore(work, deadlineAt) {
    let timer;
    const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(0, deadlineAt - Date.now()));
    });
    try {
        return await Promise.race([
            work.then(() => true, () => true),
            late,
        ]);
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=deadline.js.map