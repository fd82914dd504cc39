/**
 * Soak benchmark (`npm run bench:soak`): `micstream train` on the embedded synthetic stream at full
 * speed for `--minutes`, with a bounded id set and `--id-expiry-ms` set, its memory read from its
 * own /metrics every `--sample-seconds`: RSS, V8 heap (main's, and each thread's as the thread reports
 * it), embedding rows and the entries of every per-id structure (`micstream_entity_entries`). Flat after warm-up is the target: the RSS slope
 * over the second half is reported with the curve.
 *
 *   node dist/bench/soakBench.js [--minutes 10] [--users 5000] [--items 2000] [--id-expiry-ms 86400000]
 *                                [--sample-seconds 10] [--write docs/BENCHMARKS.md] [-- train flags...]
 *
 * The synthetic stream advances its clock about a second per event, so `--id-expiry-ms` is in that
 * stream time: a day keeps every id that recurs within roughly 86,000 events.
 */
import { cpus, totalmem } from 'node:os';
import { argsWithTrainFlags } from './benchArgs.js';
import { writeMarkdownSection } from './markdownSection.js';
import { startTrain, syntheticWorldFlags } from './trainProcess.js';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function metric(body, name) {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(body);
    return m ? Number(m[1]) : Number.NaN;
}
/** Least-squares slope of y over x. */
function slope(xs, ys) {
    const n = xs.length;
    const mx = xs.reduce((s, x) => s + x, 0) / n;
    const my = ys.reduce((s, y) => s + y, 0) / n;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
        num += (xs[i] - mx) * (ys[i] - my);
        den += (xs[i] - mx) ** 2;
    }
    return den > 0 ? num / den : 0;
}
async function main() {
    // Flags after `--` go to `micstream train` as they are (e.g. -- --seen-items-per-user 100).
    const { args, trainFlags } = argsWithTrainFlags(process.argv.slice(2), {
        minutes: 10,
        users: 5000,
        items: 2000,
        idExpiryMs: 86_400_000,
        sampleSeconds: 10,
    });
    const flags = [...syntheticWorldFlags(args.users, args.items), '--id-expiry-ms', String(args.idExpiryMs), ...trainFlags];
    const { child, url, backend, exited } = await startTrain(flags);
    const started = Date.now();
    const samples = [];
    try {
        while (Date.now() - started < args.minutes * 60_000) {
            await sleep(args.sampleSeconds * 1000);
            const body = await (await fetch(`${url}/metrics`)).text();
            const entries = {};
            for (const m of body.matchAll(/^micstream_entity_entries\{structure="([a-z_]+)"\} (\S+)$/gm))
                entries[m[1]] = Number(m[2]);
            const threads = {};
            for (const m of body.matchAll(/^micstream_thread_heap_used_bytes\{thread="([a-z-]+)"\} (\S+)$/gm))
                threads[m[1]] = Number(m[2]) / 2 ** 20;
            samples.push({
                seconds: (Date.now() - started) / 1000,
                trained: metric(body, 'micstream_events_trained_total'),
                rssMiB: metric(body, 'micstream_process_process_resident_memory_bytes') / 2 ** 20,
                heapMiB: metric(body, 'micstream_process_nodejs_heap_size_used_bytes') / 2 ** 20,
                externalMiB: metric(body, 'micstream_process_nodejs_external_memory_bytes') / 2 ** 20,
                rows: metric(body, 'micstream_embedding_rows'),
                entries,
                threads,
            });
            const s = samples.at(-1);
            process.stderr.write(`${s.seconds.toFixed(0)} s: ${s.trained} events, RSS ${s.rssMiB.toFixed(0)} MiB, heap ${s.heapMiB.toFixed(0)} MiB\n`);
        }
    }
    finally {
        child.kill('SIGTERM');
    }
    const exit = await exited;
    const second = samples.filter((s) => s.seconds >= (args.minutes * 60) / 2);
    const rssSlope = slope(second.map((s) => s.seconds / 60), second.map((s) => s.rssMiB));
    const heapSlope = slope(second.map((s) => s.seconds / 60), second.map((s) => s.heapMiB));
    const structures = Object.keys(samples.at(-1)?.entries ?? {}).sort();
    const threadNames = [...new Set(samples.flatMap((s) => Object.keys(s.threads)))].sort();
    const everyMinute = samples.filter((s, i) => i === 0 || Math.floor(s.seconds / 60) > Math.floor(samples[i - 1].seconds / 60));
    const last = samples.at(-1);
    const lines = [
        `\`npm run bench:soak\` (\`node dist/bench/soakBench.js --minutes ${args.minutes} --users ${args.users} --items ${args.items} ` +
            `--id-expiry-ms ${args.idExpiryMs}${trainFlags.length ? ` -- ${trainFlags.join(' ')}` : ''}\`), ` +
            `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, backend ${backend}; ` +
            `\`micstream train\` on the embedded synthetic stream at full speed, default flags otherwise; exit ${exit} after SIGTERM.`,
        '',
        `RSS slope over the second half: **${rssSlope.toFixed(1)} MiB/min** (V8 heap ${heapSlope.toFixed(1)} MiB/min); ` +
            `${last.trained.toLocaleString('en-US')} events in ${(last.seconds / 60).toFixed(1)} min (${(last.trained / last.seconds).toFixed(0)} events/s).`,
        '',
        `| min | events | RSS MiB | heap MiB | external MiB | ${threadNames.map((t) => `heap ${t}`).join(' | ')} | embedding rows | ${structures.join(' | ')} |`,
        `|---|---|---|---|---|${threadNames.map(() => '---|').join('')}---|${structures.map(() => '---').join('|')}|`,
        ...everyMinute.map((s) => `| ${(s.seconds / 60).toFixed(1)} | ${s.trained.toLocaleString('en-US')} | ${s.rssMiB.toFixed(0)} | ` +
            `${s.heapMiB.toFixed(0)} | ${s.externalMiB.toFixed(0)} | ${threadNames.map((t) => (s.threads[t] ?? 0).toFixed(0)).join(' | ')} | ` +
            `${s.rows.toLocaleString('en-US')} | ${structures.map((k) => (s.entries[k] ?? 0).toLocaleString('en-US')).join(' | ')} |`),
    ];
    const body = lines.join('\n');
    console.log(body);
    if (args.write)
        writeMarkdownSection(args.write, 'bench-soak', 'Soak: memory under continuous training (`npm run bench:soak`)', body);
}
await main();
//# sourceMappingURL=soakBench.js.map