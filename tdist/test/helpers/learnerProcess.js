import { spawn } from 'node:child_process';
import { lagOf, REPO } from './kafka.js';
/**
 * `micstream train` as a separate process (so it can be killed with SIGKILL): its JSON log lines
 * collected, its HTTP port read from the log, its exit awaited.
 */
export class LearnerProcess {
    lines = [];
    exited;
    startedAt = Date.now();
    child;
    buffered = '';
    stderr = '';
    waiters = [];
    constructor(args) {
        this.child = spawn(process.execPath, [`${REPO}dist/src/cli/main.js`, 'train', '--log-format', 'json', '--port', '0', ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
        });
        this.child.stdout.on('data', (chunk) => this.take(chunk.toString()));
        this.child.stderr.on('data', (chunk) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
        this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    }
    take(text) {
        this.buffered += text;
        for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
            const line = this.buffered.slice(0, nl);
            this.buffered = this.buffered.slice(nl + 1);
            if (!line.startsWith('{'))
                continue;
            let record;
            try {
                record = JSON.parse(line);
            }
            catch {
                continue;
            }
            this.lines.push(record);
            this.waiters = this.waiters.filter((w) => {
                if (!w.match(record))
                    return true;
                w.resolve(record);
                return false;
            });
        }
    }
    /** The first log record (past or future) that matches, or a rejection after `timeoutMs` or at exit. */
    async waitFor(match, timeoutMs, what) {
        const seen = this.lines.find(match);
        if (seen)
            return seen;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no "${what}" within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
            const waiter = {
                match,
                resolve: (r) => {
                    clearTimeout(timer);
                    resolve(r);
                },
            };
            this.waiters.push(waiter);
            void this.exited.then((code) => {
                clearTimeout(timer);
                reject(new Error(`exited (${code}) before "${what}"; stderr: ${this.stderr}`));
            });
        });
    }
    async url() {
        const r = await this.waitFor((l) => l.msg === 'recall API listening', 120_000, 'recall API listening');
        return String(r.url);
    }
    async get(path) {
        const res = await fetch(`${await this.url()}${path}`);
        return { status: res.status, body: await res.text() };
    }
    /** The value of an unlabelled metric from /metrics (NaN when absent or unreachable). */
    async metric(name) {
        try {
            const { body } = await this.get('/metrics');
            const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(body);
            return m ? Number(m[1]) : Number.NaN;
        }
        catch {
            return Number.NaN;
        }
    }
    kill(signal) {
        this.child.kill(signal);
    }
    get stderrTail() {
        return this.stderr;
    }
}
/**
 * Wait until the group has committed `records` records of `topic` (polling every 500 ms); on
 * timeout, fail with the partitions' offsets and the learner's last log lines and stderr.
 */
export async function waitForCommitted(learner, group, topic, records, timeoutMs) {
    const started = Date.now();
    for (;;) {
        const lag = await lagOf(group, topic);
        if (lag.committed >= records)
            return;
        if (Date.now() - started >= timeoutMs) {
            const tail = learner.lines.slice(-8).map((l) => `${String(l.time)} ${String(l.msg)} ${JSON.stringify(l).slice(0, 300)}`);
            throw new Error(`${group} committed ${lag.committed} of ${records} records within ${timeoutMs} ms: ${JSON.stringify(lag.partitions)}\n` +
                `${tail.join('\n')}\n${learner.stderrTail}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}
//# sourceMappingURL=learnerProcess.js.map