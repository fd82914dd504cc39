/**
 * Publish under load (`npm run bench:publish`): a steady stream into Kafka, `micstream train
 * --source kafka` learning it and publishing every index version to the recall topic, a `micstream
 * serve` replica loading them, and an open-loop load generator (loadGenerator.ts, another
 * process) sending `--rps` U2I requests per second to the replica throughout. Every
 * `--probe-seconds` a new probe user's first event is produced, and the replica is polled until
 * it answers that user (U2I, strict): the event-to-servable freshness through the replica.
 * Reports the publish counts and failures, the replica's version swaps, the probe delays, and the
 * replica's request latency while it swaps versions under load.
 *
 *   node dist/bench/publishBench.js [--minutes 5] [--rate 3000] [--users 5000] [--items 2000] [--rps 1000]
 *                                   [--probe-seconds 10] [--write docs/BENCHMARKS.md] [-- train flags...]
 *
 * Uses the broker in MICSTREAM_KAFKA_BROKERS, or starts scripts/kafka.sh for the run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config/config.js';
import { runTopology } from '../src/cli/kafkaCommands.js';
import { kafkaConnection } from '../src/kafka/connectionFromConfig.js';
import { produceRecords } from '../src/kafka/recordProducer.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { Rng } from '../src/util/random.js';
import { argsWithTrainFlags } from './benchArgs.js';
import { latencyInWindows } from './latencyWindows.js';
import type { LoadResult } from './loadGenerator.js';
import { writeMarkdownSection } from './markdownSection.js';
import { transportErrorsText } from './transportErrors.js';
import { startTrain, untilReady } from './trainProcess.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const GENERATOR = fileURLToPath(new URL('./loadGenerator.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function metric(body: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body);
  return m ? Number(m[1]) : Number.NaN;
}

/** The sum of a metric over its label sets. */
function metricSum(body: string, name: string): number {
  let sum = 0;
  for (const m of body.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};

async function main(): Promise<void> {
  const { args, trainFlags: flags } = argsWithTrainFlags(process.argv.slice(2), {
    minutes: 5,
    rate: 3000,
    users: 5000,
    items: 2000,
    rps: 1000,
    probeSeconds: 10,
  });
  let brokers = process.env.MICSTREAM_KAFKA_BROKERS ?? '';
  const ownBroker = !brokers;
  if (ownBroker) brokers = execFileSync(`${ROOT}scripts/kafka.sh`, ['start'], { encoding: 'utf8' }).trim();
  const prefix = `pub${Date.now().toString(36)}-`;
  const kafkaFlags = ['--kafka-brokers', brokers, '--topic-prefix', prefix];
  const config = loadConfig({ argv: kafkaFlags, env: {} }).config;
  const children: { kill(signal: NodeJS.Signals): boolean }[] = [];
  try {
    if ((await runTopology(config, 'apply', () => {})) !== 0) throw new Error('topology apply failed');
    // Each version's number is its snapshot's creation time (ms): with the times it was published and
    // swapped in, a probe's wait splits into event -> snapshot and snapshot -> served by the replica.
    const published: { version: number; at: number }[] = [];
    const versionOf = (line: string) => Number(/"version":(\d+)/.exec(line)?.[1] ?? Number.NaN);
    const learner = await startTrain(['--source', 'kafka', ...kafkaFlags, ...flags], (line) => {
      if (line.includes('"msg":"published index version"')) published.push({ version: versionOf(line), at: Date.now() });
    });
    children.push(learner.child);
    const serve = spawn(process.execPath, [MAIN, 'serve', ...kafkaFlags, '--port', '0', '--log-format', 'json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(serve);
    // A swap: the version, when the replica logged it served, and how long its assembly and build took before that.
    const swaps: { version: number; at: number; buildMs: number }[] = [];
    const serveUrl = await new Promise<string>((resolve, reject) => {
      createInterface({ input: serve.stdout }).on('line', (line) => {
        const m = /"url":"([^"]+)"/.exec(line);
        if (m && line.includes('recall server listening')) resolve(m[1]!);
        if (line.includes('"msg":"serving index version"'))
          swaps.push({ version: versionOf(line), at: Date.now(), buildMs: Number(/"buildMs":(\d+)/.exec(line)?.[1] ?? 0) });
      });
      serve.on('exit', (code) => reject(new Error(`serve exited (${code})`)));
    });

    const connection = kafkaConnection(config);
    const topic = `${prefix}interactions`;
    const seconds = args.minutes * 60;
    const world = new SyntheticWorld({
      users: args.users,
      items: args.items,
      events: Math.min(args.users * args.items, args.rate * seconds),
    });
    const events = world.events();
    const rng = new Rng(23);
    let lastTimestamp = 0;
    let produced = 0;
    const probes: { user: string; producedAt: number; visibleMs: number | null }[] = [];
    const polls: Promise<void>[] = [];
    const pollVisible = async (probe: (typeof probes)[number]) => {
      while (Date.now() - probe.producedAt < 180_000) {
        const r = await fetch(`${serveUrl}/v1/recall/u2i?user=${probe.user}&k=5&strict=true`).catch(() => null);
        if (r?.status === 200) {
          probe.visibleMs = Date.now() - probe.producedAt;
          return;
        }
        await sleep(200);
      }
    };

    // Warm-up: the first version reaches the replica before the measured period.
    const first = [];
    for (let i = 0; i < args.rate * 5; i++) {
      const e = events.next();
      if (e.done) break;
      first.push(e.value);
      lastTimestamp = e.value.timestamp;
    }
    await produceRecords(connection, first, { topic, batchSize: 500 });
    produced += first.length;
    await untilReady(serveUrl, 300_000);
    process.stderr.write(`replica ready at ${serveUrl}; producing ${args.rate} events/s for ${seconds} s\n`);

    const load = new Promise<LoadResult>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [GENERATOR, '--url', serveUrl, '--rps', String(args.rps), '--seconds', String(seconds), '--users', String(args.users)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(child);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`)),
      );
    });
    const start = Date.now();
    const swapsBefore = swaps.length;
    const publishedBefore = published.length;
    let nextProbe = start + args.probeSeconds * 1000;
    let sentThisRun = 0;
    while (Date.now() - start < seconds * 1000) {
      const due = Math.floor(((Date.now() - start) * args.rate) / 1000) - sentThisRun;
      const batch = [];
      for (let i = 0; i < due; i++) {
        const e = events.next();
        if (e.done) break;
        batch.push(e.value);
        lastTimestamp = e.value.timestamp;
      }
      if (Date.now() >= nextProbe) {
        const user = `probe-${probes.length}`;
        batch.push({ userId: user, itemId: `i${rng.int(args.items)}`, timestamp: lastTimestamp + 1, type: 'view' });
        nextProbe += args.probeSeconds * 1000;
        const probe = { user, producedAt: 0, visibleMs: null };
        probes.push(probe);
        await produceRecords(connection, batch, { topic, batchSize: 500 });
        probe.producedAt = Date.now();
        polls.push(pollVisible(probe));
      } else if (batch.length) await produceRecords(connection, batch, { topic, batchSize: 500 });
      sentThisRun += due;
      produced += batch.length;
      await sleep(100);
    }
    const producedSeconds = (Date.now() - start) / 1000;
    const replica = await load;
    await Promise.all(polls);
    const learnerMetrics = await (await fetch(`${learner.url}/metrics`)).text();
    const serveMetrics = await (await fetch(`${serveUrl}/metrics`)).text();
    await connection.close();

    const visible = probes.map((p) => p.visibleMs).filter((v): v is number => v !== null);
    const failures = metric(learnerMetrics, 'micstream_index_publish_failures_total');
    const trained = metric(learnerMetrics, 'micstream_events_trained_total');
    const lag = metricSum(learnerMetrics, 'micstream_kafka_consumer_lag_messages');
    const swapCount = swaps.length - swapsBefore;
    // "While the replica swaps in a version": from a second before its build started (the chunks'
    // assembly) to two seconds after it served it (the API thread decodes the version's tables in
    // slices after the swap).
    const duringSwaps = latencyInWindows(
      replica.slow,
      swaps.filter((t) => t.at >= start).map((t) => [t.at - t.buildMs - 1000 - start, t.at + 2000 - start] as [number, number]),
      args.rps,
      seconds,
    );
    const slowNearSwap = replica.slowest.filter((s) => swaps.some((t) => Math.abs(t.at - (start + s.atMs)) < 2000)).length;
    // The version that made a probe visible: the last one swapped in before it answered.
    const toSnapshot: number[] = [];
    const toServed: number[] = [];
    for (const p of probes) {
      const visibleAt = p.visibleMs === null ? null : p.producedAt + p.visibleMs;
      if (visibleAt === null) continue;
      const swap = swaps.filter((t) => t.at <= visibleAt + 200).at(-1);
      if (!swap || !(swap.version >= p.producedAt)) continue;
      toSnapshot.push(swap.version - p.producedAt);
      toServed.push(swap.at - swap.version);
    }
    const publishDelay = published.filter((v) => v.at >= start).map((v) => v.at - v.version);
    const s1 = (ms: number) => (ms / 1000).toFixed(1);
    const lines = [
      `\`npm run bench:publish\` (\`node dist/bench/publishBench.js --minutes ${args.minutes} --rate ${args.rate} --users ${args.users} ` +
        `--items ${args.items} --rps ${args.rps} --probe-seconds ${args.probeSeconds}${flags.length ? ` -- ${flags.join(' ')}` : ''}\`), ` +
        `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
        `backend ${learner.backend}; broker, producer, learner, \`serve\` replica and load generator all on this machine.`,
      '',
      `- Produced ${produced.toLocaleString('en-US')} events (${(produced / (producedSeconds + 5)).toFixed(0)}/s over the run, ` +
        `target ${args.rate}/s); the learner trained ${trained.toLocaleString('en-US')}; consumer lag at the end ${lag}.`,
      `- Index versions published during the load: ${published.length - publishedBefore}; failed publishes (total): ${failures}; ` +
        `versions swapped in by the replica during the load: ${swapCount}.`,
      `- Probe users visible through the replica (event produced -> U2I answers it): ${visible.length} of ${probes.length}; ` +
        `p50 ${(quantile(visible, 0.5) / 1000).toFixed(1)} s, p90 ${(quantile(visible, 0.9) / 1000).toFixed(1)} s, ` +
        `max ${(Math.max(...visible) / 1000).toFixed(1)} s. Of which (medians, ${toSnapshot.length} probes): event produced -> ` +
        `the snapshot that holds it ${s1(quantile(toSnapshot, 0.5))} s (consumption, training, the wait for a refresh); snapshot -> ` +
        `published by the learner ${s1(quantile(publishDelay, 0.5))} s (p90 ${s1(quantile(publishDelay, 0.9))} s); snapshot -> served ` +
        `by the replica ${s1(quantile(toServed, 0.5))} s (p90 ${s1(quantile(toServed, 0.9))} s).` +
        (visible.length < probes.length
          ? ` Not visible within 180 s: ${probes
              .filter((p) => p.visibleMs === null)
              .map((p) => `${p.user} (produced ${s1(p.producedAt - start)} s into the run)`)
              .join(', ')}.`
          : ''),
      `- Replica under ${args.rps} U2I requests/s during the swaps: p50 ${replica.latencyMs.p50.toFixed(1)} ms, ` +
        `p99 ${replica.latencyMs.p99.toFixed(1)} ms, p99.9 ${replica.latencyMs.p999.toFixed(1)} ms, max ${replica.latencyMs.max.toFixed(1)} ms; ` +
        `${replica.over50ms} of ${replica.sent} requests over 50 ms; statuses ${JSON.stringify(replica.statuses)}` +
        `${transportErrorsText(replica)}; of the 10 slowest, ${slowNearSwap} within 2 s of a swap.`,
      `- While the replica swapped versions in (from 1 s before each build to 2 s after each swap): ` +
        `${duringSwaps.requests.toLocaleString('en-US')} requests, ${duringSwaps.over10ms} over 10 ms, ${duringSwaps.over50ms} over 50 ms, ` +
        `slowest ${duringSwaps.maxMs === null ? '<= 10' : duringSwaps.maxMs.toFixed(1)} ms.`,
      `- Replica metrics: ${metric(serveMetrics, 'micstream_index_build_failures_total')} build failures, ` +
        `${metric(serveMetrics, 'micstream_recall_versions_rejected_total')} rejected versions.`,
    ];
    const body = lines.join('\n');
    console.log(body);
    if (args.write)
      writeMarkdownSection(args.write, 'bench-publish', 'Publish under load with a serve replica (`npm run bench:publish`)', body);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await sleep(3000);
    if (ownBroker) execFileSync(`${ROOT}scripts/kafka.sh`, ['stop'], { stdio: 'inherit' });
  }
}

await main();
