import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise, summaryMarkdown } from '../src/eval/summary.js';
import { runEval } from '../src/cli/eval.js';
import { loadConfig } from '../src/config/config.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
const model = (channels) => ({ seeds: [1], channels, perSeed: {}, std: {} });
test('summarise: the best baseline per figure, each learned model as a ratio to it (merged against the U2I baselines)', () => {
    const s = summarise('d', {
        pop: model({ u2i: { 'recall@20': 0.1, 'recall@20/warm': 0.05, 'recall@20/cold': 0.2 } }),
        itemknn: model({ u2i: { 'recall@20': 0.2, 'recall@20/warm': 0.25, 'recall@20/cold': 0.2 } }),
        itemcf_i2i: model({ i2i: { 'hr@20': 0.4 } }),
        mic: model({ u2i: { 'recall@20': 0.3, 'recall@20/cold': 0.1 }, merged: { 'recall@20': 0.22 }, i2i: { 'hr@20': 0.2 } }),
    });
    const cell = (label) => s.cells.find((c) => c.label === label);
    assert.deepEqual(cell('U2I R@20').best, { model: 'itemknn', value: 0.2 });
    assert.ok(Math.abs(cell('U2I R@20').models.mic.ratio - 1.5) < 1e-12);
    assert.deepEqual(cell('U2I R@20 cold').best, { model: 'pop', value: 0.2 }, 'ties keep the first baseline');
    assert.ok(Math.abs(cell('U2I R@20 cold').models.mic.ratio - 0.5) < 1e-12);
    assert.ok(Math.abs(cell('MERGED R@20').models.mic.ratio - 1.1) < 1e-12);
    assert.ok(Math.abs(cell('I2I HR@20').models.mic.ratio - 0.5) < 1e-12);
    assert.equal(cell('U2U R@20').best, null);
    assert.deepEqual(cell('U2U R@20').models, {});
    assert.equal(cell('U2I R@20 warm').models.mic, undefined, 'a figure the model has not got is left out');
    const md = summaryMarkdown([s]);
    assert.match(md, /\| d \| 0\.2000 itemknn/);
    assert.match(md, /0\.3000 \(1\.50x\)/);
});
test('micstream eval --data a,b: one result folder per dataset and a summary across them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'micstream-multi-'));
    for (const [name, seed] of [
        ['alpha', 1],
        ['beta', 2],
    ]) {
        const events = [...new SyntheticWorld({ users: 80, items: 60, clusters: 4, events: 2000, seed }).events()];
        writeFileSync(join(dir, `${name}.jsonl`), events.map((e) => JSON.stringify(e)).join('\n'));
    }
    const out = join(dir, 'out');
    const { config } = loadConfig({
        argv: [
            '--data',
            `${join(dir, 'alpha.jsonl')},${join(dir, 'beta.jsonl')}`,
            '--models',
            'pop,itemknn,itemcf_i2i',
            '--seeds',
            '1',
            '--out',
            out,
        ],
        env: {},
    });
    const { summaries } = await runEval(config, () => { });
    assert.deepEqual(summaries.map((s) => s.dataset), ['alpha', 'beta']);
    for (const name of ['alpha', 'beta'])
        assert.ok(existsSync(join(out, name, 'results.json')), `${name}/results.json`);
    const written = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.equal(written.length, 2);
    assert.ok(summaries[0].cells.find((c) => c.label === 'U2I R@20').best.value > 0);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\| alpha \|/);
});
//# sourceMappingURL=evalSummary.test.js.map