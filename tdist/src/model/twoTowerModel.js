import * as tf from '@tensorflow/tfjs';
import { dropoutMask } from './views/embeddingDropout.js';
import { gatherRows } from '../ops/gatherRows.js';
import { weightedSum } from '../ops/weightedSum.js';
import { buildTasks } from './tasks/taskList.js';
import { makeTower } from './towers.js';
/** Which tower reads an input. */
export function towerSideOf(name) {
    return name === 'users' || name === 'userViews' ? 'user' : 'item';
}
/**
 * Originals and views stacked for one tower pass. A view's sequence can be shorter than its
 * original's (masking drops entries, and each input has as many slots as its longest sequence),
 * so the shorter one is padded with masked slots.
 */
function concatSequences(a, b) {
    const slots = Math.max(a.values.shape[1], b.values.shape[1]);
    const padded = (s) => {
        const extra = slots - s.values.shape[1];
        if (extra === 0)
            return s;
        return {
            values: tf.pad(s.values, [
                [0, 0],
                [0, extra],
                [0, 0],
            ]),
            mask: tf.pad(s.mask, [
                [0, 0],
                [0, extra],
            ]),
        };
    };
    const [pa, pb] = [padded(a), padded(b)];
    return { values: tf.concat([pa.values, pb.values], 0), mask: tf.concat([pa.mask, pb.mask], 0) };
}
/**
 * Towers plus tasks (TFRS style): the model only computes the loss of a batch; the Trainer owns
 * the optimizer step. One user tower and one item tower serve U2I, U2U and I2I; the tasks
 * (src/model/tasks: U2I, I2U, U2U / I2I contrastive, next item, BCE) score the towers' outputs and
 * the total is Σ weight · loss over them. The towers run on the originals and, for the sides a
 * task reads views of, on their perturbed views in the same pass.
 */
export class TwoTowerModel {
    userTower;
    itemTower;
    options;
    tasks;
    constructor(options) {
        this.options = options;
        const common = { embeddingDim: options.embeddingDim, hiddenDim: options.hiddenDim, outputDim: options.outputDim };
        const kind = options.towerKind ?? 'dssm';
        this.userTower = makeTower(kind, { name: 'user', ...common, seed: options.seed * 7 + 1 });
        this.itemTower = makeTower(kind, { name: 'item', ...common, seed: options.seed * 7 + 3 });
        this.tasks = buildTasks(options.tasks, options);
    }
    get variables() {
        return [...this.userTower.variables, ...this.itemTower.variables, ...this.tasks.flatMap((t) => t.variables)];
    }
    /** Must run inside a tidy or variableGrads (it allocates intermediate tensors). */
    computeLoss(features, batch) {
        const seq = (name) => features.sequences?.[name];
        const wantsViews = (side) => this.tasks.some((t) => t.views === side);
        // Originals and their perturbed views go through a tower in one pass (one set of kernels, not two).
        const [users, userViews] = this.applyWithViews(this.userTower, features.users, wantsViews('user') ? features.userViews : undefined, seq('users'), seq('userViews'), batch.seed);
        const [items, itemViews] = this.applyWithViews(this.itemTower, features.items, wantsViews('item') ? features.itemViews : undefined, seq('items'), seq('itemViews'), batch.seed + 1);
        let queries = null;
        const context = {
            batch,
            users,
            items,
            ...(userViews ? { userViews } : {}),
            ...(itemViews ? { itemViews } : {}),
            eventQueries: () => (queries ??= gatherRows(users, batch.eventUser)),
        };
        const terms = {};
        const weighted = [];
        for (const task of this.tasks) {
            const loss = task.loss(context);
            if (!loss)
                continue;
            terms[task.name] = loss;
            weighted.push([loss, task.weight]);
        }
        return { total: weightedSum(weighted), terms };
    }
    /** The tower on the originals and, when given, on the (dropped-out) views, as one batch. */
    applyWithViews(tower, originals, views, seqOriginals, seqViews, seed) {
        if (!views)
            return [tower.apply(originals, { training: true, ...(seqOriginals ? { sequence: seqOriginals } : {}) }), undefined];
        const n = originals.shape[0];
        const x = tf.concat([originals, this.dropout(views, seed)], 0);
        const sequence = seqOriginals && seqViews ? concatSequences(seqOriginals, seqViews) : undefined;
        const out = tower.apply(x, { training: true, ...(sequence ? { sequence } : {}) });
        return [tf.slice(out, [0, 0], [n, -1]), tf.slice(out, [n, 0], [-1, -1])];
    }
    dropout(x, seed) {
        const rate = this.options.tasks.featureDropout;
        return rate > 0 ? tf.mul(x, tf.tensor2d(dropoutMask(x.shape[0] * x.shape[1], rate, seed), x.shape)) : x;
    }
    dispose() {
        this.userTower.dispose();
        this.itemTower.dispose();
        for (const v of this.tasks.flatMap((t) => t.variables))
            v.dispose();
    }
}
//# sourceMappingURL=twoTowerModel.js.map