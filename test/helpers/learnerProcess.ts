import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { lagOf, REPO } from './kafka.js';

/** One JSON log record of a learner process. */
export type LogRecord = Record<string, unknown> & { msg?: string; time?: string };

/**
 * `micstream train` as a separate process (so it can be killed with SIGKILL): its JSON log lines
 * collected, its HTTP port read from the log, its exit awaited.
 */
export class LearnerProcess {
  readonly lines: LogRecord[] = [];
  readonly exited: Promise<number | null>;
  readonly startedAt = Date.now();
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private buffered = '';
  private stderr = '';
  private waiters: { match: (r: LogRecord) => boolean; resolve: (r: LogRecord) => void }[] = [];

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [`${REPO}dist/src/cli/main.js`, 'train', '--log-format', 'json', '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.take(chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  private take(text: string): void {
    this.buffered += text;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        continue;
      }
      this.lines.push(record);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(record)) return true;
        w.resolve(record);
        return false;
      });
    }
  }

  /** The first log record (past or future) that matches, or a rejection after `timeoutMs` or at exit. */
  async waitFor(match: (r: LogRecord) => boolean, timeoutMs: number, what: string): Promise<LogRecord> {
    const seen = this.lines.find(match);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${what}" within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      const waiter = {
        match,
        resolve: (r: LogRecord) => {
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

  async url(): Promise<string> {
    const r = await this.waitFor((l) => l.msg === 'recall API listening', 120_000, 'recall API listening');
    return String(r.url);
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(`${await this.url()}${path}`);
    return { status: res.status, body: await res.text() };
  }

  /** The value of an unlabelled metric from /metrics (NaN when absent or unreachable). */
  async metric(name: string): Promise<number> {
    try {
      const { body } = await this.get('/metrics');
      const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(body);
      return m ? Number(m[1]) : Number.NaN;
    } catch {
      return Number.NaN;
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get stderrTail(): string {
    return this.stderr;
  }
}

/**
 * Wait until the group has committed `records` records of `topic` (polling every 500 ms); on
 * timeout, fail with the partitions' offsets and the learner's last log lines and stderr.
 */
export async function waitForCommitted(
  learner: LearnerProcess,
  group: string,
  topic: string,
  records: number,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    const lag = await lagOf(group, topic);
    if (lag.committed >= records) return;
    if (Date.now() - started >= timeoutMs) {
      const tail = learner.lines.slice(-8).map((l) => `${String(l.time)} ${String(l.msg)} ${JSON.stringify(l).slice(0, 300)}`);
      throw new Error(
        `${group} committed ${lag.committed} of ${records} records within ${timeoutMs} ms: ${JSON.stringify(lag.partitions)}\n` +
          `${tail.join('\n')}\n${learner.stderrTail}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
