import { deprioritiseOtherThreads } from '../util/threadPriority.js';
/**
 * Every thread of this process but the recall API's at nice `nice` (Linux), logged: the API thread
 * preempts training, index builds and topic reading when the cores are busy. Threads started later
 * take their creator's nice value, so those started by a reniced thread stay reniced.
 */
export function prioritiseApiThread(apiThreadId, nice, logger) {
    if (nice <= 0)
        return;
    const changed = apiThreadId === null ? null : deprioritiseOtherThreads(new Set([apiThreadId]), nice);
    if (changed === null)
        logger.info('thread priority: threads cannot be reniced here (not Linux); the API thread competes as an equal');
    else
        logger.info({ nice, threads: changed }, 'thread priority: every thread but the recall API thread reniced');
}
//# sourceMappingURL=apiThreadPriority.js.map