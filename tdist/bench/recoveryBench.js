/**
 * Recovery benchmark (`npm run bench:recovery`): how long a restarted learner takes from process
 * start to `/readyz` 200 with its checkpoint restored, for a model with about a million embedding
 * rows, and what the checkpoint costs to write and on disk.
 *
 *   node dist/bench/recoveryBench.js [--users 500000] [--items 500000] [--runs 3] [--write docs/BENCHMARKS.md]
 *
 * Training a million ids one event at a time would take most of an hour on 2 cores, so the state is
 * built instead: a learner trained on a short synthetic stream (real weights, optimizer state,
 * replay window, probes) is captured, and `--users` users and `--items` items are added to it the way
 * training would have left them: an embedding row each (with its Adagrad accumulator), a 5-item
 * history and seen set per user, a 3-user history per item, and vectors and HNSW graphs for all of
 * them in the live snapshot (graphs built here with efConstruction 40 to save setup time: the file
 * format, and so the load, is the same as with the default). Then `micstream train` is started on
 * that checkpoint directory as a separate process, and the time to `/readyz` 200 is measured from
 * the spawn (Node start, backend, restore, index load, HTTP listen). The checkpoint says the whole
 * source was read, so the restarted learner trains nothing while it is timed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/backend/selectBackend.js';
import { DirectoryCheckpointStore } from '../src/checkpoint/checkpointStore.js';
import { stateToParts } from '../src/checkpoint/stateCodec.js';
import { loadConfig } from '../src/config/config.js';
import { HnswIndex } from '../src/index/hnswIndex.js';
import { learnerOptionsFromConfig } from '../src/learner/learnerOptions.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { Rng } from '../src/util/random.js';
import { positiveIntArgs } from './benchArgs.js';
import { writeMarkdownSection } from './markdownSection.js';
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
function concat(a, b) {
    const out = new a.constructor(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
}
function unitVectors(n, dim, rng) {
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) {
        let norm = 0;
        for (let j = 0; j < dim; j++)
            norm += (out[i * dim + j] = rng.normal()) ** 2;
        const s = 1 / Math.sqrt(norm);
        for (let j = 0; j < dim; j++)
            out[i * dim + j] *= s;
    }
    return out;
}
async function graphOf(ids, vectors, dim) {
    const index = new HnswIndex({ dim, efConstruction: 40, initialCapacity: ids.length });
    index.add(ids, vectors);
    return index.toBytes();
}
/** Add `users` and `items` to a captured state as training would have left them. */
async function inflate(state, users, items, rng) {
    const dim = state.store.dim;
    const userIds = Array.from({ length: users }, (_, i) => `bu${i}`);
    const itemIds = Array.from({ length: items }, (_, i) => `bi${i}`);
    const keys = [...userIds.map((u) => `u:${u}`), ...itemIds.map((i) => `i:${i}`)];
    const first = state.store.keys.length;
    const values = new Float32Array(keys.length * dim);
    for (let j = 0; j < values.length; j++)
        values[j] = rng.normal() * 0.05;
    const accumulators = new Float32Array(keys.length * dim).fill(0.5);
    const store = state.store;
    for (const k of keys)
        store.keys.push(k);
    store.values = concat(store.values, values);
    store.accumulators = concat(store.accumulators, accumulators);
    store.lastUsed = concat(store.lastUsed, new Float64Array(keys.length).fill(store.clock));
    store.order = concat(store.order, Int32Array.from(keys, (_, i) => first + i));
    const f = state.entities.features;
    const pick = (ids, n) => Array.from({ length: n }, () => ids[rng.int(ids.length)]);
    const histories = userIds.map((u) => [u, pick(itemIds, 5)]);
    for (const h of histories)
        f.userHistories.push(h);
    for (const i of itemIds)
        f.itemHistories.push([i, pick(userIds, 3)]);
    for (const [u, h] of histories)
        state.entities.seen.push([u, [...new Set(h)]]);
    const snap = state.snapshot;
    if (!snap)
        throw new Error('the trained learner has no snapshot');
    const out = snap.userVectors.length / snap.userIds.length;
    snap.userIds = [...snap.userIds, ...userIds];
    snap.userVectors = concat(snap.userVectors, unitVectors(users, out, rng));
    snap.itemIds = [...snap.itemIds, ...itemIds];
    snap.itemVectors = concat(snap.itemVectors, unitVectors(items, out, rng));
    if (snap.attributeVectors)
        snap.attributeVectors = concat(snap.attributeVectors, unitVectors(users, out, rng));
    snap.graphs = { users: await graphOf(snap.userIds, snap.userVectors, out), items: await graphOf(snap.itemIds, snap.itemVectors, out) };
}
async function freePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
        });
    });
}
/** Start `micstream train` on the checkpoint and time it to /readyz 200; then kill it (SIGKILL: nothing is written back). */
async function timeRestart(dir) {
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, [MAIN, 'train', '--checkpoint-dir', dir, '--port', String(port), '--log-format', 'json', '--synthetic-events', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let restoreMs = Number.NaN;
    let buffered = '';
    child.stdout.on('data', (chunk) => {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            if (!line.includes('restored checkpoint'))
                continue;
            // The learner's own account of the restore (read, decode, total), echoed for the reader.
            process.stderr.write(`${line}\n`);
            restoreMs = JSON.parse(line).restoreMs;
        }
    });
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    try {
        for (;;) {
            if (child.exitCode !== null)
                throw new Error(`micstream train exited with ${child.exitCode} before it was ready`);
            const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
            if (ready)
                break;
            if (Date.now() - started > 600_000)
                throw new Error('not ready within 10 minutes');
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const readyMs = Date.now() - started;
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const rss = Number(/^micstream_process_process_resident_memory_bytes (\S+)/m.exec(metrics)?.[1] ?? Number.NaN);
        return { readyMs, restoreMs, rssBytes: rss };
    }
    finally {
        child.kill('SIGKILL');
        await exited;
    }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function main() {
    const args = positiveIntArgs(process.argv.slice(2), { users: 500_000, items: 500_000, runs: 3 });
    const backend = await selectBackend('auto');
    const config = loadConfig({ argv: [], env: {} }).config;
    const learner = new OnlineLearner(learnerOptionsFromConfig(config));
    const events = [...new SyntheticWorld({ users: 2000, items: 1000, clusters: 8, events: 20_000, seed: 7 }).events()];
    for (let i = 0; i < events.length; i += config.batchSize)
        await learner.learnMany(events.slice(i, i + config.batchSize));
    await learner.refreshIndex();
    const state = await learner.captureState();
    await inflate(state, args.users, args.items, new Rng(11));
    const rows = state.store.keys.length;
    const dir = await mkdtemp(join(tmpdir(), 'micstream-recovery-'));
    try {
        const store = new DirectoryCheckpointStore(dir, 1);
        const encodeStarted = Date.now();
        const parts = stateToParts(state);
        const encodeMs = Date.now() - encodeStarted;
        const writeStarted = Date.now();
        const manifest = await store.save(parts, {
            // The checkpoint covers the whole synthetic stream: the restarted learner has nothing to train,
            // so the time measured is the recovery alone (its first refresh would encode every entity on
            // the main thread and hold /readyz answers meanwhile: an open item of the responsiveness work).
            source: { kind: 'records', source: `synthetic:seed=${config.seed},events=1000000,drift=none`, records: 1_000_000 },
            trainedEvents: state.counters.trainedEvents,
        });
        const writeMs = Date.now() - writeStarted;
        const bytes = manifest.parts.reduce((s, p) => s + p.bytes, 0);
        const runs = [];
        for (let r = 0; r < args.runs; r++)
            runs.push(await timeRestart(dir));
        const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
        const body = [
            `\`npm run bench:recovery\` (\`node dist/bench/recoveryBench.js --users ${args.users} --items ${args.items} --runs ${args.runs}\`), ` +
                `${machine}; the restarted learner on backend \`auto\` (here ${backend.backend}).`,
            '',
            '| embedding rows | users / items indexed | checkpoint on disk | capture encode | write (fsynced) | ' +
                'start to `/readyz` 200 (median, min-max) | of which restore | RSS when ready |',
            '|---|---|---|---|---|---|---|---|',
            `| ${rows.toLocaleString('en-US')} | ${state.snapshot.userIds.length.toLocaleString('en-US')} / ` +
                `${state.snapshot.itemIds.length.toLocaleString('en-US')} | ` +
                `${(bytes / 2 ** 20).toFixed(0)} MiB | ${(encodeMs / 1000).toFixed(1)} s | ${(writeMs / 1000).toFixed(1)} s | ` +
                `${(median(runs.map((r) => r.readyMs)) / 1000).toFixed(1)} s (${(Math.min(...runs.map((r) => r.readyMs)) / 1000).toFixed(1)}-` +
                `${(Math.max(...runs.map((r) => r.readyMs)) / 1000).toFixed(1)}) | ${(median(runs.map((r) => r.restoreMs)) / 1000).toFixed(1)} s | ` +
                `${(median(runs.map((r) => r.rssBytes)) / 2 ** 30).toFixed(2)} GiB |`,
            '',
            'Start to ready = Node start, backend selection, reading and checking every part (SHA-256), decoding, restoring the ' +
                'store, weights and entity state, loading the two HNSW graphs, HTTP listen; the restarted learner then resumes the ' +
                'source after the records the checkpoint covers. "Capture encode" is the part of a checkpoint training waits for ' +
                'besides copying the state; the write runs in the checkpoint writer thread while training goes on. ' +
                'The restarted learner here trains nothing (the checkpoint covers its whole source); one that does refreshes ' +
                'its index soon after, and that first encoding of a million entities holds the event loop for several seconds ' +
                '(an open responsiveness item).',
        ].join('\n');
        process.stdout.write(`${body}\n`);
        if (args.write)
            writeMarkdownSection(args.write, 'bench-recovery', 'Recovery time (`npm run bench:recovery`)', body);
    }
    finally {
        learner.dispose();
        await rm(dir, { recursive: true, force: true });
    }
}
await main();
// Worker threads of the trained learner (index builds, clustering) would keep the process alive.
process.exit(0);
//# sourceMappingURL=recoveryBench.js.map