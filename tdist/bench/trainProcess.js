import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
/**
 * `micstream train --log-format json --port 0 ...flags` as a child process, resolved once its
 * recall API listens; every log line after that goes to `onLine` (JSON, one object per line).
 */
export async function startTrain(flags, onLine = () => { }) {
    const child = spawn(process.execPath, [MAIN, 'train', '--log-format', 'json', '--port', '0', ...flags], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    let backend = '?';
    const url = await new Promise((resolve, reject) => {
        let buffered = '';
        let listening = false;
        child.stdout.on('data', (chunk) => {
            buffered += chunk.toString();
            for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
                const line = buffered.slice(0, nl);
                buffered = buffered.slice(nl + 1);
                if (listening) {
                    onLine(line);
                    continue;
                }
                const b = /"msg":"backend: using ([a-z-]+)"/.exec(line);
                if (b)
                    backend = b[1];
                const m = /"url":"([^"]+)"/.exec(line);
                if (m && line.includes('recall API listening')) {
                    listening = true;
                    resolve(m[1]);
                }
            }
        });
        void exited.then((code) => reject(new Error(`train exited (${code}) before listening`)));
    });
    return { child, url, backend, exited };
}
/** Resolves once `url`/readyz answers 200 (polled), or rejects after `timeoutMs`. */
export async function untilReady(url, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false))
            return;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} not ready within ${timeoutMs} ms`);
}
/**
 * The flags of an embedded synthetic world of `users` x `items` that runs as long as it allows
 * (users never repeat an item: half of all pairs is more than a bench can train).
 */
export function syntheticWorldFlags(users, items) {
    return [
        '--synthetic-events',
        String(Math.floor((users * items) / 2)),
        '--synthetic-users',
        String(users),
        '--synthetic-items',
        String(items),
    ];
}
//# sourceMappingURL=trainProcess.js.map