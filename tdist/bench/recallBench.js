/**
 * Recall latency benchmark (`npm run bench:recall`): the cost of one request of each channel of
 * RecallService (U2I, U2U, I2I, merged with the default weights and with all three channels on)
 * over HNSW snapshots of two sizes, in-process (no HTTP), one thread.
 *
 *   node dist/bench/recallBench.js [--queries 2000] [--rounds 3] [--dim 32] [--write docs/BENCHMARKS.md]
 *
 * The snapshot is synthetic so that the benchmark needs no TF.js backend and builds in seconds:
 * unit vectors around 50 cluster centres (users and items share the centres, as trained two-tower
 * vectors of one taste do), and seen-item sets of heavy-tailed size (geometric, mean 40, at most
 * 500; 20% of users have none, like cold users) drawn mostly from the user's own cluster. Queries
 * are uniformly random known ids; the channels run interleaved, round after round, and the table
 * gives the median and p99 over all rounds.
 */
import { cpus, totalmem } from 'node:os';
import { HnswIndex } from '../src/index/hnswIndex.js';
import { MERGED_RECALL_DEFAULTS } from '../src/index/mergedRecall.js';
import { RecallService } from '../src/serve/recallService.js';
import { Rng } from '../src/util/random.js';
import { positiveIntArgs } from './benchArgs.js';
import { writeMarkdownSection } from './markdownSection.js';
const CLUSTERS = 50;
function unitNear(centre, noise, rng, out) {
    let norm = 0;
    for (let d = 0; d < out.length; d++) {
        out[d] = centre[d] + noise * rng.normal();
        norm += out[d] * out[d];
    }
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < out.length; d++)
        out[d] *= inv;
}
function buildWorld(users, items, dim, seed) {
    const rng = new Rng(seed);
    const centres = Array.from({ length: CLUSTERS }, () => {
        const c = new Float32Array(dim);
        unitNear(new Float32Array(dim), 1, rng, c);
        return c;
    });
    const side = (n, prefix) => {
        const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
        const cluster = Int32Array.from({ length: n }, () => rng.int(CLUSTERS));
        const vectors = new Float32Array(n * dim);
        for (let i = 0; i < n; i++)
            unitNear(centres[cluster[i]], 0.35, rng, vectors.subarray(i * dim, (i + 1) * dim));
        return { ids, cluster, vectors };
    };
    const u = side(users, 'u');
    const it = side(items, 'i');
    const byCluster = Array.from({ length: CLUSTERS }, () => []);
    it.ids.forEach((id, i) => byCluster[it.cluster[i]].push(id));
    const seen = new Map();
    let total = 0;
    for (let i = 0; i < users; i++) {
        if (rng.next() < 0.2)
            continue; // cold: nothing seen
        const size = Math.min(500, 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / 40)));
        const own = byCluster[u.cluster[i]];
        const s = new Set();
        for (let j = 0; j < size; j++)
            s.add(rng.next() < 0.8 && own.length ? own[rng.int(own.length)] : it.ids[rng.int(items)]);
        seen.set(u.ids[i], s);
        total += s.size;
    }
    const started = performance.now();
    const index = (s) => {
        const ix = new HnswIndex({ dim, m: 16, efConstruction: 100, efSearch: 100, seed, initialCapacity: s.ids.length });
        ix.add(s.ids, s.vectors);
        return ix;
    };
    const snapshot = { version: 1, createdAt: Date.now(), trainedEvents: 0, users: index(u), items: index(it) };
    return { snapshot, seen, buildMs: performance.now() - started, seenMean: total / Math.max(1, seen.size) };
}
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
function main() {
    const args = positiveIntArgs(process.argv.slice(2), { queries: 2000, rounds: 3, dim: 32 });
    const sizes = [
        [20_000, 5_000],
        [100_000, 20_000],
    ];
    const allOn = { ...MERGED_RECALL_DEFAULTS, weights: { u2i: 1, u2u: 1, i2i: 1, generic: 0 }, triggerItems: 5 };
    const lines = ['| users | items | channel | median µs | p99 µs | requests/s (1 thread) |', '|---:|---:|---|---:|---:|---:|'];
    const notes = [];
    for (const [users, items] of sizes) {
        const world = buildWorld(users, items, args.dim, 7);
        const provider = { snapshot: world.snapshot, seenItems: (id) => world.seen.get(id) ?? new Set() };
        const byDefault = new RecallService(provider);
        const everything = new RecallService(provider, allOn);
        // The first merged request of a snapshot builds its users-without-items set: timed apart.
        const t0 = performance.now();
        byDefault.recall('merged', 'u0', 20);
        everything.recall('merged', 'u0', 20);
        const firstMs = (performance.now() - t0) / 2;
        notes.push(`${users.toLocaleString('en-US')} users / ${items.toLocaleString('en-US')} items: HNSW build ${(world.buildMs / 1000).toFixed(1)} s, ` +
            `${world.seen.size.toLocaleString('en-US')} users with seen items (mean ${world.seenMean.toFixed(0)}), first merged request after a swap ` +
            `${firstMs.toFixed(1)} ms (builds the snapshot's users-without-items set).`);
        const cells = [
            { label: 'u2i', channel: 'u2i', service: byDefault, idPrefix: 'u', micros: [] },
            { label: 'u2u', channel: 'u2u', service: byDefault, idPrefix: 'u', micros: [] },
            { label: 'i2i', channel: 'i2i', service: byDefault, idPrefix: 'i', micros: [] },
            { label: 'merged (defaults: U2I 1, I2I 0.1, 1 trigger)', channel: 'merged', service: byDefault, idPrefix: 'u', micros: [] },
            { label: 'merged (U2I, U2U, I2I at 1; 20 users, 5 triggers)', channel: 'merged', service: everything, idPrefix: 'u', micros: [] },
        ];
        const rng = new Rng(11);
        for (let round = 0; round < args.rounds; round++) {
            for (const cell of cells) {
                const n = cell.idPrefix === 'u' ? users : items;
                for (let q = 0; q < args.queries; q++) {
                    const id = `${cell.idPrefix}${rng.int(n)}`;
                    const started = process.hrtime.bigint();
                    cell.service.recall(cell.channel, id, 20);
                    cell.micros.push(Number(process.hrtime.bigint() - started) / 1000);
                }
            }
        }
        for (const cell of cells) {
            const sorted = cell.micros.sort((a, b) => a - b);
            const median = quantile(sorted, 0.5);
            lines.push(`| ${users.toLocaleString('en-US')} | ${items.toLocaleString('en-US')} | ${cell.label} | ${Math.round(median)} | ` +
                `${Math.round(quantile(sorted, 0.99))} | ${Math.round(1e6 / median).toLocaleString('en-US')} |`);
        }
    }
    const body = [
        ...lines,
        '',
        `- Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
            `${new Date().toISOString().slice(0, 10)}.`,
        `- k = 20, dim ${args.dim}, HNSW M 16, efConstruction 100, efSearch 100; ${args.queries.toLocaleString('en-US')} random known ids per channel ` +
            `per round, ${args.rounds} interleaved rounds; in-process RecallService calls (HTTP adds its own overhead on top).`,
        ...notes.map((n) => `- ${n}`),
    ].join('\n');
    process.stdout.write(`${body}\n`);
    if (args.write)
        writeMarkdownSection(args.write, 'bench-recall', 'Recall latency (`npm run bench:recall`)', body);
}
main();
//# sourceMappingURL=recallBench.js.map