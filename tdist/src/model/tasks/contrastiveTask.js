import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss } from '../losses.js';
/**
 * MIC's cross-channel contrastive task of one side (U2U on users, I2I on items): each entity
 * against its perturbed view (NT-Xent), with the kNN / co-occurrence positives and cluster hard
 * negatives the batch carries for that side. Nothing to learn without views.
 */
export class ContrastiveTask {
    views;
    options;
    name;
    weight;
    variables;
    constructor(views, options) {
        this.views = views;
        this.options = options;
        this.name = views === 'user' ? 'u2u' : 'i2i';
        this.weight = options.weight;
        this.variables = options.projection?.variables ?? [];
    }
    loss(ctx) {
        const user = this.views === 'user';
        let anchors = user ? ctx.users : ctx.items;
        let views = user ? ctx.userViews : ctx.itemViews;
        if (!views)
            return null;
        const n = user ? ctx.batch.userIds.length : ctx.batch.itemIds.length;
        let pos = extras(user ? ctx.batch.userExtraPositives : ctx.batch.itemExtraPositives, n);
        let neg = extras(user ? ctx.batch.userExtraNegatives : ctx.batch.itemExtraNegatives, n);
        const projection = this.options.projection;
        if (projection) {
            // One pass through g(.) for anchors, views and the index's extra vectors.
            const parts = [
                anchors,
                views,
                ...(pos ? [pos.vectors.reshape([-1, pos.vectors.shape[2]])] : []),
                ...(neg ? [neg.vectors.reshape([-1, neg.vectors.shape[2]])] : []),
            ];
            const sizes = parts.map((p) => p.shape[0]);
            const out = tf.split(projection.apply(tf.concat(parts, 0)), sizes, 0);
            anchors = out[0];
            views = out[1];
            let k = 2;
            if (pos)
                pos = { vectors: out[k++].reshape(pos.vectors.shape), mask: pos.mask };
            if (neg)
                neg = { vectors: out[k++].reshape(neg.vectors.shape), mask: neg.mask };
        }
        return contrastiveLoss(anchors, views, {
            temperature: this.options.temperature,
            extraPositiveWeight: this.options.extraPositiveWeight,
            ...(pos ? { extraPositives: pos.vectors, extraPositiveMask: pos.mask } : {}),
            ...(neg ? { extraNegatives: neg.vectors, extraNegativeMask: neg.mask } : {}),
        });
    }
}
function extras(e, n) {
    if (!e || e.perAnchor === 0)
        return undefined;
    return { vectors: tf.tensor3d(e.data, [n, e.perAnchor, e.dim]), mask: tf.tensor2d(e.mask, [n, e.perAnchor]) };
}
//# sourceMappingURL=contrastiveTask.js.map