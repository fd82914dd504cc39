import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
/** The calling thread's kernel id (Linux: from /proc/thread-self), or null where there is none. */
export function currentThreadId() {
    try {
        const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
        return Number.isInteger(tid) && tid > 0 ? tid : null;
    }
    catch {
        return null;
    }
}
/** A thread's nice value (Linux: field 19 of /proc/self/task/TID/stat), or null where unreadable. */
export function threadNice(tid) {
    try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const nice = Number(fields[16]);
        return Number.isInteger(nice) ? nice : null;
    }
    catch {
        return null;
    }
}
/**
 * Raise the nice value of every thread of this process to at least `nice`, except the threads in
 * `keep` (Linux, where the nice value is per thread and a new thread takes its creator's: the
 * threads that training starts later inherit it). Raising a nice value needs no privilege. Returns
 * the threads changed, or null where threads cannot be listed (not Linux): nothing changes there.
 */
export function deprioritiseOtherThreads(keep, nice) {
    let tids;
    try {
        tids = readdirSync('/proc/self/task').map(Number);
    }
    catch {
        return null;
    }
    let changed = 0;
    for (const tid of tids) {
        if (keep.has(tid))
            continue;
        const current = threadNice(tid);
        if (current !== null && current >= nice)
            continue;
        try {
            setPriority(tid, nice);
            changed++;
        }
        catch {
            // (a thread that exited meanwhile)
        }
    }
    return changed;
}
//# sourceMappingURL=threadPriority.js.map