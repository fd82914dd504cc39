/**
 * Recall under load while training (`npm run bench:load`): `micstream train` on the embedded
 * synthetic stream at full speed, and an open-loop load generator in another process
 * (loadGenerator.ts) sending `--rps` U2I requests per second for `--seconds` to its recall API,
 * once with the API on its own thread (`--api-thread worker`, the default) and once on the
 * training thread (`--api-thread main`). Reports the latency percentiles (from each request's
 * scheduled send time: a stall is charged to every request it delayed), the statuses, and the
 * training throughput before and under the load.
 *
 *   node dist/bench/loadBench.js [--seconds 60] [--rps 1000] [--users 5000] [--items 2000] [--warmup-seconds 30]
 *                                [--modes 2] [--write docs/BENCHMARKS.md] [-- train flags...]
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { argsWithTrainFlags } from './benchArgs.js';
import type { LoadResult } from './loadGenerator.js';
import { writeMarkdownSection } from './markdownSection.js';
import { transportErrorsText } from './transportErrors.js';
import { startTrain, syntheticWorldFlags, untilReady } from './trainProcess.js';

const GENERATOR = fileURLToPath(new URL('./loadGenerator.js', import.meta.url));
const MODES = ['worker', 'main'] as const;

interface Run {
  mode: (typeof MODES)[number];
  backend: string;
  load: LoadResult;
  /** Training events/s from the learner's progress lines: before the load and during it. */
  idleRate: number;
  loadedRate: number;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.NaN);

function generate(url: string, args: { rps: number; seconds: number; users: number }): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [GENERATOR, '--url', url, '--rps', String(args.rps), '--seconds', String(args.seconds), '--users', String(args.users)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`)))),
  );
}

async function run(
  mode: Run['mode'],
  args: Record<'seconds' | 'rps' | 'users' | 'items' | 'warmupSeconds', number>,
  flags: string[],
): Promise<Run> {
  const rates: { at: number; rate: number }[] = [];
  const train = await startTrain(
    ['--api-thread', mode, ...syntheticWorldFlags(args.users, args.items), '--progress-interval-ms', '5000', ...flags],
    (line) => {
      const m = /"eventsPerSecond":(\d+)/.exec(line);
      if (m && line.includes('"msg":"progress"')) rates.push({ at: Date.now(), rate: Number(m[1]) });
    },
  );
  try {
    await untilReady(train.url, 300_000);
    await new Promise((resolve) => setTimeout(resolve, args.warmupSeconds * 1000));
    const loadStart = Date.now();
    const load = await generate(train.url, args);
    const loadEnd = Date.now();
    // A progress line covers the 5 s before it: count those wholly inside each period.
    const idleRate = mean(rates.filter((r) => r.at < loadStart && r.at - 5000 > loadStart - args.warmupSeconds * 1000).map((r) => r.rate));
    const loadedRate = mean(rates.filter((r) => r.at - 5000 >= loadStart && r.at <= loadEnd).map((r) => r.rate));
    process.stderr.write(
      `${mode}: ${JSON.stringify(load.latencyMs)} ${JSON.stringify(load.statuses)} training ${idleRate.toFixed(0)} -> ${loadedRate.toFixed(0)} ev/s\n`,
    );
    return { mode, backend: train.backend, load, idleRate, loadedRate };
  } finally {
    train.child.kill('SIGTERM');
    await train.exited;
  }
}

async function main(): Promise<void> {
  const { args, trainFlags: flags } = argsWithTrainFlags(process.argv.slice(2), {
    seconds: 60,
    rps: 1000,
    users: 5000,
    items: 2000,
    warmupSeconds: 30,
    // 2: the API on its own thread, then on the training thread (the comparison); 1: its own thread only.
    modes: 2,
  });
  const runs: Run[] = [];
  for (const mode of MODES) if (mode === 'worker' || args.modes >= 2) runs.push(await run(mode, args, flags));
  const f = (x: number) => x.toFixed(1);
  const lines = [
    `\`npm run bench:load\` (\`node dist/bench/loadBench.js --seconds ${args.seconds} --rps ${args.rps} --users ${args.users} ` +
      `--items ${args.items} --warmup-seconds ${args.warmupSeconds}${flags.length ? ` -- ${flags.join(' ')}` : ''}\`), ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
      `backend ${runs[0]?.backend}; \`micstream train\` on the embedded synthetic stream at full speed, U2I requests (k 20, random ` +
      `known users) from an open-loop generator in another process on the same machine; latency from each request's scheduled time.`,
    '',
    '| API thread | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | > 10 ms | > 50 ms | statuses | training events/s before -> under load |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (r) =>
        `| ${r.mode} | ${r.load.rps} | ${f(r.load.latencyMs.p50)} | ${f(r.load.latencyMs.p90)} | **${f(r.load.latencyMs.p99)}** | ` +
        `${f(r.load.latencyMs.p999)} | ${f(r.load.latencyMs.max)} | ${r.load.over10ms} | ${r.load.over50ms} | ` +
        `${Object.entries(r.load.statuses)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')}${transportErrorsText(r.load)} | ${r.idleRate.toFixed(0)} -> ${r.loadedRate.toFixed(0)} |`,
    ),
  ];
  const body = lines.join('\n');
  console.log(body);
  if (args.write) writeMarkdownSection(args.write, 'bench-load', 'Recall under load while training (`npm run bench:load`)', body);
}

await main();
