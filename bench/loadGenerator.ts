/**
 * An open-loop HTTP load generator (its own process, so that it never shares an event loop with the
 * server it measures): `--rps` GET requests per second for `--seconds`, each sent at its scheduled
 * time whatever the earlier ones are doing, to `--url`/v1/recall/`--channel`?user=u<random below
 * --users>&k=20. A request's latency runs from its scheduled time to the end of its response, so a
 * stalled server is charged for every request it delayed (no coordinated omission). Prints one JSON
 * object: counts, statuses, latency percentiles and the slowest requests with their send times.
 *
 *   node dist/bench/loadGenerator.js --url http://127.0.0.1:8080 [--rps 1000] [--seconds 60] [--users 5000] [--channel u2i]
 */
import { Agent, request } from 'node:http';
import { Rng } from '../src/util/random.js';

export interface LoadResult {
  rps: number;
  seconds: number;
  sent: number;
  statuses: Record<string, number>;
  errors: number;
  /** Transport errors by code (ECONNRESET, ...): what `errors` were. */
  errorCodes: Record<string, number>;
  /** Latency percentiles in ms (p50, p90, p99, p99.9, max). */
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
  over10ms: number;
  over50ms: number;
  /** The slowest requests: ms after the start they were due, and their latency. */
  slowest: { atMs: number; ms: number }[];
  /**
   * Every request slower than 10 ms (the first 100,000), as [ms after the start it was due,
   * latency ms]: with the request rate, enough to tell the latency inside any window of the run
   * (e.g. around a replica's version swaps) from the rest.
   */
  slow: [number, number][];
}

function parse(argv: readonly string[]): { url: string; rps: number; seconds: number; users: number; channel: string } {
  const out = { url: '', rps: 1000, seconds: 60, users: 5000, channel: 'u2i' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--url') out.url = value;
    else if (flag === '--channel') out.channel = value;
    else if (flag === '--rps' || flag === '--seconds' || flag === '--users') out[flag.slice(2) as 'rps'] = Number(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!out.url) throw new Error('--url is required');
  return out;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const rng = new Rng(17);
  const total = Math.round(o.rps * o.seconds);
  const latencies = new Float64Array(total).fill(Number.NaN);
  const due = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let errors = 0;
  const errorCodes: Record<string, number> = {};
  let sent = 0;
  let finished = 0;
  const start = performance.now();
  const done = new Promise<void>((resolve) => {
    const send = (i: number, scheduled: number): void => {
      const path = `/v1/recall/${o.channel}?user=u${rng.int(o.users)}&k=20`;
      const req = request({ host: target.hostname, port: target.port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies[i] = performance.now() - scheduled;
          statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
          if (++finished === total) resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        errors++;
        const code = err.code ?? err.name;
        errorCodes[code] = (errorCodes[code] ?? 0) + 1;
        if (++finished === total) resolve();
      });
      req.end();
    };
    const tick = (): void => {
      const now = performance.now();
      const dueNow = Math.min(total, Math.floor(((now - start) * o.rps) / 1000));
      for (; sent < dueNow; sent++) {
        const scheduled = start + (sent * 1000) / o.rps;
        due[sent] = scheduled - start;
        send(sent, scheduled);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  await done;
  agent.destroy();
  const order = [...latencies.keys()].filter((i) => !Number.isNaN(latencies[i]!)).sort((a, b) => latencies[a]! - latencies[b]!);
  const at = (q: number) => (order.length ? latencies[order[Math.min(order.length - 1, Math.floor(q * order.length))]!]! : Number.NaN);
  const result: LoadResult = {
    rps: o.rps,
    seconds: o.seconds,
    sent: total,
    statuses,
    errors,
    errorCodes,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) },
    over10ms: order.filter((i) => latencies[i]! > 10).length,
    over50ms: order.filter((i) => latencies[i]! > 50).length,
    slowest: order
      .slice(-10)
      .reverse()
      .map((i) => ({ atMs: Math.round(due[i]!), ms: Number(latencies[i]!.toFixed(1)) })),
    slow: [...latencies.keys()]
      .filter((i) => latencies[i]! > 10)
      .slice(0, 100_000)
      .map((i) => [Math.round(due[i]!), Number(latencies[i]!.toFixed(1))]),
  };
  console.log(JSON.stringify(result));
}

await main();
