import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { maskFields, maskTowerInput } from '../src/model/views/fieldMasking.js';
import { buildTowerInput, RowTable } from '../src/model/towerInput.js';
import { dropoutMask } from '../src/model/views/embeddingDropout.js';
import { kMeansPlusPlus } from '../src/cluster/kMeans.js';
import { ClusterService } from '../src/cluster/clusterService.js';
import { PageHinkley } from '../src/cluster/driftDetector.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { ablation, ABLATIONS } from '../src/learner/micOptions.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { Rng } from '../src/util/random.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
test('field masking drops each field with its own probability, deterministically', () => {
    const fields = {
        id: 'u:1',
        attributes: Array.from({ length: 1000 }, (_, i) => `ua:a=${i}`),
        history: Array.from({ length: 1000 }, (_, i) => `i:${i}`),
    };
    const a = maskFields(fields, new Rng(1), { id: 0, attribute: 0.2, history: 0, historyItem: 0.5 });
    assert.equal(a.id, 'u:1');
    assert.ok(Math.abs(a.attributes.length - 800) < 60, `${a.attributes.length}`);
    assert.ok(Math.abs(a.history.length - 500) < 60, `${a.history.length}`);
    assert.deepEqual(maskFields(fields, new Rng(1), { id: 0, attribute: 0.2, history: 0, historyItem: 0.5 }), a);
    assert.equal(maskFields(fields, new Rng(1), { id: 1, attribute: 0, history: 0, historyItem: 0 }).id, null);
    let masked = 0;
    const rng = new Rng(2);
    for (let i = 0; i < 2000; i++)
        if (maskFields(fields, rng, { id: 0.3, attribute: 0, history: 0, historyItem: 0 }).id === null)
            masked++;
    assert.ok(Math.abs(masked / 2000 - 0.3) < 0.04);
});
test('masking resolved tower inputs equals building the inputs from masked fields (same draws, same rows)', () => {
    const rng = new Rng(5);
    const entities = Array.from({ length: 300 }, (_, i) => ({
        id: i % 7 === 0 ? null : `u:${i}`,
        attributes: Array.from({ length: rng.int(5) }, (_, a) => `ua:f${a}=${rng.int(4)}`),
        history: Array.from({ length: rng.int(9) }, () => `i:${rng.int(30)}`), // repeats included
    }));
    const options = [
        { id: 0.5, attribute: 0.2, history: 0.2, historyItem: 0.3 },
        { id: 0, attribute: 0, history: 0, historyItem: 0 },
        { id: 1, attribute: 0.9, history: 0, historyItem: 0.5 },
        { id: 0.3, attribute: 0.5, history: 1, historyItem: 0.5 },
    ];
    for (const o of options) {
        for (const recent of [0, 1, 3]) {
            const rowsA = new RowTable();
            const viaFields = (() => {
                buildTowerInput(entities, rowsA, recent);
                const r = new Rng(9);
                return buildTowerInput(entities.map((e) => maskFields(e, r, o)), rowsA, recent);
            })();
            const rowsB = new RowTable();
            const viaRows = maskTowerInput(buildTowerInput(entities, rowsB, recent), new Rng(9), o, recent);
            assert.deepEqual(viaRows, viaFields, `options ${JSON.stringify(o)}, recent ${recent}`);
            assert.deepEqual(rowsB.keys, rowsA.keys, 'no new rows');
        }
    }
});
test('embedding dropout mask: drops at the rate, scales the kept entries by 1 / (1 - rate), seeded', () => {
    for (const rate of [0.1, 0.5]) {
        const size = 200_001; // odd: the last entry uses half of a draw
        const m = dropoutMask(size, rate, 7);
        let dropped = 0;
        let sum = 0;
        for (const x of m) {
            if (x === 0)
                dropped++;
            else
                assert.ok(Math.abs(x - 1 / (1 - rate)) < 1e-6, `kept entry ${x}`);
            sum += x;
        }
        // Binomial: 5 standard deviations of the dropped fraction.
        const sd = Math.sqrt((rate * (1 - rate)) / size);
        assert.ok(Math.abs(dropped / size - rate) < 5 * sd, `rate ${rate}: dropped ${dropped / size}`);
        assert.ok(Math.abs(sum / size - 1) < (5 * sd) / (1 - rate), `rate ${rate}: mean ${sum / size} (inverted dropout keeps the expectation)`);
        // Both halves of each 32-bit draw are used, and neither is biased: even and odd positions drop alike.
        const even = m.filter((_, i) => i % 2 === 0 && i < size - 1).filter((x) => x === 0).length / ((size - 1) / 2);
        const odd = m.filter((_, i) => i % 2 === 1).filter((x) => x === 0).length / ((size - 1) / 2);
        assert.ok(Math.abs(even - odd) < 8 * sd, `even ${even} vs odd ${odd}`);
        assert.deepEqual(dropoutMask(1000, rate, 7), m.subarray(0, 1000), 'seeded: same seed, same mask');
        assert.notDeepEqual(dropoutMask(1000, rate, 8), m.subarray(0, 1000), 'another seed, another mask');
    }
    assert.ok(dropoutMask(100, 0, 1).every((x) => x === 1), 'rate 0 keeps everything unscaled');
    assert.throws(() => dropoutMask(10, 1, 1), RangeError);
    assert.throws(() => dropoutMask(10, -0.1, 1), RangeError);
});
test('k-means++ recovers well-separated clusters and is seeded', () => {
    const rng = new Rng(3);
    const centres = [
        [5, 0],
        [-5, 0],
        [0, 5],
    ];
    const v = new Float32Array(300 * 2);
    for (let i = 0; i < 300; i++) {
        const c = centres[i % 3];
        v[2 * i] = c[0] + rng.normal() * 0.3;
        v[2 * i + 1] = c[1] + rng.normal() * 0.3;
    }
    const r = kMeansPlusPlus(v, 2, 3, 7);
    for (let i = 3; i < 300; i++)
        assert.equal(r.assignments[i], r.assignments[i % 3], 'points of one true cluster share a label');
    assert.equal(new Set(r.assignments).size, 3);
    assert.deepEqual(kMeansPlusPlus(v, 2, 3, 7).assignments, r.assignments);
    assert.equal(kMeansPlusPlus(v.subarray(0, 4), 2, 10, 1).centroids.length, 4, 'k clamped to n');
});
test('ClusterService clusters in a worker thread without blocking the caller', async () => {
    const svc = new ClusterService(1);
    const ids = Array.from({ length: 2000 }, (_, i) => `u${i}`);
    const v = new Float32Array(2000 * 8).map((_, i) => Math.sin(i));
    const done = svc.request(ids, v, 8, 5, 10);
    assert.ok(done);
    assert.equal(svc.busy, true);
    assert.equal(svc.request(ids, new Float32Array(8 * 2000), 8, 5, 11), null, 'one run at a time');
    await done;
    assert.equal(svc.current.clusterOf.size, 2000);
    assert.equal(svc.current.step, 10);
    await svc.close();
});
test('Page-Hinkley fires on a rise of the loss level, not on stationary noise', () => {
    const rng = new Rng(4);
    const ph = new PageHinkley(0.05, 5, 50);
    let fired = 0;
    for (let i = 0; i < 500; i++)
        if (ph.update(2 + rng.normal() * 0.05))
            fired++;
    assert.equal(fired, 0);
    let at = -1;
    for (let i = 0; i < 200 && at < 0; i++)
        if (ph.update(3 + rng.normal() * 0.05))
            at = i;
    assert.ok(at >= 0 && at < 20, `fired after ${at}`);
});
test('ablation ladder: each rung adds one part', () => {
    const rungs = ABLATIONS.map((a) => ablation(a));
    assert.equal(rungs[0].tasks.bidirectional, false);
    assert.equal(rungs[0].tasks.u2uWeight, 0);
    assert.equal(rungs[0].tasks.nextItemWeight, 0);
    assert.equal(rungs[1].tasks.bidirectional, true);
    assert.equal(rungs[1].tasks.nextItemWeight, 0);
    assert.ok(rungs[2].tasks.nextItemWeight > 0 && rungs[2].tasks.u2uWeight === 0);
    assert.ok(rungs[3].tasks.u2uWeight > 0 && rungs[3].knnPositives === 0);
    assert.ok(rungs[4].knnPositives > 0 && rungs[4].hardNegatives === 0);
    assert.ok(rungs[5].hardNegatives > 0);
});
test('full MIC (views, kNN positives, background clustering, hard negatives) is seeded-deterministic, reports every term, and leaks no tensors', async () => {
    const events = [...new SyntheticWorld({ users: 300, items: 200, clusters: 5, events: 6000, seed: 5 }).events()];
    const run = async () => {
        const learner = new OnlineLearner({
            seed: 9,
            indexKind: 'exact',
            mic: { ...ablation('mic'), reclusterEverySteps: 4, reclusterLagSteps: 2 },
        });
        const losses = [];
        let terms = {};
        let tensors = 0;
        for (let i = 0, step = 0; i < events.length; i += 200, step++) {
            const r = await learner.learnMany(events.slice(i, i + 200));
            losses.push(r.loss);
            terms = r.terms;
            if (step % 3 === 0)
                await learner.refreshIndex();
            if (step === 12)
                tensors = tf.memory().numTensors;
        }
        const end = tf.memory().numTensors;
        const clusters = learner.clusterAssignment('user');
        await learner.close();
        return { losses, terms, tensors, end, clusterVersion: clusters?.version ?? 0 };
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a.losses, b.losses);
    assert.ok(a.clusterVersion >= 2, 'clusterings were applied');
    for (const term of ['u2i', 'i2u', 'next', 'u2u', 'i2i'])
        assert.ok(Number.isFinite(a.terms[term]), `term ${term} reported`);
    assert.equal(a.end, a.tensors, 'tensor count flat');
});
test('cold start: items never trained on are recalled through their attributes far above random', async (t) => {
    const world = new SyntheticWorld({ users: 800, items: 400, clusters: 8, events: 30000, seed: 6 });
    const coldItems = new Set(world.items.filter((_, i) => i % 7 === 3).map((it) => it.id));
    const events = [...world.events()];
    const trainEvents = events.filter((e) => !coldItems.has(e.itemId));
    const coldEvents = events.filter((e) => coldItems.has(e.itemId));
    const learner = new OnlineLearner({ seed: 2, indexKind: 'exact', mic: { ...ablation('views'), itemColdDropout: 0.2 } });
    for (let i = 0; i < trainEvents.length; i += 256)
        await learner.learnMany(trainEvents.slice(i, i + 256));
    // Only the attributes of the cold items become known, never an interaction.
    for (const e of coldEvents)
        learner.observe({ ...e, userAttributes: undefined });
    const coldIds = [...coldItems];
    const vectors = await learner.snapshots.encodeItems(coldIds);
    const users = [...new Set(coldEvents.map((e) => e.userId))].filter((u) => learner.seenItems(u).size > 0);
    const userVectors = await learner.snapshots.encodeUsers(users);
    const dim = learner.options.outputDim;
    const k = 5;
    let hits = 0;
    let trials = 0;
    const byUser = new Map();
    for (const e of coldEvents)
        byUser.set(e.userId, (byUser.get(e.userId) ?? new Set()).add(e.itemId));
    users.forEach((u, ui) => {
        const scores = coldIds.map((id, j) => {
            let s = 0;
            for (let d = 0; d < dim; d++)
                s += userVectors[ui * dim + d] * vectors[j * dim + d];
            return [id, s];
        });
        scores.sort((x, y) => y[1] - x[1]);
        const top = new Set(scores.slice(0, k).map(([id]) => id));
        for (const item of byUser.get(u)) {
            trials++;
            if (top.has(item))
                hits++;
        }
    });
    const hr = hits / trials;
    const random = k / coldIds.length;
    t.diagnostic(`cold items HR@${k} ${hr.toFixed(3)} vs random ${random.toFixed(3)} over ${trials} interactions with ${coldIds.length} never-trained items`);
    assert.ok(hr > 3 * random, `cold HR@${k} ${hr} vs random ${random}`);
    await learner.close();
});
//# sourceMappingURL=mic.test.js.map