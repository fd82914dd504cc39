import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss } from '../src/model/losses.js';
import { denseLogitOffset, logQOffset, removedColumns, REMOVED_LOGIT, rowWeights, softmaxTargets, } from '../src/model/softmaxAdjustments.js';
import { BceTask } from '../src/model/tasks/bceTask.js';
import { ContrastiveTask } from '../src/model/tasks/contrastiveTask.js';
import { I2UTask } from '../src/model/tasks/i2uTask.js';
import { NextItemTask } from '../src/model/tasks/nextItemTask.js';
import { buildTasks } from '../src/model/tasks/taskList.js';
import { U2ITask } from '../src/model/tasks/u2iTask.js';
import { gatherRows } from '../src/ops/gatherRows.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
const close = (a, b, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
const softplus = (x) => Math.log1p(Math.exp(x));
/** A batch of two events (u0 -> i0, u1 -> i1) over two users and two items; tests add what they need. */
function batchOf(extra = {}) {
    return {
        userIds: ['u0', 'u1'],
        itemIds: ['i0', 'i1'],
        eventUser: Int32Array.from([0, 1]),
        eventItem: Int32Array.from([0, 1]),
        itemLogQ: new Float32Array(2),
        userLogQ: null,
        accidentalHits: null,
        accidentalHitMode: 'ignore',
        weights: Float32Array.from([1, 1]),
        bceNegatives: null,
        seed: 1,
        ...extra,
    };
}
function contextOf(batch, users, items, views) {
    const u = tf.tensor2d(users);
    return {
        batch,
        users: u,
        items: tf.tensor2d(items),
        ...(views?.user ? { userViews: tf.tensor2d(views.user) } : {}),
        ...(views?.item ? { itemViews: tf.tensor2d(views.item) } : {}),
        eventQueries: () => gatherRows(u, batch.eventUser),
    };
}
test('softmax adjustments on worked numbers: logQ row, removed columns, dense offset, targets, row weights', () => {
    tf.tidy(() => {
        // logQ = [ln 0.5, ln 0.25] -> offset row [-ln 0.5, -ln 0.25] = [0.693, 1.386]
        const row = logQOffset(Float32Array.from([Math.log(0.5), Math.log(0.25)])).arraySync();
        close(row[0][0], Math.log(2));
        close(row[0][1], Math.log(4));
        // columns [1, -1] over M = 3: row 0 removes column 1, row 1 removes nothing
        // + 0: wasm's multiply leaves -0 where the one-hot is off.
        assert.deepEqual(removedColumns(Int32Array.from([1, -1]), 3)
            .arraySync()
            .map((row) => row.map((x) => x + 0)), [
            [0, REMOVED_LOGIT, 0],
            [0, 0, 0],
        ]);
        // B = 2, M = 2, logQ = [-1, -2], mask removes (0, 1), column removal takes (1, 0):
        // [[1, 2 - 1e9], [1 - 1e9, 2]]
        const dense = denseLogitOffset(2, 2, {
            removeMask: Float32Array.from([0, 1, 0, 0]),
            logQ: Float32Array.from([-1, -2]),
            removeColumn: Int32Array.from([-1, 0]),
        });
        assert.deepEqual([...dense], [1, 2 - 1e9, 1 - 1e9, 2].map((x) => Math.fround(x)));
        assert.deepEqual(softmaxTargets(Int32Array.from([1, 0]), 2), { classes: Int32Array.from([1, 0]) });
        // Row 0: onehot(0) + [0, 1] -> [0.5, 0.5]; row 1: onehot(1) + [0, 0] -> [0, 1]
        const t = softmaxTargets(Int32Array.from([0, 1]), 2, Float32Array.from([0, 1, 0, 0]));
        assert.ok('dense' in t);
        assert.deepEqual(t.dense.arraySync(), [
            [0.5, 0.5],
            [0, 1],
        ]);
        assert.equal(rowWeights(4), 0.25);
        assert.equal(rowWeights(2, Float32Array.from([3, 3])), 0.5);
        const w = rowWeights(2, Float32Array.from([1, 3]));
        assert.ok(typeof w !== 'number');
        assert.deepEqual(w.arraySync(), [0.25, 0.75]);
    });
});
test('U2ITask: in-batch softmax of each event user over the batch items, on a worked 2x2 case', () => {
    tf.tidy(() => {
        // Orthonormal users and items, tau 1: logits [[1, 0], [0, 1]], loss per row log(e + 1) - 1.
        const ctx = contextOf(batchOf(), [
            [1, 0],
            [0, 1],
        ], [
            [1, 0],
            [0, 1],
        ]);
        close(new U2ITask(1).loss(ctx).dataSync()[0], Math.log(Math.E + 1) - 1);
        // logQ = [0, ln 2] subtracts ln 2 from column 1: logits [[1, -ln 2], [0, 1 - ln 2]].
        const withLogQ = contextOf(batchOf({ itemLogQ: Float32Array.from([0, Math.log(2)]) }), [
            [1, 0],
            [0, 1],
        ], [
            [1, 0],
            [0, 1],
        ]);
        const row0 = Math.log(Math.E + 0.5) - 1;
        const row1 = Math.log(1 + Math.E / 2) - (1 - Math.log(2));
        close(new U2ITask(1).loss(withLogQ).dataSync()[0], (row0 + row1) / 2);
        // Accidental hit masked: row 0's column 1 removed -> row 0 loss 0.
        const masked = batchOf({ accidentalHits: Float32Array.from([0, 1, 0, 0]), accidentalHitMode: 'mask' });
        close(new U2ITask(1)
            .loss(contextOf(masked, [
            [1, 0],
            [0, 1],
        ], [
            [1, 0],
            [0, 1],
        ]))
            .dataSync()[0], (0 + Math.log(Math.E + 1) - 1) / 2);
    });
});
test('I2UTask: items query users; without trainsUsers the users get no gradient', () => {
    const users = tf.tensor2d([
        [1, 0],
        [0, 1],
    ]);
    const items = tf.tensor2d([
        [2, 0],
        [0, 1],
    ]);
    const batch = batchOf();
    const task = new I2UTask(0.5, 1, false);
    assert.equal(task.weight, 0.5);
    const ctx = (u, i) => ({
        batch,
        users: u,
        items: i,
        eventQueries: () => gatherRows(u, batch.eventUser),
    });
    // Item 0 = (2, 0): logits over users [2, 0]; item 1 = (0, 1): [0, 1].
    close(task.loss(ctx(users, items)).dataSync()[0], (Math.log(Math.exp(2) + 1) - 2 + Math.log(1 + Math.E) - 1) / 2);
    const [du, di] = tf.grads((u, i) => task.loss(ctx(u, i)))([users, items]);
    assert.deepEqual(du.arraySync(), [
        [0, 0],
        [0, 0],
    ]);
    assert.ok(Math.abs(di.sum().dataSync()[0]) > 0);
    const both = new I2UTask(1, 1, true);
    const [du2] = tf.grads((u, i) => both.loss(ctx(u, i)))([users, items]);
    assert.ok(Math.abs(du2.abs().sum().dataSync()[0]) > 0);
    tf.dispose([users, items, du, di, du2]);
});
test('NextItemTask: nothing without pairs; the query item column is removed from its own softmax', () => {
    tf.tidy(() => {
        const items = [
            [1, 0],
            [0, 1],
            [1, 0],
        ];
        const none = contextOf(batchOf({ itemIds: ['i0', 'i1', 'i2'] }), [
            [1, 0],
            [0, 1],
        ], items);
        assert.equal(new NextItemTask(0.7, 1).loss(none), null);
        // Query item 0 = (1, 0) -> target item 1; logits [1, 0, 1] with column 0 removed: log(1 + e) - 0.
        const pairs = batchOf({
            itemIds: ['i0', 'i1', 'i2'],
            itemLogQ: new Float32Array(3),
            nextItem: { query: Int32Array.from([0]), target: Int32Array.from([1]) },
        });
        close(new NextItemTask(0.7, 1)
            .loss(contextOf(pairs, [
            [1, 0],
            [0, 1],
        ], items))
            .dataSync()[0], Math.log(1 + Math.E));
    });
});
test('BceTask: nothing without sampled negatives; softplus(-s_pos) + softplus(s_neg) otherwise', () => {
    tf.tidy(() => {
        assert.equal(new BceTask(1, 1).loss(contextOf(batchOf(), [
            [1, 0],
            [0, 1],
        ], [
            [1, 0],
            [0, 1],
        ])), null);
        // Negatives swap the items: s_pos = 1, s_neg = 0 for both rows, tau 0.5 doubles them.
        const ctx = contextOf(batchOf({ bceNegatives: Int32Array.from([1, 0]) }), [
            [1, 0],
            [0, 1],
        ], [
            [1, 0],
            [0, 1],
        ]);
        close(new BceTask(1, 0.5).loss(ctx).dataSync()[0], softplus(-2) + softplus(0));
    });
});
test('ContrastiveTask: nothing without views; otherwise the NT-Xent of its side, views from that side only', () => {
    tf.tidy(() => {
        const users = [
            [1, 0],
            [0, 1],
        ];
        const views = [
            [0.8, 0.6],
            [0.6, 0.8],
        ];
        const u2u = new ContrastiveTask('user', { weight: 0.3, temperature: 0.5, extraPositiveWeight: 1, projection: null });
        assert.equal(u2u.name, 'u2u');
        assert.equal(u2u.loss(contextOf(batchOf(), users, users, { item: views })), null);
        const expected = contrastiveLoss(tf.tensor2d(users), tf.tensor2d(views), { temperature: 0.5 }).dataSync()[0];
        close(u2u
            .loss(contextOf(batchOf(), users, [
            [1, 0],
            [0, 1],
        ], { user: views }))
            .dataSync()[0], expected);
        const i2i = new ContrastiveTask('item', { weight: 0.3, temperature: 0.5, extraPositiveWeight: 1, projection: null });
        close(i2i
            .loss(contextOf(batchOf(), [
            [1, 0],
            [0, 1],
        ], users, { item: views }))
            .dataSync()[0], expected);
    });
});
test('buildTasks: the enabled tasks in summation order, a zero weight leaves its task out', () => {
    const base = {
        temperature: 0.1,
        bidirectional: false,
        i2uWeight: 0.5,
        i2uTrainsUsers: false,
        u2uWeight: 0,
        i2iWeight: 0,
        contrastiveTemperature: 0.5,
        featureDropout: 0.1,
        extraPositiveWeight: 1,
        bceWeight: 0,
        nextItemWeight: 0,
    };
    const names = (o) => buildTasks({ ...base, ...o }, { embeddingDim: 4, outputDim: 4, seed: 1 }).map((t) => `${t.name}:${t.weight}`);
    assert.deepEqual(names({}), ['u2i:1']);
    assert.deepEqual(names({ bidirectional: true, u2uWeight: 0.2, i2iWeight: 0.3, nextItemWeight: 0.7, bceWeight: 0.1 }), [
        'u2i:1',
        'i2u:0.5',
        'u2u:0.2',
        'i2i:0.3',
        'next:0.7',
        'bce:0.1',
    ]);
    const withHeads = buildTasks({ ...base, i2iWeight: 0.3, projectionHead: true }, { embeddingDim: 4, outputDim: 4, seed: 1 });
    assert.equal(withHeads[1].views, 'item');
    assert.equal(withHeads[1].variables.length, 4);
    for (const v of withHeads.flatMap((t) => t.variables))
        v.dispose();
});
//# sourceMappingURL=tasks.test.js.map