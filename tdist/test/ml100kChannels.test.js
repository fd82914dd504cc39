import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { runEvaluation } from '../src/eval/evalHarness.js';
import { aggregate } from '../src/eval/report.js';
import { loadConfig } from '../src/config/config.js';
import { ML100K } from './helpers/datasets.js';
import { useTestBackend } from './helpers/backend.js';
/**
 * The MIC issue's quality check on real data (ml-100k, temporal 80/20 split, one streaming pass,
 * seed 42, the evaluation protocol of docs/EVALUATION.md), with margins rather than exact floats.
 * Measured on wasm (CI's backend), seeds 42-44, session 12's defaults (replay, residual towers,
 * popularity prior): MIC I2I HR@20 0.172-0.175 vs DSSM 0.153-0.157 and Item-CF 0.1775; U2U R@20
 * 0.108-0.124 vs User-CF 0.114; cold-user U2I R@20 0.167-0.172 vs recent popularity 0.152; U2I R@20
 * 0.182-0.208 vs recent popularity 0.1833 and DSSM 0.184-0.200. Session 14 fused the towers' I2I with
 * the learner's streaming co-occurrence: the eval reports the served I2I (`hr@20`) and the towers'
 * alone (`towers/hr@20`); the towers comparison is the one the MIC parts must win.
 */
test("ml-100k: MIC's towers beat plain DSSM's on I2I, served I2I beats Item-CF, cold users beat recent popularity; U2I at recent popularity, U2U near User-CF", { timeout: 300000 }, async (t) => {
    await useTestBackend();
    const events = loadDataset(ML100K).events;
    const { config } = loadConfig({ argv: [], env: {} });
    const { runs } = await runEvaluation(events, {
        trainFraction: 0.8,
        seeds: [42],
        models: ['pop_recent', 'itemcf_i2i', 'usercf_u2u', 'dssm', 'mic'],
        recentWindow: 5000,
        config,
    });
    const m = aggregate(runs);
    const mic = m.mic.channels;
    const dssm = m.dssm.channels;
    // Served I2I (towers fused with the streaming co-occurrence) and the towers' nearest items alone.
    const i2i = mic.i2i['hr@20'];
    const towers = mic.i2i['towers/hr@20'];
    const u2u = mic.u2u['recall@20'];
    const cold = mic.u2i['recall@20/cold'];
    t.diagnostic(`I2I HR@20: mic ${i2i.toFixed(4)} (towers ${towers.toFixed(4)}), dssm ${dssm.i2i['hr@20'].toFixed(4)} ` +
        `(towers ${dssm.i2i['towers/hr@20'].toFixed(4)}), itemcf ${m.itemcf_i2i.channels.i2i['hr@20'].toFixed(4)}`);
    t.diagnostic(`U2U R@20: mic ${u2u.toFixed(4)}, dssm ${dssm.u2u['recall@20'].toFixed(4)}, usercf ${m.usercf_u2u.channels.u2u['recall@20'].toFixed(4)}`);
    t.diagnostic(`U2I R@20 cold: mic ${cold.toFixed(4)}, pop_recent ${m.pop_recent.channels.u2i['recall@20/cold'].toFixed(4)}`);
    const u2i = mic.u2i['recall@20'];
    const popRecent = m.pop_recent.channels.u2i['recall@20'];
    t.diagnostic(`U2I R@20: mic ${u2i.toFixed(4)}, dssm ${dssm.u2i['recall@20'].toFixed(4)}, pop_recent ${popRecent.toFixed(4)}`);
    // Margins from seeds 42-44 on wasm (the CI backend; docs/BENCHMARKS.md, session 12): MIC - DSSM
    // I2I +0.015..+0.020; MIC U2U 0.108..0.124 vs User-CF 0.1144; cold U2I 0.167..0.172 vs 0.152. U2I
    // for all users is 0.182..0.208 against recent popularity's 0.1833: it depends on whether the
    // U2I blend leaves 0 (seed 43 picks 0.75), and MIC no longer beats DSSM there (-0.011..+0.008):
    // both get replay and the popularity prior, and the views add nothing measurable to U2I.
    assert.ok(towers >= dssm.i2i['towers/hr@20'] + 0.008, `MIC towers' I2I ${towers} not 0.008 above DSSM's`);
    assert.ok(towers >= 0.9 * m.itemcf_i2i.channels.i2i['hr@20'], `MIC towers' I2I ${towers} < 0.9x Item-CF`);
    assert.ok(i2i >= 1.03 * m.itemcf_i2i.channels.i2i['hr@20'], `MIC served I2I ${i2i} < 1.03x Item-CF`);
    assert.ok(u2u >= 0.9 * m.usercf_u2u.channels.u2u['recall@20'], `MIC U2U ${u2u} < 0.9x User-CF`);
    assert.ok(cold >= m.pop_recent.channels.u2i['recall@20/cold'] + 0.008, `MIC cold-user U2I ${cold} not 0.008 above recent popularity`);
    assert.ok(u2i >= 0.97 * popRecent, `MIC U2I ${u2i} below 0.97x recent popularity ${popRecent}`);
    // The merged channel (U2I fused with I2I at weight 0.1 by default) must not cost U2I recall.
    const merged = mic.merged['recall@20'];
    t.diagnostic(`MERGED R@20: mic ${merged.toFixed(4)} (U2I ${u2i.toFixed(4)}), dssm ${dssm.merged['recall@20'].toFixed(4)}`);
    assert.ok(merged >= u2i - 0.005, `MIC MERGED ${merged} more than 0.005 below its U2I ${u2i}`);
    assert.ok(merged >= 0.97 * popRecent, `MIC MERGED ${merged} below 0.97x recent popularity ${popRecent}`);
});
//# sourceMappingURL=ml100kChannels.test.js.map