/**
 * Training throughput benchmark (`npm run bench:train`): events/s of one full training step of
 * plain DSSM and of full MIC (all losses, views, kNN positives, cluster hard negatives) at batch
 * 256 and 1024, dim 64, on every TF.js backend that loads here, next to the same model and losses
 * in PyTorch (bench/torch_two_tower.py, torch from PyPI in a cached venv) in the same invocation.
 *
 *   node dist/bench/trainBench.js [--backends auto|node,wasm,cpu] [--models dssm,mic] [--batches 256,1024]
 *        [--dim 64] [--seconds 10] [--rounds 3] [--no-torch] [--write docs/BENCHMARKS.md]
 *   node dist/bench/trainBench.js --worker --backend wasm ...   (one backend; what the parent spawns)
 *
 * Each backend runs in its own process (TF.js picks one backend per process). A step is timed from
 * the events to the updated store and weights (batch preparation, gathers, forward/backward, both
 * optimizers, HNSW lookups for the kNN / hard-negative extras); index refreshes every 50 steps, as
 * in `train`, are outside the timing. Reported: events/s = batch / median step time.
 *
 * The fastest backend and PyTorch are measured in `--rounds` interleaved rounds (TF.js cell, then
 * the PyTorch cell of the same shape, then the next cell, round after round): this shared 2-core
 * machine drifts by 10-40% between minutes and PyTorch's small steps are bimodal, so one pair of
 * runs can put the ratio anywhere in a wide band. The table gives medians over rounds and the
 * range of the per-round ratios. Slower backends run one round.
 */
import { testThenTrain } from '../src/pipeline/testThenTrain.js';
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_PREFERENCE, selectBackend } from '../src/backend/selectBackend.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { ablation } from '../src/learner/micOptions.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { nextItemPairs } from '../src/model/batchBuilder.js';
import { writeMarkdownSection } from './markdownSection.js';
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
function parseArgs(argv) {
    const a = {
        worker: false,
        backends: ['auto'],
        models: ['dssm', 'mic'],
        batches: [256, 1024],
        dim: 64,
        seconds: 10,
        torch: true,
        rounds: 3,
        write: null,
    };
    for (let i = 0; i < argv.length; i++) {
        const v = () => argv[++i] ?? '';
        switch (argv[i]) {
            case '--worker':
                a.worker = true;
                break;
            case '--backend':
            case '--backends':
                a.backends = v().split(',');
                break;
            case '--models':
                a.models = v().split(',');
                break;
            case '--batches':
                a.batches = v().split(',').map(Number);
                break;
            case '--dim':
                a.dim = Number(v());
                break;
            case '--seconds':
                a.seconds = Number(v());
                break;
            case '--no-torch':
                a.torch = false;
                break;
            case '--rounds':
                a.rounds = Math.max(1, Number(v()));
                break;
            case '--write':
                a.write = v();
                break;
            default:
                throw new Error(`unknown argument ${argv[i]}`);
        }
    }
    return a;
}
/** The workload both implementations see: the synthetic world of `npm start`, scaled up. */
export const WORKLOAD = {
    users: 20000,
    items: 5000,
    clusters: 20,
    historyLength: 20,
    hiddenDim: 128,
    warmupSteps: 30,
    refreshEverySteps: 50,
    minSteps: 8,
};
async function runWorker(args) {
    const backend = args.backends[0];
    const selection = await selectBackend(backend);
    const rows = [];
    for (const model of args.models) {
        for (const batch of args.batches)
            rows.push(await measure(selection.engineName, model, batch, args));
    }
    process.stdout.write(`${JSON.stringify(rows)}\n`);
}
async function measure(backend, model, batch, args) {
    const w = WORKLOAD;
    const world = new SyntheticWorld({ users: w.users, items: w.items, clusters: w.clusters, events: 50_000_000, seed: 11 });
    const stream = world.events();
    const next = () => {
        const out = [];
        for (let i = 0; i < batch; i++)
            out.push(stream.next().value);
        return out;
    };
    const mic = ablation(model);
    // The training step only, like the PyTorch reference: the auto U2I blend's test-then-train
    // lookups are serving-side evaluation (like the prequential checks) and are measured apart.
    // The reference trains the DSSM head on the live batch only, so replay is off and the tower is
    // dssm here; the default learner trains 1 + --replay-batches such steps per live batch.
    const learner = new OnlineLearner({
        seed: 1,
        replayBatches: 0,
        towerKind: 'dssm',
        embeddingDim: args.dim,
        outputDim: args.dim,
        hiddenDim: w.hiddenDim,
        historyLength: w.historyLength,
        mic,
        u2iUserBlend: 0,
    });
    try {
        let step = 0;
        const run = async (events) => {
            await testThenTrain(learner, events, []);
            if (++step % w.refreshEverySteps === 0)
                await learner.refreshIndex();
        };
        // Slow backends (plain-JS cpu) would spend minutes warming up: at most half the cell's time.
        const warmUntil = Date.now() + (args.seconds * 1000) / 2;
        for (let i = 0; i < w.warmupSteps && (i < 3 || Date.now() < warmUntil); i++)
            await run(next());
        await learner.refreshIndex(); // MIC's kNN and cluster extras need an index from the start of timing
        const times = [];
        const shape = {
            usersPerBatch: 0,
            itemsPerBatch: 0,
            userHistory: 0,
            itemHistory: 0,
            userAttributes: 0,
            itemAttributes: 0,
            nextPairs: 0,
        };
        const deadline = Date.now() + args.seconds * 1000;
        let upcoming = next();
        while (times.length < w.minSteps || (Date.now() < deadline && times.length < 400)) {
            const events = upcoming;
            upcoming = next();
            accumulateShape(shape, events, learner);
            const t0 = process.hrtime.bigint();
            // The pipeline's step (no probes here): the next batch's MIC extras start in the worker now.
            await testThenTrain(learner, events, [], upcoming);
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (++step % w.refreshEverySteps === 0)
                await learner.refreshIndex();
        }
        for (const k of Object.keys(shape))
            shape[k] = Math.round((shape[k] / times.length) * 10) / 10;
        const medianStepMs = median(times);
        return {
            impl: 'tfjs',
            backend,
            model,
            batch,
            dim: args.dim,
            steps: times.length,
            medianStepMs: round(medianStepMs),
            eventsPerSecond: Math.round((batch / medianStepMs) * 1000),
            shape,
        };
    }
    finally {
        await learner.close();
    }
}
function accumulateShape(shape, events, learner) {
    const users = new Set(events.map((e) => e.userId));
    const items = new Set(events.map((e) => e.itemId));
    let uh = 0, ih = 0, ua = 0, ia = 0;
    for (const u of users) {
        uh += learner.entities.features.userHistoryKeys(u).length;
        ua += Math.max(3, learner.entities.features.userAttributeKeys(u).length);
    }
    for (const i of items) {
        ih += learner.entities.features.itemHistoryKeys(i).length;
        ia += Math.max(2, learner.entities.features.itemAttributeKeys(i).length);
    }
    shape.usersPerBatch += users.size;
    shape.itemsPerBatch += items.size;
    if (learner.options.mic.tasks.nextItemWeight > 0)
        shape.nextPairs += nextItemPairs(events, learner.entities.features, new Map([...items].map((id, j) => [id, j]))).query.length;
    shape.userHistory += uh / users.size;
    shape.itemHistory += ih / items.size;
    shape.userAttributes += ua / users.size;
    shape.itemAttributes += ia / items.size;
}
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const round = (x) => Math.round(x * 100) / 100;
/** Backends that load in a fresh process, fastest first. */
function availableBackends() {
    const out = [];
    for (const b of BACKEND_PREFERENCE) {
        const r = spawnSync(process.execPath, [
            '-e',
            `import('${pathToSelect()}').then(m => m.selectBackend('${b}')).then(s => console.log(s.engineName)).catch(() => process.exit(3))`,
        ], { encoding: 'utf8' });
        if (r.status === 0)
            out.push(b);
    }
    return out;
}
function pathToSelect() {
    return join(repo, 'dist', 'src', 'backend', 'selectBackend.js');
}
/** The venv's python (bench/torch-env.sh installs torch from PyPI once), or an error. */
function torchPython() {
    const env = spawnSync('bash', [join(repo, 'bench', 'torch-env.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (env.status !== 0)
        return { error: 'could not prepare the PyTorch venv (see bench/torch-env.sh output)' };
    return env.stdout.trim().split('\n').pop();
}
function runTorchCell(python, args, model, batch, shape) {
    const r = spawnSync(python, [
        join(repo, 'bench', 'torch_two_tower.py'),
        '--model',
        model,
        '--batch',
        String(batch),
        '--dim',
        String(args.dim),
        '--hidden',
        String(WORKLOAD.hiddenDim),
        '--users',
        String(WORKLOAD.users),
        '--items',
        String(WORKLOAD.items),
        '--history-slots',
        String(WORKLOAD.historyLength),
        '--seconds',
        String(args.seconds),
        '--shape',
        JSON.stringify(shape),
        '--threads',
        String(cpus().length),
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0)
        return { error: `torch_two_tower.py exited ${r.status}` };
    return JSON.parse(r.stdout.trim().split('\n').pop());
}
function runTfjsCell(args, backend, model, batch) {
    const r = spawnSync(process.execPath, [
        fileURLToPath(import.meta.url),
        '--worker',
        '--backend',
        backend,
        '--models',
        model,
        '--batches',
        String(batch),
        '--dim',
        String(args.dim),
        '--seconds',
        String(args.seconds),
    ], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 24,
    });
    if (r.status !== 0) {
        process.stderr.write(`bench:train: ${backend} ${model} batch ${batch} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
        return null;
    }
    const row = JSON.parse(r.stdout.trim().split('\n').pop())[0];
    process.stderr.write(`  ${row.backend} ${row.model} batch ${row.batch}: ${row.eventsPerSecond} events/s (median step ${row.medianStepMs} ms)\n`);
    return row;
}
/** One row from several rounds of the same cell: median step over rounds. */
function mergeRounds(rounds) {
    const step = median(rounds.map((r) => r.medianStepMs));
    return {
        ...rounds[0],
        steps: rounds.reduce((a, r) => a + r.steps, 0),
        medianStepMs: round(step),
        eventsPerSecond: Math.round((rounds[0].batch / step) * 1000),
        roundStepMs: rounds.map((r) => r.medianStepMs),
    };
}
function markdown(rows, notes) {
    const torch = new Map(rows.filter((r) => r.impl === 'torch').map((r) => [`${r.model}/${r.batch}`, r]));
    const lines = [
        '| implementation | backend | model | batch | median step (ms) | events/s | vs PyTorch CPU | per-round ratios | per-round steps (ms) |',
        '|---|---|---|---:|---:|---:|---:|---|---|',
    ];
    for (const r of rows) {
        const t = torch.get(`${r.model}/${r.batch}`);
        // Interleaved rows: the median of the per-round ratios (each round's TF.js and PyTorch ran back to back).
        const value = r.roundRatios?.length ? median(r.roundRatios) : t ? r.eventsPerSecond / t.eventsPerSecond : null;
        const ratio = r.impl === 'torch' ? '1.00x' : value !== null ? `${value.toFixed(2)}x` : 'n/a';
        const ratios = r.roundRatios?.length ? r.roundRatios.map((x) => x.toFixed(2)).join(' / ') : '';
        const steps = r.roundStepMs && r.roundStepMs.length > 1 ? r.roundStepMs.join(' / ') : '';
        lines.push(`| ${r.impl === 'torch' ? 'PyTorch' : 'TF.js'} | ${r.backend} | ${r.model} | ${r.batch} | ${r.medianStepMs} | ` +
            `${r.eventsPerSecond.toLocaleString('en-US')} | ${ratio} | ${ratios} | ${steps} |`);
    }
    return [...lines, '', ...notes.map((n) => `- ${n}`)].join('\n');
}
async function main() {
    const args = parseArgs(process.argv.slice(2));
    if (args.worker)
        return runWorker(args);
    const backends = args.backends[0] === 'auto' ? availableBackends() : args.backends;
    const rows = [];
    const notes = [
        `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
            `${new Date().toISOString().slice(0, 10)}.`,
        `Workload: synthetic stream (${WORKLOAD.users.toLocaleString('en-US')} users, ${WORKLOAD.items.toLocaleString('en-US')} items), dim ` +
            `${args.dim}, hidden ${WORKLOAD.hiddenDim}, history ${WORKLOAD.historyLength}; ${WORKLOAD.warmupSteps} warm-up steps (fewer on slow ` +
            `backends), then up to ${args.seconds} s per cell (at least ${WORKLOAD.minSteps} steps); events/s = batch / median step.`,
        `TF.js native backend: libtensorflow 2.10.1 via \`npm run setup:native\`, ` +
            `TF_NUM_INTRAOP_THREADS=${process.env.TF_NUM_INTRAOP_THREADS ?? '1 (micstream default)'}; PyTorch: same model and losses ` +
            `(bench/torch_two_tower.py), batches of the shape the TF.js run measured, ${cpus().length} threads.`,
        'TF.js MIC cells hand the next batch to the extras worker before each timed step (`--extras-worker`, as the pipeline does with queued ' +
            'batches): its kNN positives and hard negatives are searched on the second core during the step; PyTorch computes them inside its step.',
    ];
    let python = null;
    if (args.torch) {
        const p = torchPython();
        if (typeof p === 'string')
            python = p;
        else
            notes.push(`PyTorch: not run (${p.error}).`);
    }
    const torchRows = [];
    for (const [bi, b] of backends.entries()) {
        // The fastest backend is the one compared with PyTorch: interleaved rounds (see the header).
        const paired = bi === 0 && python !== null;
        const rounds = paired ? args.rounds : 1;
        process.stderr.write(`bench:train: TF.js backend ${b}${paired ? `, interleaved with PyTorch, ${rounds} rounds` : ''} ...\n`);
        const cells = new Map();
        for (let r = 0; r < rounds; r++) {
            // One process per cell: a cell never inherits the heap, caches or GC debt of the previous one.
            for (const model of args.models) {
                for (const batch of args.batches) {
                    const key = `${model}/${batch}`;
                    const cell = cells.get(key) ?? { tfjs: [], torch: [] };
                    cells.set(key, cell);
                    const row = runTfjsCell(args, b, model, batch);
                    if (!row)
                        continue;
                    cell.tfjs.push(row);
                    if (paired && row.shape) {
                        const t = runTorchCell(python, args, model, batch, row.shape);
                        if ('error' in t) {
                            process.stderr.write(`bench:train: PyTorch ${key}: ${t.error}\n`);
                            cell.tfjs.pop();
                            continue;
                        }
                        cell.torch.push(t);
                        process.stderr.write(`  torch ${t.model} batch ${t.batch}: ${t.eventsPerSecond} events/s (median step ${t.medianStepMs} ms)\n`);
                    }
                }
            }
        }
        for (const cell of cells.values()) {
            if (!cell.tfjs.length)
                continue;
            const merged = mergeRounds(cell.tfjs);
            if (cell.torch.length === cell.tfjs.length && cell.torch.length) {
                merged.roundRatios = cell.tfjs.map((t, i) => cell.torch[i].medianStepMs / t.medianStepMs);
                torchRows.push(mergeRounds(cell.torch));
            }
            rows.push(merged);
        }
    }
    if (python && torchRows.length === 0)
        notes.push('PyTorch: no cell ran (see the log).');
    if (python && args.rounds > 1)
        notes.push(`${args.rounds} interleaved rounds for the fastest backend and PyTorch; "vs PyTorch CPU" is the median of the per-round ratios (PyTorch ` +
            `step / TF.js step of the same round).`);
    rows.push(...torchRows);
    const table = markdown(rows, notes);
    process.stdout.write(`${table}\n`);
    if (args.write)
        writeMarkdownSection(args.write, 'bench-train', 'Training throughput (`npm run bench:train`)', table);
}
await main();
//# sourceMappingURL=trainBench.js.map