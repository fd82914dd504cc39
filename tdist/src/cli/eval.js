import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { selectBackend } from '../backend/selectBackend.js';
import { ConfigError } from '../errors.js';
import { ALL_MODELS, EVAL_KS, runEvaluation } from '../eval/evalHarness.js';
import { ablationSvg, aggregate, markdownTable, prequentialSegmentTable, prequentialSvg } from '../eval/report.js';
import { summarise, summaryMarkdown } from '../eval/summary.js';
import { ABLATIONS } from '../learner/micOptions.js';
import { loadDataset } from '../sources/datasetFiles.js';
import { decodeEvent } from '../events/interactionEvent.js';
import { progressBar } from './progressBar.js';
const require = createRequire(import.meta.url);
/** `temporal:F` (train on the first F, test on the rest) or `temporal:F:E` (test on F..E: a validation split). */
function parseSplit(split) {
    const m = /^temporal:(0?\.\d+)(?::(0?\.\d+|1))?$/.exec(split);
    const train = Number(m?.[1]);
    const end = m?.[2] === undefined ? 1 : Number(m[2]);
    if (!m || !(train > 0 && train < end && end <= 1))
        throw new ConfigError([`split: expected temporal:F or temporal:F:E with 0 < F < E <= 1, got "${split}"`]);
    return { train, end };
}
function parseModels(list) {
    if (list === 'all')
        return [...ALL_MODELS];
    const names = list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const bad = names.filter((n) => !ALL_MODELS.includes(n));
    if (bad.length)
        throw new ConfigError([`models: unknown ${bad.join(', ')} (known: ${ALL_MODELS.join(', ')})`]);
    return names;
}
/**
 * `micstream eval`: the offline protocol over one dataset or several (`--data a,b,c`): per dataset
 * results.json, results.md and SVG plots (in --out, or in --out/<dataset name> for several), and
 * for several a summary (summary.md / summary.json) of each learned model's ratio to the best
 * baseline per channel and segment.
 */
export async function runEval(config, log = console.log) {
    if (!config.data)
        throw new ConfigError(['data: micstream eval needs --data PATH (or several: --data a,b,c)']);
    const paths = config.data
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
    const names = paths.map((p) => basename(resolve(p)).replace(/\.[a-z]+$/i, ''));
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate)
        throw new ConfigError([`data: two datasets are named ${duplicate}; their outputs would collide`]);
    const split = parseSplit(config.split);
    const models = parseModels(config.models);
    const backend = await selectBackend(config.backend, { intraOpThreads: config.tfThreads });
    log(`backend: ${backend.backend}`);
    for (const n of backend.notes)
        log(`backend: ${n}`);
    const outRoot = resolve(config.out);
    const summaries = [];
    let results = null;
    for (const [i, path] of paths.entries()) {
        const outDir = paths.length > 1 ? join(outRoot, names[i]) : outRoot;
        const one = await evalDataset(path, outDir, { config, split, models, backend: backend.backend }, log);
        summaries.push(summarise(names[i], one.models));
        results = one;
    }
    if (paths.length > 1) {
        mkdirSync(outRoot, { recursive: true });
        writeFileSync(join(outRoot, 'summary.json'), `${JSON.stringify(summaries, null, 2)}\n`);
        const markdown = summaryMarkdown(summaries);
        writeFileSync(join(outRoot, 'summary.md'), markdown);
        log(markdown);
        log(`wrote ${join(outRoot, 'summary.md')} and summary.json`);
    }
    return { outDir: outRoot, results, summaries };
}
/** One dataset: the protocol, its files in `outDir`. */
async function evalDataset(path, outDir, o, log) {
    const { config, split, models } = o;
    const seeds = Array.from({ length: config.seeds }, (_, i) => config.seed + i);
    const dataset = loadDataset(path);
    let events = dataset.events;
    if (dataset.format === 'jsonl') {
        events = [];
        for (const line of dataset.lines) {
            try {
                events.push(decodeEvent(line));
            }
            catch {
                // invalid lines are not part of the evaluation
            }
        }
    }
    log(`dataset: ${path} (${dataset.format}, ${events.length} events); split ${config.split}; seeds ${seeds.join(',')}; models ${models.join(',')}`);
    for (const note of dataset.notes)
        log(`  ${note}`);
    const started = Date.now();
    const { data, runs } = await runEvaluation(events, {
        trainFraction: split.train,
        endFraction: split.end,
        seeds,
        models,
        recentWindow: config.recentWindow,
        epochs: config.epochs,
        config,
        onProgress: progressBar,
    });
    const aggregated = aggregate(runs);
    const results = {
        createdAt: new Date().toISOString(),
        seconds: (Date.now() - started) / 1000,
        dataset: { path: resolve(path), format: dataset.format, events: events.length, sha256: data.datasetHash },
        protocol: {
            split: config.split,
            trainEvents: data.train.length,
            testEvents: data.test.length,
            testUsers: data.testUsers,
            coldTestUsers: data.coldTestUsers,
            i2iTestPairs: data.testPairs,
            ks: EVAL_KS,
            recentWindow: config.recentWindow,
            onePass: true,
            epochs: config.epochs,
        },
        seeds,
        versions: {
            micstream: require('../../../package.json').version,
            node: process.version,
            tfjs: require('@tensorflow/tfjs/package.json').version,
            backend: o.backend,
        },
        config,
        models: aggregated,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const table = [markdownTable(aggregated, data), prequentialSegmentTable(aggregated)].filter((t) => t !== '').join('\n\n');
    writeFileSync(join(outDir, 'results.md'), `# micstream eval\n\n\`micstream eval --data ${path} --split ${config.split} --seeds ${config.seeds}\`\n\n${table}\n`);
    writeFileSync(join(outDir, 'prequential.svg'), prequentialSvg(aggregated, config.prequentialK));
    writeFileSync(join(outDir, 'ablation.svg'), ablationSvg(aggregated, [...models.filter((m) => !ABLATIONS.includes(m)), ...ABLATIONS]));
    log(table);
    log(`wrote ${join(outDir, 'results.json')}, results.md, prequential.svg, ablation.svg in ${results.seconds.toFixed(0)} s`);
    return { models: aggregated };
}
//# sourceMappingURL=eval.js.map