import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss, inBatchSoftmaxLoss, pointwiseBceLoss } from '../src/model/losses.js';
import { softmaxCrossEntropy } from '../src/ops/softmaxCrossEntropy.js';
import { nativeKernels } from '../src/ops/nativeKernels.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
/** float64 reference of the in-batch softmax loss, for worked numbers and finite differences. */
function referenceLoss(q, c, pos, tau, logQ, mask, w) {
    let total = 0;
    let wsum = 0;
    q.forEach((qb, b) => {
        const logits = c.map((cj, j) => qb.reduce((s, x, d) => s + x * cj[d], 0) / tau - (logQ ? logQ[j] : 0) + (mask ? mask[b][j] * -1e9 : 0));
        const m = Math.max(...logits);
        const lse = m + Math.log(logits.reduce((s, l) => s + Math.exp(l - m), 0));
        const wb = w ? w[b] : 1;
        total += wb * (lse - logits[pos[b]]);
        wsum += wb;
    });
    return total / wsum;
}
/** Relative L2 error of a gradient against central finite differences of a float64 reference. */
function fdError(m, g, ref, eps = 1e-6) {
    let num = 0;
    let den = 0;
    m.forEach((row, i) => row.forEach((x, j) => {
        row[j] = x + eps;
        const up = ref();
        row[j] = x - eps;
        const down = ref();
        row[j] = x;
        const fd = (up - down) / (2 * eps);
        num += (fd - g[i][j]) ** 2;
        den += fd ** 2;
    }));
    return Math.sqrt(num / den);
}
test('worked 2x2 example: scores [[1,0],[0,1]], tau 1', () => {
    // logits = [[1,0],[0,1]]; each row: log(e^1 + e^0) - 1 = log(1 + e^-1) = 0.31326
    const loss = tf.tidy(() => inBatchSoftmaxLoss(tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), Int32Array.from([0, 1]), { temperature: 1 }));
    assert.ok(Math.abs(loss.dataSync()[0] - Math.log(1 + Math.exp(-1))) < 1e-6);
    loss.dispose();
});
test('logQ correction: a popular candidate is penalised, so the loss of a row that targets a rare item drops', () => {
    // scores all 0 -> plain loss log 2 = 0.6931. logQ = [log 0.9, log 0.1]: row targeting item 1 (rare)
    // gets logits [-log .9, -log .1] = [0.1054, 2.3026] -> loss = log(e^.1054 + e^2.3026) - 2.3026 = 0.1054
    const loss = tf.tidy(() => inBatchSoftmaxLoss(tf.tensor2d([[0, 0]]), tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), Int32Array.from([1]), { temperature: 1, logQ: Float32Array.from([Math.log(0.9), Math.log(0.1)]) }));
    assert.ok(Math.abs(loss.dataSync()[0] - 0.10536) < 1e-4, `${loss.dataSync()[0]}`);
    loss.dispose();
});
test(`softmaxCrossEntropy: loss and dLogits against float64, one class per row and dense targets, removed (-1e9) columns ` +
    `(${tf.getBackend()}${nativeKernels() ? ': native kernels and the tfjs-op path' : ''})`, () => {
    const logits = [
        [2, -1, 0.5, 3],
        [0.1, 0.2, -1e9, 0.3],
        [-4, 40, 39, 0],
    ];
    const classes = [3, 0, 2];
    const dense = [
        [0, 0, 0.25, 0.75],
        [1, 0, 0, 0],
        [0.5, 0, 0.5, 0],
    ];
    const reference = (t) => logits.map((row, r) => {
        const max = Math.max(...row);
        const e = row.map((l) => Math.exp(l - max));
        const total = e.reduce((a, v) => a + v, 0);
        const lse = Math.log(total) + max;
        return {
            loss: lse - row.reduce((a, l, j) => a + (t[r][j] === 0 ? 0 : t[r][j] * l), 0),
            d: e.map((v, j) => v / total - t[r][j]),
        };
    });
    const oneHot = classes.map((c) => [0, 1, 2, 3].map((j) => (j === c ? 1 : 0)));
    const paths = [
        ['tfjs ops', null],
        ...(nativeKernels() ? [['native', nativeKernels()]] : []),
    ];
    for (const [name, kernels] of paths) {
        for (const [targets, t] of [
            [{ classes: Int32Array.from(classes) }, oneHot],
            [{ dense: tf.tensor2d(dense) }, dense],
        ]) {
            const { loss, dLogits } = softmaxCrossEntropy(tf.tensor2d(logits), targets, kernels);
            const want = reference(t);
            const got = loss.arraySync();
            const d = dLogits.arraySync();
            want.forEach((w, r) => {
                assert.ok(Math.abs(got[r] - w.loss) < 1e-4, `${name} row ${r} loss ${got[r]} vs ${w.loss}`);
                w.d.forEach((v, j) => assert.ok(Math.abs(d[r][j] - v) < 1e-5, `${name} dLogits[${r}][${j}] ${d[r][j]} vs ${v}`));
            });
        }
    }
});
test('masking an accidental hit removes it from the softmax', () => {
    // query = [1,0] against [1,0],[1,0],[0,1] with target 0, tau 1. Unmasked: log(2e + 1) - 1.
    // With candidate 1 masked: log(e + 1) - 1.
    const [plain, masked] = tf.tidy(() => {
        const q = tf.tensor2d([[1, 0]]);
        const c = tf.tensor2d([
            [1, 0],
            [1, 0],
            [0, 1],
        ]);
        const p = Int32Array.from([0]);
        return [
            inBatchSoftmaxLoss(q, c, p, { temperature: 1 }).dataSync()[0],
            inBatchSoftmaxLoss(q, c, p, { temperature: 1, removeMask: Float32Array.from([0, 1, 0]) }).dataSync()[0],
        ];
    });
    assert.ok(Math.abs(plain - (Math.log(2 * Math.E + 1) - 1)) < 1e-5);
    assert.ok(Math.abs(masked - (Math.log(Math.E + 1) - 1)) < 1e-5);
});
test('gradient check: TF.js gradients match float64 central finite differences (rel. error < 1e-3)', () => {
    const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed * 13.1 + i * 7.3 + j * 3.7) * 0.8));
    const q = rand(4, 3, 1);
    const c = rand(5, 3, 2);
    const pos = [0, 2, 4, 1];
    const tau = 0.5;
    const logQ = [-1, -2, -0.5, -3, -1.5];
    const mask = [
        [0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 1, 0],
    ];
    const w = [1, 2, 0.5, 1];
    const f = (qq, cc) => inBatchSoftmaxLoss(qq, cc, Int32Array.from(pos), {
        temperature: tau,
        logQ: Float32Array.from(logQ),
        removeMask: Float32Array.from(mask.flat()),
        weights: Float32Array.from(w),
    });
    const [gq, gc] = tf.tidy(() => tf
        .grads((a, b) => f(a, b))([tf.tensor2d(q), tf.tensor2d(c)])
        .map((g) => g.arraySync()));
    const value = tf.tidy(() => f(tf.tensor2d(q), tf.tensor2d(c)).dataSync()[0]);
    assert.ok(Math.abs(value - referenceLoss(q, c, pos, tau, logQ, mask, w)) < 1e-5, 'forward matches the float64 reference');
    const ref = () => referenceLoss(q, c, pos, tau, logQ, mask, w);
    for (const [which, m, g] of [
        ['q', q, gq],
        ['c', c, gc],
    ]) {
        const rel = fdError(m, g, ref);
        assert.ok(rel < 1e-3, `${which}: relative gradient error ${rel}`);
    }
});
test('removeColumn and one-hot targets built on the device match the dense host path and finite differences', () => {
    const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed * 11.3 + i * 5.1 + j * 2.9) * 0.8));
    const q = rand(4, 3, 3);
    const c = rand(5, 3, 4);
    const pos = [0, 2, 4, 1];
    const tau = 0.5;
    const logQ = [-1, -2, -0.5, -3, -1.5];
    const removeColumn = [1, -1, -1, 3];
    const mask = removeColumn.map((col) => Array.from({ length: 5 }, (_, j) => (j === col ? 1 : 0)));
    for (const w of [
        [1, 2, 0.5, 1],
        [1, 1, 1, 1],
        [3, 3, 3, 3],
    ]) {
        const sparse = (qq, cc) => inBatchSoftmaxLoss(qq, cc, Int32Array.from(pos), {
            temperature: tau,
            logQ: Float32Array.from(logQ),
            removeColumn: Int32Array.from(removeColumn),
            weights: Float32Array.from(w),
        });
        const dense = (qq, cc) => inBatchSoftmaxLoss(qq, cc, Int32Array.from(pos), {
            temperature: tau,
            logQ: Float32Array.from(logQ),
            removeMask: Float32Array.from(mask.flat()),
            weights: Float32Array.from(w),
        });
        const grads = (f) => tf.tidy(() => tf
            .grads((a, b) => f(a, b))([tf.tensor2d(q), tf.tensor2d(c)])
            .map((g) => g.arraySync()));
        const value = (f) => tf.tidy(() => f(tf.tensor2d(q), tf.tensor2d(c)).dataSync()[0]);
        const ref = () => referenceLoss(q, c, pos, tau, logQ, mask, w);
        assert.ok(Math.abs(value(sparse) - ref()) < 1e-5, `weights ${w}: forward matches the float64 reference`);
        assert.ok(Math.abs(value(sparse) - value(dense)) < 1e-6, `weights ${w}: same value as the dense path`);
        const [gq, gc] = grads(sparse);
        const [dq, dc] = grads(dense);
        for (const [which, m, g, d] of [
            ['q', q, gq, dq],
            ['c', c, gc, dc],
        ]) {
            const rel = fdError(m, g, ref);
            assert.ok(rel < 1e-3, `weights ${w}, ${which}: relative gradient error ${rel}`);
            g.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - d[i][j]) < 1e-6, `weights ${w}, ${which}[${i}][${j}]: ${x} vs dense ${d[i][j]}`)));
        }
    }
    // One candidate: OneHot needs depth >= 2, so the host path runs; the loss of a lone positive is 0.
    const lone = tf.tidy(() => inBatchSoftmaxLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.5, 0.5]]), Int32Array.from([0]), {
        temperature: 1,
        logQ: Float32Array.from([-2]),
        removeColumn: Int32Array.from([-1]),
    }).dataSync()[0]);
    assert.ok(Math.abs(lone) < 1e-6, `lone candidate: ${lone}`);
});
/** float64 reference of contrastiveLoss (multi-positive NT-Xent with extras). */
function referenceContrastive(a, b, tau, neg, pos, wPos = 1) {
    const n = a.length;
    const z = [...a, ...b];
    const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
    let total = 0;
    for (let r = 0; r < 2 * n; r++) {
        const anchor = r % n;
        const logits = [];
        const weights = [];
        for (let c = 0; c < 2 * n; c++) {
            if (c === r)
                continue;
            logits.push(dot(z[r], z[c]) / tau);
            weights.push(c === (r + n) % (2 * n) ? 1 : 0);
        }
        for (const v of neg?.[anchor] ?? []) {
            logits.push(dot(z[r], v) / tau);
            weights.push(0);
        }
        for (const v of pos?.[anchor] ?? []) {
            logits.push(dot(z[r], v) / tau);
            weights.push(wPos);
        }
        const m = Math.max(...logits);
        const lse = m + Math.log(logits.reduce((s, l) => s + Math.exp(l - m), 0));
        const wsum = weights.reduce((s, w) => s + w, 0);
        total += -weights.reduce((s, w, i) => s + w * (logits[i] - lse), 0) / wsum;
    }
    return total / (2 * n);
}
test('contrastive loss, worked example: 2 anchors, orthogonal views, tau 1', () => {
    // a = [[1,0],[0,1]], b = a. Row 0 candidates (self excluded): z1=[0,1] (0), z2=[1,0] (1, positive), z3=[0,1] (0).
    // loss_0 = log(e^0 + e^1 + e^0) - 1 = log(2 + e) - 1 = 0.55144; all four rows alike.
    const loss = tf.tidy(() => contrastiveLoss(tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), { temperature: 1 }).dataSync()[0]);
    assert.ok(Math.abs(loss - (Math.log(2 + Math.E) - 1)) < 1e-5, `${loss}`);
});
for (const stabilisation of ['rowMax', 'shared'])
    test(`gradient check (${stabilisation} shift): contrastive loss with extra positives and negatives, and BCE, against float64 finite differences ` +
        `(rel. error < 1e-3)`, () => {
        const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed * 5.3 + i * 2.9 + j * 1.7) * 0.9));
        const a = rand(3, 4, 1);
        const b = rand(3, 4, 2);
        const neg = [rand(2, 4, 3), rand(2, 4, 4), rand(2, 4, 5)];
        const pos = [rand(2, 4, 6), rand(2, 4, 7), rand(2, 4, 8)];
        const tau = 0.7;
        const opts = () => ({
            temperature: tau,
            extraNegatives: tf.tensor3d(neg),
            extraPositives: tf.tensor3d(pos),
            extraPositiveWeight: 0.5,
            stabilisation,
        });
        const value = tf.tidy(() => contrastiveLoss(tf.tensor2d(a), tf.tensor2d(b), opts()).dataSync()[0]);
        assert.ok(Math.abs(value - referenceContrastive(a, b, tau, neg, pos, 0.5)) < 1e-5, 'forward matches the float64 reference');
        const [ga, gb] = tf.tidy(() => tf
            .grads((x, y) => contrastiveLoss(x, y, opts()))([tf.tensor2d(a), tf.tensor2d(b)])
            .map((g) => g.arraySync()));
        for (const [m, g] of [
            [a, ga],
            [b, gb],
        ]) {
            const rel = fdError(m, g, () => referenceContrastive(a, b, tau, neg, pos, 0.5));
            assert.ok(rel < 1e-3, `relative error ${rel}`);
        }
        // BCE: softplus(-q.p/t) + softplus(q.n/t), mean.
        const q = rand(3, 4, 9);
        const p = rand(3, 4, 10);
        const nn = rand(3, 4, 11);
        const softplus = (x) => Math.log1p(Math.exp(x));
        const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
        const ref = () => q.reduce((s, qi, i) => s + softplus(-dot(qi, p[i]) / tau) + softplus(dot(qi, nn[i]) / tau), 0) / q.length;
        const bce = tf.tidy(() => pointwiseBceLoss(tf.tensor2d(q), tf.tensor2d(p), tf.tensor2d(nn), tau).dataSync()[0]);
        assert.ok(Math.abs(bce - ref()) < 1e-5);
        const gq = tf.tidy(() => tf
            .grad((x) => pointwiseBceLoss(x, tf.tensor2d(p), tf.tensor2d(nn), tau))(tf.tensor2d(q))
            .arraySync());
        assert.ok(fdError(q, gq, ref) < 1e-3);
    });
test('a batch with a single candidate has zero loss, not an error', () => {
    const loss = tf.tidy(() => inBatchSoftmaxLoss(tf.tensor2d([
        [1, 0],
        [0, 1],
    ]), tf.tensor2d([[1, 0]]), Int32Array.from([0, 0]), { temperature: 0.1 }).dataSync()[0]);
    assert.ok(Math.abs(loss) < 1e-6);
});
for (const stabilisation of ['rowMax', 'shared'])
    test(`gradient check (${stabilisation} shift): contrastive loss with padded (masked) extras equals the loss without the padded ones`, () => {
        const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.cos(seed * 3.1 + i * 1.9 + j * 2.3) * 0.8));
        const a = rand(3, 4, 1);
        const b = rand(3, 4, 2);
        const neg = [rand(2, 4, 3), rand(2, 4, 4), rand(2, 4, 5)];
        const pos = [rand(3, 4, 6), rand(3, 4, 7), rand(3, 4, 8)];
        const negMask = [
            [1, 0],
            [0, 0],
            [1, 1],
        ];
        const posMask = [
            [1, 1, 0],
            [0, 0, 0],
            [1, 0, 1],
        ];
        const keep = (v, mask) => v.map((rows, i) => rows.filter((_, j) => mask[i][j] === 1));
        const tau = 0.4;
        const ref = () => referenceContrastive(a, b, tau, keep(neg, negMask), keep(pos, posMask), 0.5);
        const opts = () => ({
            temperature: tau,
            extraNegatives: tf.tensor3d(neg),
            extraNegativeMask: tf.tensor2d(negMask),
            extraPositives: tf.tensor3d(pos),
            extraPositiveMask: tf.tensor2d(posMask),
            extraPositiveWeight: 0.5,
            stabilisation,
        });
        const value = tf.tidy(() => contrastiveLoss(tf.tensor2d(a), tf.tensor2d(b), opts()).dataSync()[0]);
        assert.ok(Math.abs(value - ref()) < 1e-5, `forward ${value} vs ${ref()}`);
        const [ga, gb] = tf.tidy(() => tf
            .grads((x, y) => contrastiveLoss(x, y, opts()))([tf.tensor2d(a), tf.tensor2d(b)])
            .map((g) => g.arraySync()));
        assert.ok(fdError(a, ga, ref) < 1e-3);
        assert.ok(fdError(b, gb, ref) < 1e-3);
    });
test('gradient check: in-batch softmax with accidental hits as extra positives (normalised multi-positive target)', () => {
    const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed * 2.7 + i * 4.1 + j * 1.3) * 0.7));
    const q = rand(3, 4, 1);
    const c = rand(4, 4, 2);
    const pos = [0, 1, 3];
    const extra = [
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [1, 0, 1, 0],
    ];
    const tau = 0.5;
    const ref = () => {
        let total = 0;
        q.forEach((qb, r) => {
            const logits = c.map((cj) => qb.reduce((s, x, d) => s + x * cj[d], 0) / tau);
            const mx = Math.max(...logits);
            const lse = mx + Math.log(logits.reduce((s, l) => s + Math.exp(l - mx), 0));
            const t = logits.map((_, j) => (j === pos[r] ? 1 : 0) + extra[r][j]);
            const ts = t.reduce((s, v) => s + v, 0);
            total += t.reduce((s, v, j) => s + (v / ts) * (lse - logits[j]), 0);
        });
        return total / q.length;
    };
    const f = (x, y) => inBatchSoftmaxLoss(x, y, Int32Array.from(pos), { temperature: tau, extraPositives: Float32Array.from(extra.flat()) });
    const value = tf.tidy(() => f(tf.tensor2d(q), tf.tensor2d(c)).dataSync()[0]);
    assert.ok(Math.abs(value - ref()) < 1e-5, `forward ${value} vs ${ref()}`);
    const [gq, gc] = tf.tidy(() => tf
        .grads((x, y) => f(x, y))([tf.tensor2d(q), tf.tensor2d(c)])
        .map((g) => g.arraySync()));
    assert.ok(fdError(q, gq, ref) < 1e-3);
    assert.ok(fdError(c, gc, ref) < 1e-3);
});
for (const variant of ['no extras', 'negatives only', 'positives only'])
    for (const stabilisation of ['rowMax', 'shared']) {
        test(`gradient check (${stabilisation} shift): contrastive loss with ${variant} (rel. error < 1e-3)`, () => {
            const rand = (n, m, seed) => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(seed * 1.7 + i * 3.3 + j * 2.1) * 0.9));
            const a = rand(4, 3, 1);
            const b = rand(4, 3, 2);
            const neg = variant === 'negatives only' ? [0, 1, 2, 3].map((i) => rand(2, 3, 10 + i)) : undefined;
            const pos = variant === 'positives only' ? [0, 1, 2, 3].map((i) => rand(3, 3, 20 + i)) : undefined;
            const tau = 0.3;
            const ref = () => referenceContrastive(a, b, tau, neg, pos, 0.7);
            const opts = () => ({
                temperature: tau,
                extraPositiveWeight: 0.7,
                stabilisation,
                ...(neg ? { extraNegatives: tf.tensor3d(neg) } : {}),
                ...(pos ? { extraPositives: tf.tensor3d(pos) } : {}),
            });
            const value = tf.tidy(() => contrastiveLoss(tf.tensor2d(a), tf.tensor2d(b), opts()).dataSync()[0]);
            assert.ok(Math.abs(value - ref()) < 1e-5, `forward ${value} vs ${ref()}`);
            const [ga, gb] = tf.tidy(() => tf
                .grads((x, y) => contrastiveLoss(x, y, opts()))([tf.tensor2d(a), tf.tensor2d(b)])
                .map((g) => g.arraySync()));
            assert.ok(fdError(a, ga, ref) < 1e-3, 'a');
            assert.ok(fdError(b, gb, ref) < 1e-3, 'b');
        });
    }
test('in-batch softmax with candidateGradient false trains only the queries: same query gradient, zero candidate gradient', () => {
    const q = tf.tensor2d([
        [0.3, -0.2, 0.5],
        [0.1, 0.4, -0.3],
    ]);
    const c = tf.tensor2d([
        [0.2, 0.1, -0.4],
        [-0.5, 0.3, 0.2],
        [0.4, 0.4, 0.1],
    ]);
    const pos = Int32Array.from([2, 0]);
    const grads = (candidateGradient) => tf
        .grads((x, y) => inBatchSoftmaxLoss(x, y, pos, { temperature: 0.5, candidateGradient }))([q, c])
        .map((g) => g.arraySync());
    const [gqBoth, gcBoth] = grads(true);
    const [gqOnly, gcOnly] = grads(false);
    gqBoth.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - gqOnly[i][j]) < 1e-7)));
    assert.ok(gcBoth.flat().some((v) => Math.abs(v) > 1e-4), 'the two-sided loss does move candidates');
    assert.ok(gcOnly.flat().every((v) => v === 0));
});
test('contrastive loss at batch scale: the shared-shift path (auto, 2N >= 512, unit vectors) agrees with the per-row-max path; small tau falls back', () => {
    const n = 300;
    const d = 16;
    const unit = (seed, rows) => tf.tidy(() => {
        const x = tf.tensor2d(Array.from({ length: rows * d }, (_, i) => (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1), [rows, d]);
        return tf.div(x, tf.norm(x, 2, 1, true));
    });
    const a = unit(1, n);
    const b = tf.tidy(() => {
        const x = tf.add(a, tf.mul(unit(2, n), 0.3));
        return tf.div(x, tf.norm(x, 2, 1, true));
    });
    const ex = tf.tidy(() => tf.reshape(unit(3, n * 3), [n, 3, d]));
    const run = (tau, stabilisation) => tf.tidy(() => {
        const f = (x, y) => contrastiveLoss(x, y, {
            temperature: tau,
            extraNegatives: ex.slice([0, 0, 0], [n, 2, d]),
            extraPositives: ex.slice([0, 2, 0], [n, 1, d]),
            extraPositiveWeight: 0.5,
            stabilisation,
        });
        const value = f(a, b).dataSync()[0];
        const [ga, gb] = tf.grads((x, y) => f(x, y))([a, b]);
        return { value, g: [...ga.dataSync(), ...gb.dataSync()] };
    });
    const relDiff = (x, y) => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / y.reduce((s, v) => s + v * v, 0));
    const before = tf.memory().numTensors;
    const fast = run(0.5, 'auto');
    assert.equal(tf.memory().numTensors, before, 'the shared-shift path leaks no tensors (forward and backward)');
    const exact = run(0.5, 'rowMax');
    assert.ok(Math.abs(fast.value - exact.value) < 1e-5 * Math.abs(exact.value), `loss ${fast.value} vs ${exact.value}`);
    assert.ok(relDiff(fast.g, exact.g) < 1e-4, `gradient relative difference ${relDiff(fast.g, exact.g)}`);
    // tau 0.05: the logits span 40 > SHARED_PATH_RANGE, so auto must take the per-row-max path (bitwise the same result).
    const small = run(0.05, 'auto');
    const smallExact = run(0.05, 'rowMax');
    assert.equal(small.value, smallExact.value);
    assert.deepEqual(small.g, smallExact.g);
    for (const t of [a, b, ex])
        t.dispose();
});
//# sourceMappingURL=losses.test.js.map