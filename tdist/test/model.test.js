import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { EmbeddingStore } from '../src/model/embeddingStore.js';
import { DecayedFrequencyEstimator } from '../src/model/frequencyEstimator.js';
import { FeatureState } from '../src/model/featureState.js';
import { prepareBatch } from '../src/model/batchBuilder.js';
import { buildTowerInput, FIELD_GROUPS, poolFeatures, RowTable, scatterFeatureGrads } from '../src/model/towerInput.js';
import { Trainer } from '../src/model/trainer.js';
import { poolingPlan, poolOnDevice } from '../src/model/devicePooling.js';
import { nativeKernels } from '../src/ops/nativeKernels.js';
import { maskTowerInput } from '../src/model/views/fieldMasking.js';
import { TwoTowerModel } from '../src/model/twoTowerModel.js';
import { gatherRows } from '../src/ops/gatherRows.js';
import { weightedSum } from '../src/ops/weightedSum.js';
import { fusedMlpHead, ResidualTower } from '../src/model/towers.js';
import { HostAdam } from '../src/model/hostAdam.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { MIC_DEFAULTS, ablation } from '../src/learner/micOptions.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { useTestBackend } from './helpers/backend.js';
import { Rng } from '../src/util/random.js';
await useTestBackend();
test('EmbeddingStore: rows created on demand, init depends only on (key, seed), Adagrad update is exact', () => {
    const a = new EmbeddingStore({ dim: 4, seed: 1, learningRate: 0.5, initialAccumulator: 0.1 });
    const b = new EmbeddingStore({ dim: 4, seed: 1 });
    a.rowOf('x', true);
    a.rowOf('y', true);
    b.rowOf('y', true);
    b.rowOf('x', true);
    assert.deepEqual(a.get('x'), b.get('x'), 'arrival order does not change a row init');
    assert.equal(a.rowOf('missing', false), -1);
    assert.deepEqual([...a.gather(['missing'], false)], [0, 0, 0, 0]);
    const before = a.get('x');
    const yBefore = a.get('y');
    a.applyGradients(['x'], new Float32Array([1, -2, 0, 0.5]));
    const after = a.get('x');
    // Adagrad: acc = 0.1 + g^2; w -= lr * g / sqrt(acc)
    [1, -2, 0, 0.5].forEach((g, j) => {
        const expected = before[j] - (g === 0 ? 0 : (0.5 * g) / Math.sqrt(0.1 + g * g));
        assert.ok(Math.abs(after[j] - expected) < 1e-6);
    });
    assert.deepEqual(a.get('y'), yBefore, 'untouched rows do not change');
    assert.ok(a.memoryBytes > 0 && a.size === 2);
});
test("FeatureState keeps an entity's attribute keys while its events repeat them, and rebuilds them on any change", () => {
    const state = new FeatureState(5);
    const ev = (userAttributes) => ({
        userId: 'u',
        itemId: 'i',
        timestamp: 1,
        userAttributes,
    });
    state.observeAttributes(ev({ age: '25', genres: ['a', 'b'] }));
    const first = state.userAttributeKeys('u');
    assert.deepEqual(first, ['ua:age=25', 'ua:genres=a', 'ua:genres=b']);
    state.observeAttributes(ev({ age: '25', genres: ['a', 'b'] }));
    assert.equal(state.userAttributeKeys('u'), first, 'same attributes: the stored keys stay (no rebuild)');
    const changes = [
        { age: '26', genres: ['a', 'b'] }, // a value
        { age: '25', genres: ['a'] }, // fewer values
        { age: '25', genres: ['a', 'b', 'c'] }, // more values
        { age: '25', genre: ['a', 'b'] }, // a field name
        { genres: ['a', 'b'], age: '25' }, // the order (keys keep the event's order)
        { age: '25' }, // a field gone
        { age: '2', genres: ['a', 'b'] }, // a value that is a prefix of the old one
    ];
    for (const attrs of changes) {
        state.observeAttributes(ev({ age: '25', genres: ['a', 'b'] }));
        state.observeAttributes(ev(attrs));
        const expected = Object.entries(attrs).flatMap(([f, v]) => (Array.isArray(v) ? v : [v]).map((x) => `ua:${f}=${x}`));
        assert.deepEqual(state.userAttributeKeys('u'), expected, JSON.stringify(attrs));
    }
});
test('DecayedFrequencyEstimator forgets with the configured half-life', () => {
    const est = new DecayedFrequencyEstimator(10);
    est.observe(Array(10).fill('old'));
    const early = est.probability('old');
    est.observe(Array(10).fill('new'));
    // After one half-life of other events, 'old' decayed to half its count while the total was refilled.
    assert.ok(est.probability('new') > est.probability('old'));
    assert.ok(est.probability('old') < early);
    assert.ok(Math.abs(est.probability('old') + est.probability('new') - 1) < 1e-9);
    assert.equal(est.probability('never'), 0);
    assert.ok(Number.isFinite(est.logProbability('never')));
    est.observe(Array(400).fill('new'));
    assert.ok(est.prune(1e-3) >= 1, 'long-unseen ids are pruned');
});
test('host pooling and its gradient scatter are adjoint: <pool(E), G> = <E, scatter(G)>', () => {
    const dim = 3;
    const rows = new RowTable();
    const input = buildTowerInput([
        { id: 'u:a', attributes: ['ua:x', 'ua:y'], history: ['i:1', 'i:2', 'i:1'] },
        { id: null, attributes: ['ua:y'], history: [] },
    ], rows);
    const e = Float64Array.from({ length: rows.rowCount * dim }, (_, i) => (i < dim ? 0 : Math.sin(i)));
    const g = Float64Array.from({ length: 2 * FIELD_GROUPS * dim }, (_, i) => Math.cos(3 * i));
    const pooled = poolFeatures(input, Float32Array.from(e), dim);
    const scattered = new Float32Array(rows.rowCount * dim);
    scatterFeatureGrads(input, Float32Array.from(g), dim, scattered);
    const lhs = pooled.reduce((s, v, i) => s + v * g[i], 0);
    const rhs = scattered.reduce((s, v, i) => s + v * e[i], 0);
    assert.ok(Math.abs(lhs - rhs) < 1e-5, `${lhs} vs ${rhs}`);
    // i:1 appears twice in a history of 3: weight 2/3 summed into one row.
    assert.ok(Math.abs(pooled[2 * dim] - ((2 / 3) * e[rows.keys.indexOf('i:1') * dim + dim] + (1 / 3) * e[rows.keys.indexOf('i:2') * dim + dim])) <
        1e-6);
});
test('poolingPlan: its segment means are poolFeatures; inputs whose weights are not means get no plan', () => {
    const dim = 3;
    const rows = new RowTable();
    const entities = [
        { id: 'u:a', attributes: ['ua:x', 'ua:y'], history: ['i:1', 'i:2', 'i:1'] },
        { id: null, attributes: ['ua:y'], history: [] },
        { id: 'u:b', attributes: [], history: ['i:3'] },
    ];
    const a = buildTowerInput(entities, rows, 2);
    const b = maskTowerInput(a, new Rng(4), { id: 0.5, attribute: 0.5, history: 0, historyItem: 0.5 }, 2);
    const e = Float32Array.from({ length: rows.rowCount * dim }, (_, i) => (i < dim ? 0 : Math.sin(i)));
    const plan = poolingPlan([a, b]);
    assert.deepEqual(plan.sizes, [3, 3]);
    assert.equal(plan.segments, 6 * FIELD_GROUPS);
    assert.ok(plan.seg.every((v, i) => i === 0 || v >= plan.seg[i - 1]), 'segment ids ascend');
    // Segment means on the host, in plain loops.
    const sums = new Float64Array(plan.segments * dim);
    const counts = new Float64Array(plan.segments);
    plan.idx.forEach((r, s) => {
        counts[plan.seg[s]]++;
        for (let j = 0; j < dim; j++)
            sums[plan.seg[s] * dim + j] += e[r * dim + j];
    });
    const means = sums.map((v, i) => (counts[Math.floor(i / dim)] > 0 ? v / counts[Math.floor(i / dim)] : 0));
    const expected = [...poolFeatures(a, e, dim), ...poolFeatures(b, e, dim)];
    assert.equal(means.length, expected.length);
    means.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `feature ${i}: ${v} vs ${expected[i]}`));
    // A weighted (not mean) field group: the device kernel could not express it.
    const weighted = { ...a, histW: Float32Array.from(a.histW, (w, k) => (k === 0 ? w * 2 : w)) };
    assert.equal(poolingPlan([weighted]), null);
});
test('device pooling (native TensorFlow): SparseSegmentMean features and their gradient equal poolFeatures and scatterFeatureGrads', { skip: nativeKernels() ? false : 'needs the native TensorFlow backend (MICSTREAM_TEST_BACKEND=node)' }, () => {
    const dim = 4;
    const rows = new RowTable();
    const entities = Array.from({ length: 7 }, (_, i) => ({
        id: i % 3 === 0 ? null : `u:${i}`,
        attributes: [`ua:${i % 2}`, `ua:${(i % 3) + 5}`].slice(0, i % 3),
        history: Array.from({ length: i }, (_, h) => `i:${(h * 7 + i) % 5}`),
    }));
    const a = buildTowerInput(entities, rows, 2);
    const b = maskTowerInput(a, new Rng(9), { id: 0.5, attribute: 0.3, history: 0.2, historyItem: 0.3 }, 2);
    const e = Float32Array.from({ length: rows.rowCount * dim }, (_, i) => (i < dim ? 0 : Math.sin(0.7 * i)));
    const g = [a, b].map((input, k) => Float32Array.from({ length: input.n * FIELD_GROUPS * dim }, (_, i) => Math.cos(3 * i + k)));
    const plan = poolingPlan([a, b]);
    const eT = tf.tensor2d(e, [rows.rowCount, dim]);
    const [fa, fb] = poolOnDevice(nativeKernels(), eT, plan);
    for (const [t, input] of [
        [fa, a],
        [fb, b],
    ]) {
        const want = poolFeatures(input, e, dim);
        t.dataSync().forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `feature ${i}: ${v} vs ${want[i]}`));
    }
    const dRows = tf
        .grad((r) => {
        const [pa, pb] = poolOnDevice(nativeKernels(), r, plan);
        return tf.add(tf.sum(tf.mul(pa, tf.tensor2d(g[0], pa.shape))), tf.sum(tf.mul(pb, tf.tensor2d(g[1], pb.shape))));
    })(eT)
        .dataSync();
    const want = new Float32Array(rows.rowCount * dim);
    scatterFeatureGrads(a, g[0], dim, want);
    scatterFeatureGrads(b, g[1], dim, want);
    dRows.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5, `row gradient ${i}: ${v} vs ${want[i]}`));
});
test('device pooling (native TensorFlow): a MIC step gives the loss and gradients of host pooling', { skip: nativeKernels() ? false : 'needs the native TensorFlow backend (MICSTREAM_TEST_BACKEND=node)' }, async () => {
    const dim = 8;
    const run = async (pooling) => {
        const store = new EmbeddingStore({ dim, seed: 5, initStd: 0.3 });
        const model = new TwoTowerModel({ embeddingDim: dim, hiddenDim: 16, outputDim: 8, seed: 5, tasks: { ...MIC_DEFAULTS.tasks } });
        const trainer = new Trainer(model, store, { denseLearningRate: 0.01, pooling });
        const { state, batchEvents, est } = historyThenBatch([...new SyntheticWorld({ users: 20, items: 60, clusters: 3, events: 600, seed: 8 }).events()], 500, 20);
        const batch = prepareBatch(batchEvents, state, est, {
            accidentalHits: 'mask',
            logQ: true,
            nextItemPairs: true,
            views: { user: MIC_DEFAULTS.userMasking, item: MIC_DEFAULTS.itemMasking, rng: new Rng(3) },
        });
        const out = await trainer.computeGradients(batch);
        const dense = Object.fromEntries(Object.entries(out.denseGrads).map(([k, t]) => [k.replace(/_\d+\//, '/'), t.dataSync().slice()]));
        for (const t of Object.values(out.denseGrads))
            t.dispose();
        model.dispose();
        return { loss: out.loss, rowGrads: out.rowGrads, dense };
    };
    const device = await run('auto');
    const host = await run('host');
    assert.ok(Math.abs(device.loss - host.loss) < 1e-5, `loss ${device.loss} vs ${host.loss}`);
    assert.equal(device.rowGrads.length, host.rowGrads.length);
    const scale = Math.max(...host.rowGrads.map(Math.abs));
    assert.ok(scale > 0);
    device.rowGrads.forEach((v, i) => assert.ok(Math.abs(v - host.rowGrads[i]) < 1e-4 * scale, `row gradient ${i}: ${v} vs ${host.rowGrads[i]}`));
    assert.deepEqual(Object.keys(device.dense).sort(), Object.keys(host.dense).sort());
    for (const [k, v] of Object.entries(device.dense))
        v.forEach((x, i) => assert.ok(Math.abs(x - host.dense[k][i]) < 1e-5, `${k}[${i}]: ${x} vs ${host.dense[k][i]}`));
});
test('next-item pairs: the previous item of the same user (earlier in the batch, else the last in its history) when it is in the batch and differs', () => {
    const state = new FeatureState(5);
    const ev = (userId, itemId, timestamp) => ({ userId, itemId, timestamp });
    // Histories before the batch: u1 last saw x (not in the batch), u2 last saw a (in the batch).
    for (const e of [ev('u1', 'x', 1), ev('u2', 'y', 2), ev('u2', 'a', 3)])
        state.appendInteraction(e);
    const events = [ev('u1', 'a', 10), ev('u2', 'b', 11), ev('u1', 'c', 12), ev('u3', 'a', 13), ev('u1', 'c', 14)];
    const est = new DecayedFrequencyEstimator(100);
    est.observe(events.map((e) => e.itemId));
    const batch = prepareBatch(events, state, est, { accidentalHits: 'ignore', logQ: true, nextItemPairs: true });
    assert.deepEqual(batch.itemIds, ['a', 'b', 'c']);
    // (u1, a): x is not in the batch; (u2, b): a from the history; (u1, c): a from earlier in the
    // batch; (u3, a): no history; (u1, c) again: the same item, no pair.
    assert.deepEqual([...batch.nextItem.query], [0, 0]);
    assert.deepEqual([...batch.nextItem.target], [1, 2]);
    assert.equal(prepareBatch(events, state, est, { accidentalHits: 'ignore', logQ: true }).nextItem, undefined, 'off unless asked for');
});
test('replayed batches: each user history leaves out its batch items and each item history its batch users (excludeOwnTargets)', () => {
    const state = new FeatureState(5);
    const ev = (userId, itemId, timestamp) => ({ userId, itemId, timestamp });
    // Everything below was trained already, so the histories hold the pairs that are now replayed.
    for (const e of [ev('u1', 'x', 1), ev('u1', 'a', 2), ev('u2', 'a', 3), ev('u1', 'b', 4), ev('u2', 'c', 5)])
        state.appendInteraction(e);
    const replayed = [ev('u1', 'a', 2), ev('u1', 'b', 4), ev('u2', 'c', 5)];
    const est = new DecayedFrequencyEstimator(100);
    est.observe(['x', 'a', 'b', 'c']);
    const historyOf = (batch, side, i) => {
        const input = batch.inputs[side];
        const out = [];
        for (let s = 0; s < input.histSlots; s++)
            if (input.histW[i * input.histSlots + s] > 0)
                out.push(batch.rows.keys[input.histIdx[i * input.histSlots + s] - 1]);
        return out;
    };
    const replay = prepareBatch(replayed, state, est, { accidentalHits: 'ignore', logQ: true, excludeOwnTargets: true });
    assert.deepEqual(replay.userIds, ['u1', 'u2']);
    assert.deepEqual(historyOf(replay, 'users', 0), ['i:x'], 'u1 without a and b');
    assert.deepEqual(historyOf(replay, 'users', 1), ['i:a'], 'u2 without c');
    assert.deepEqual(replay.itemIds, ['a', 'b', 'c']);
    assert.deepEqual(historyOf(replay, 'items', 0), ['u:u2'], 'item a without u1');
    assert.deepEqual(historyOf(replay, 'items', 1), [], 'item b without u1');
    assert.deepEqual(historyOf(replay, 'items', 2), [], 'item c without u2');
    const live = prepareBatch(replayed, state, est, { accidentalHits: 'ignore', logQ: true });
    assert.deepEqual(historyOf(live, 'users', 0), ['i:x', 'i:a', 'i:b'], 'off unless asked for');
});
/**
 * Feature state after the first `split` events (attributes and histories), the rest as the batch
 * (attributes only), and frequencies over all of them.
 */
function historyThenBatch(events, split, historyLength) {
    const state = new FeatureState(historyLength);
    for (const e of events.slice(0, split)) {
        state.observeAttributes(e);
        state.appendInteraction(e);
    }
    const batchEvents = events.slice(split);
    for (const e of batchEvents)
        state.observeAttributes(e);
    const est = new DecayedFrequencyEstimator(100);
    est.observe(events.map((e) => e.itemId));
    return { state, batchEvents, est };
}
function smallBatch() {
    const world = new SyntheticWorld({ users: 30, items: 40, clusters: 4, events: 64, seed: 3 });
    return [...world.events()];
}
for (const towerKind of ['dssm', 'attention', 'residual'])
    test(`gradient check of the sparse-row path (${towerKind} tower): trainer row gradients match central differences (float32 tolerance 2e-2)`, async () => {
        const dim = 8;
        const store = new EmbeddingStore({ dim, seed: 5, initStd: 0.3 });
        const model = new TwoTowerModel({
            embeddingDim: dim,
            hiddenDim: 16,
            outputDim: 8,
            seed: 5,
            tasks: { ...MIC_DEFAULTS.tasks, temperature: 0.5, i2uTrainsUsers: true },
            towerKind,
        });
        const trainer = new Trainer(model, store, { denseLearningRate: 0.01 });
        const { state, batchEvents, est } = historyThenBatch(smallBatch(), 32, 5);
        const batch = prepareBatch(batchEvents, state, est, { accidentalHits: 'mask', logQ: true, nextItemPairs: true });
        assert.ok(batch.nextItem.query.length > 0, 'the next-item task is part of the checked loss');
        const { rowGrads, denseGrads } = await trainer.computeGradients(batch);
        for (const t of Object.values(denseGrads))
            t.dispose();
        // i2uTrainsUsers: the default item-only I2U is a deliberate stop-gradient, so the full-loss
        // finite differences are compared with the two-sided objective.
        // Check a user id row, an item id row, an attribute row and a history row.
        // Id rows, attribute rows, and a row that a user's sequence (history) reads.
        const users = batch.inputs.users;
        const historySlot = [...users.histW.keys()].find((slot) => users.histW[slot] > 0 && batch.rows.keys[users.histIdx[slot] - 1] !== batch.rows.keys.find((k) => k.startsWith('i:')));
        const historyOnly = historySlot === undefined ? -1 : users.histIdx[historySlot] - 1;
        const picks = [...['u:', 'i:', 'ua:', 'ia:'].map((p) => batch.rows.keys.findIndex((k) => k.startsWith(p))), historyOnly].filter((i) => i >= 0);
        assert.ok(picks.length === 5, `picked ${picks.length}`);
        const eps = 2e-3;
        let num = 0;
        let den = 0;
        for (const r of picks) {
            const key = batch.rows.keys[r];
            const base = store.get(key);
            for (let j = 0; j < dim; j++) {
                const v = Float32Array.from(base);
                v[j] = base[j] + eps;
                store.set(key, v);
                const up = await trainer.evaluateLoss(batch);
                v[j] = base[j] - eps;
                store.set(key, v);
                const down = await trainer.evaluateLoss(batch);
                store.set(key, base);
                const fd = (up - down) / (2 * eps);
                const g = rowGrads[(r + 1) * dim + j];
                num += (fd - g) ** 2;
                den += fd ** 2;
            }
        }
        const rel = Math.sqrt(num / den);
        assert.ok(rel < 2e-2, `relative error ${rel}`);
        model.dispose();
    });
test('residual tower: unit(MLP(x) + sum of the field groups) with gates starting at 1; a projection when the widths differ', () => {
    const d = 4;
    const tower = new ResidualTower({ name: 'user', embeddingDim: d, hiddenDim: 6, outputDim: d, seed: 3 });
    const x = tf.randomNormal([5, FIELD_GROUPS * d], 0, 1, 'float32', 9);
    const y = tower.apply(x, { training: true });
    const [w1, b1, w2, b2] = tower.variables;
    const mlp = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
    const groups = tf.split(x, FIELD_GROUPS, 1);
    const o = tf.add(mlp, tf.addN(groups));
    const expected = tf.div(o, tf.norm(o, 2, 1, true));
    const diff = tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0];
    assert.ok(diff < 1e-5, `max difference ${diff}`);
    const norms = tf.norm(y, 2, 1).dataSync();
    for (const n of norms)
        assert.ok(Math.abs(n - 1) < 1e-5);
    tower.dispose();
    const wider = new ResidualTower({ name: 'item', embeddingDim: 4, hiddenDim: 6, outputDim: 8, seed: 1 });
    const z = wider.apply(tf.ones([2, FIELD_GROUPS * 4]), { training: false });
    assert.deepEqual(z.shape, [2, 8]);
    assert.equal(wider.variables.length, 6, 'the projection is learned');
    wider.dispose();
});
test('attention tower with MIC views: a view whose masked sequence is shorter than its original still trains (padded slots)', async () => {
    await useTestBackend();
    const dim = 8;
    const store = new EmbeddingStore({ dim, seed: 5, initStd: 0.3 });
    const model = new TwoTowerModel({
        embeddingDim: dim,
        hiddenDim: 16,
        outputDim: 8,
        seed: 5,
        tasks: { ...MIC_DEFAULTS.tasks },
        towerKind: 'attention',
    });
    const trainer = new Trainer(model, store, { denseLearningRate: 0.01 });
    const { state, batchEvents, est } = historyThenBatch([...new SyntheticWorld({ users: 20, items: 60, clusters: 3, events: 600, seed: 8 }).events()], 500, 20);
    // Mask every sequence entry with probability 0.5: the views' longest sequences come out shorter.
    const masking = { id: 0.5, attribute: 0.2, history: 0, historyItem: 0.5 };
    const batch = prepareBatch(batchEvents, state, est, {
        accidentalHits: 'ignore',
        logQ: true,
        views: { user: masking, item: masking, rng: new Rng(3) },
    });
    assert.ok(batch.inputs.userViews.histSlots < batch.inputs.users.histSlots, `view slots ${batch.inputs.userViews.histSlots} vs ${batch.inputs.users.histSlots}`);
    const { loss, terms, rowGrads, denseGrads } = await trainer.computeGradients(batch);
    for (const t of Object.values(denseGrads))
        t.dispose();
    assert.ok(Number.isFinite(loss) && Number.isFinite(terms.u2u) && Number.isFinite(terms.i2i), `loss ${loss}`);
    assert.ok(rowGrads.every(Number.isFinite));
    model.dispose();
});
test('projection head: only the contrastive tasks see g(.); its weights get the finite-difference gradient', async () => {
    const dim = 8;
    const events = smallBatch();
    const setup = (projectionHead) => {
        const store = new EmbeddingStore({ dim, seed: 5, initStd: 0.3 });
        const model = new TwoTowerModel({
            embeddingDim: dim,
            hiddenDim: 16,
            outputDim: 8,
            seed: 5,
            tasks: { ...MIC_DEFAULTS.tasks, projectionHead },
        });
        return { store, model, trainer: new Trainer(model, store, { denseLearningRate: 0.01 }) };
    };
    const state = new FeatureState(5);
    for (const e of events.slice(0, 32)) {
        state.observeAttributes(e);
        state.appendInteraction(e);
    }
    for (const e of events.slice(32))
        state.observeAttributes(e);
    const est = new DecayedFrequencyEstimator(100);
    est.observe(events.map((e) => e.itemId));
    const views = { user: MIC_DEFAULTS.userMasking, item: MIC_DEFAULTS.itemMasking, rng: new Rng(7) };
    const batch = prepareBatch(events.slice(32), state, est, { accidentalHits: 'ignore', logQ: true, views }, 3);
    const plain = setup(false);
    const projected = setup(true);
    assert.equal(projected.model.variables.length, plain.model.variables.length + 8, 'one Dense-relu-Dense head per side');
    const a = await plain.trainer.computeGradients(batch);
    const b = await projected.trainer.computeGradients(batch);
    assert.ok(Math.abs(a.terms.u2i - b.terms.u2i) < 1e-6, 'U2I reads the tower outputs, not g(.)');
    assert.ok(Math.abs(a.terms.u2u - b.terms.u2u) > 1e-4, 'U2U compares g(.) outputs');
    const w1 = projected.model.variables.find((v) => v.name.startsWith('user_projection/w1'));
    const grad = (await b.denseGrads[w1.name].data());
    for (const g of [a, b])
        for (const t of Object.values(g.denseGrads))
            t.dispose();
    const base = w1.arraySync();
    const eps = 1e-2;
    let num = 0;
    let den = 0;
    for (const [r, c] of [
        [0, 0],
        [1, 3],
        [5, 7],
        [7, 2],
    ]) {
        const at = async (delta) => {
            const m = base.map((row) => row.slice());
            m[r][c] = base[r][c] + delta;
            w1.assign(tf.tensor2d(m));
            return projected.trainer.evaluateLoss(batch);
        };
        const fd = ((await at(eps)) - (await at(-eps))) / (2 * eps);
        num += (fd - grad[r * 8 + c]) ** 2;
        den += fd ** 2;
    }
    w1.assign(tf.tensor2d(base));
    assert.ok(den > 0, 'the projection weights influence the loss');
    assert.ok(Math.sqrt(num / den) < 2e-2, `relative error ${Math.sqrt(num / den)}`);
    plain.model.dispose();
    projected.model.dispose();
});
test('training is seeded-deterministic and leaks no tensors across steps', async () => {
    const events = [...new SyntheticWorld({ users: 200, items: 150, clusters: 5, events: 2048, seed: 9 }).events()];
    const run = async () => {
        const learner = new OnlineLearner({ seed: 11, indexKind: 'exact' });
        const losses = [];
        let tensorsAfterFirst = 0;
        for (let i = 0; i < events.length; i += 256) {
            losses.push((await learner.learnMany(events.slice(i, i + 256))).loss);
            if (i === 0)
                tensorsAfterFirst = tf.memory().numTensors;
        }
        const tensorsAtEnd = tf.memory().numTensors;
        await learner.refreshIndex();
        const recall = learner.recallItemsForUser(events[0].userId, 5).map((n) => n.id);
        learner.dispose();
        return { losses, recall, tensorsAfterFirst, tensorsAtEnd };
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a.losses, b.losses);
    assert.deepEqual(a.recall, b.recall);
    assert.equal(a.tensorsAtEnd, a.tensorsAfterFirst, 'tensor count stays flat across steps');
    assert.ok(a.losses.at(-1) < a.losses[0], `loss decreases: ${a.losses[0]} -> ${a.losses.at(-1)}`);
});
test('id expiry: rows unused for the configured stream time are removed, their slots reused, their state forgotten', async () => {
    const store = new EmbeddingStore({ dim: 2, seed: 1 });
    store.setClock(1000);
    store.rowOf('u:old', true);
    store.setClock(5000);
    store.rowOf('u:new', true);
    const before = store.memoryBytes;
    assert.deepEqual(store.expire(2000), ['u:old']);
    assert.equal(store.size, 1);
    assert.ok(store.memoryBytes < before);
    assert.equal(store.rowOf('u:old', false), -1);
    const reused = store.rowOf('i:fresh', true);
    assert.equal(reused, 0, 'the freed slot is reused');
    assert.ok(store.has('u:new'));
    const events = [...new SyntheticWorld({ users: 100, items: 80, clusters: 4, events: 1200, seed: 4 }).events()];
    // No sequences: a user's id row is then read only by that user's own events.
    const learner = new OnlineLearner({ seed: 1, indexKind: 'exact', historyLength: 0, mic: ablation('dssm') });
    for (let i = 0; i < 600; i += 200)
        await learner.learnMany(events.slice(i, i + 200));
    const firstUser = events[0].userId;
    const cut = events[599].timestamp + 1;
    for (let i = 600; i < 1200; i += 200)
        await learner.learnMany(events.slice(i, i + 200).filter((e) => e.userId !== firstUser));
    const removed = learner.expireIds(cut);
    assert.ok(removed > 0);
    assert.equal(learner.store.has(`u:${firstUser}`), false);
    assert.equal(learner.seenItems(firstUser).size, 0, 'per-user state forgotten');
    learner.dispose();
});
test('fused MLP head: value and all five gradients match autodiff of the plain expression', () => {
    const r = (shape, seed) => tf.randomNormal(shape, 0, 0.5, 'float32', seed);
    const x = r([6, 8], 1), w1 = r([8, 5], 2), b1 = r([5], 3), w2 = r([5, 4], 4), b2 = r([4], 5);
    const probe = r([6, 4], 6); // a random linear functional of the output, so every output entry matters
    const plain = (...t) => {
        const h = tf.relu(tf.add(tf.matMul(t[0], t[1]), t[2]));
        const o = tf.add(tf.matMul(h, t[3]), t[4]);
        return tf.sum(tf.mul(tf.div(o, tf.sqrt(tf.add(tf.sum(tf.square(o), 1, true), 1e-12))), probe));
    };
    const fused = (...t) => tf.sum(tf.mul(fusedMlpHead(...t), probe));
    const a = tf.grads(plain)([x, w1, b1, w2, b2]);
    const b = tf.grads(fused)([x, w1, b1, w2, b2]);
    assert.ok(Math.abs(plain(x, w1, b1, w2, b2).dataSync()[0] - fused(x, w1, b1, w2, b2).dataSync()[0]) < 1e-5);
    a.forEach((ga, i) => {
        const diff = tf.norm(tf.sub(ga, b[i])).dataSync()[0];
        const scale = tf.norm(ga).dataSync()[0];
        assert.ok(diff / scale < 1e-4, `gradient ${i}: relative difference ${diff / scale}`);
    });
});
test('HostAdam matches tf.train.adam step for step', async () => {
    const init = [
        tf.tensor2d([
            [0.5, -0.2],
            [0.1, 0.3],
        ]),
        tf.tensor1d([0.05, -0.1]),
    ];
    const mine = init.map((t, i) => tf.variable(t.clone(), true, `hostadam_a${i}`));
    const ref = init.map((t, i) => tf.variable(t.clone(), true, `hostadam_b${i}`));
    const host = new HostAdam(mine, { learningRate: 0.05 });
    const adam = tf.train.adam(0.05);
    for (let step = 0; step < 5; step++) {
        const g = (v) => tf.variableGrads(() => tf.add(tf.sum(tf.square(tf.sub(v[0], step * 0.1))), tf.sum(tf.mul(v[1], v[1]))), v);
        const a = g(mine);
        const b = g(ref);
        await host.apply(Object.fromEntries(mine.map((v) => [v.name, a.grads[v.name]])));
        adam.applyGradients(Object.fromEntries(ref.map((v) => [v.name, b.grads[v.name]])));
    }
    mine.forEach((v, i) => {
        const d = tf.max(tf.abs(tf.sub(v, ref[i]))).dataSync()[0];
        assert.ok(d < 1e-5, `variable ${i} differs by ${d}`);
    });
});
test(`gatherRows: rows and their gradient, repeated indices summed (${tf.getBackend()})`, () => {
    const x = tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10, 11, 12],
        [13, 14, 15],
    ]);
    const idx = Int32Array.from([4, 0, 4, 2]);
    const w = tf.tensor2d([
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 3],
        [1, 1, 1],
    ]);
    assert.deepEqual(gatherRows(x, idx).arraySync(), [
        [13, 14, 15],
        [1, 2, 3],
        [13, 14, 15],
        [7, 8, 9],
    ]);
    const dx = tf.grad((v) => tf.sum(tf.mul(gatherRows(v, idx), w)))(x);
    // Row 4 is selected twice: its gradient is the sum of both weight rows.
    assert.deepEqual(dx.arraySync(), [
        [0, 2, 0],
        [0, 0, 0],
        [1, 1, 1],
        [0, 0, 0],
        [1, 0, 3],
    ]);
});
test('weightedSum: Σ w_i t_i and its gradient w_i for each term', () => {
    const [a, b, c] = [tf.scalar(2), tf.scalar(-3), tf.scalar(0.5)];
    const f = (x, y, z) => weightedSum([
        [tf.square(x), 1],
        [tf.mul(y, 2), 0.25],
        [z, 3],
    ]);
    assert.ok(Math.abs(f(a, b, c).dataSync()[0] - (4 - 1.5 + 1.5)) < 1e-6);
    const g = tf
        .grads((x, y, z) => f(x, y, z))([a, b, c])
        .map((t) => t.dataSync()[0]);
    [2 * 2, 0.25 * 2, 3].forEach((want, i) => assert.ok(Math.abs(g[i] - want) < 1e-6, `gradient ${i}: ${g[i]} vs ${want}`));
});
//# sourceMappingURL=model.test.js.map