import * as tf from '@tensorflow/tfjs';
import { dropoutMask } from '../augment/embeddingDropout.js';
import { gatherRows } from '../ops/gatherRows.js';
import { weightedSum } from '../ops/weightedSum.js';
import { contrastiveLoss, inBatchSoftmaxLoss, pointwiseBceLoss } from './losses.js';
import type { BatchInputs, ExtraVectors, PreparedBatch } from './batchBuilder.js';
import { makeTower, MlpHead, type Tower, type TowerKind } from './towers.js';

/** Weights and switches of MIC's tasks; every part can be turned off for ablations. */
export interface TaskOptions {
  /** Softmax temperature of the U2I (and I2U) task. */
  temperature: number;
  /** Add the item->user in-batch softmax (bidirectional U2I). */
  bidirectional: boolean;
  /** Weight of the item->user direction when bidirectional. */
  i2uWeight: number;
  /**
   * Let the item->user direction update the user tower too. Off by default: with it on, I2U pulled
   * user vectors toward id-discriminative directions and cost U2I (most of all for cold users,
   * whose vectors come from attributes); item-only I2U kept U2I and lifted I2I (docs/BENCHMARKS.md).
   */
  i2uTrainsUsers: boolean;
  /** lambda_u: weight of the user-side contrastive task (0 = off). */
  u2uWeight: number;
  /** lambda_i: weight of the item-side contrastive task (0 = off). */
  i2iWeight: number;
  /** Temperature of the U2U / I2I contrastive tasks. */
  contrastiveTemperature: number;
  /** Dropout rate in the embedded-feature space of the perturbed views. */
  featureDropout: number;
  /** Weight of each kNN / co-occurrence extra positive relative to the view positive. */
  extraPositiveWeight: number;
  /** Weight of the pointwise BCE term (0 = off). */
  bceWeight: number;
  /**
   * Weight of the next-item task (0 = off): the item a user consumed before an event's item, as a
   * query through the item tower, against the batch's items (in-batch softmax with logQ, the
   * query's own column removed): co-consumption trained into the item vectors that I2I serves.
   */
  nextItemWeight: number;
  /**
   * SimCLR-style projection head g(.) per side: the U2U / I2I contrastive tasks compare g(v), not v,
   * so the view-invariance they ask for need not be carried by the served vectors (default off).
   */
  projectionHead?: boolean;
}

export interface TwoTowerOptions {
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  seed: number;
  tasks: TaskOptions;
  /** Tower architecture of both sides (default dssm). */
  towerKind?: TowerKind;
}

/** Loss terms of one step; `total` is what the optimizer minimises. */
export interface LossTerms {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

export type InputName = keyof BatchInputs;
export interface SequenceTensors {
  values: tf.Tensor3D;
  mask: tf.Tensor2D;
}

/**
 * The tower inputs of a batch as tensors, one per BatchInputs entry ([n, 4 * embeddingDim]), and
 * for sequence towers the unpooled sequences.
 */
export type BatchFeatures = { [K in InputName]: BatchInputs[K] extends undefined ? never : tf.Tensor2D } & {
  sequences?: Partial<Record<InputName, SequenceTensors>>;
};

/** Which tower reads an input. */
export function towerSideOf(name: InputName): 'user' | 'item' {
  return name === 'users' || name === 'userViews' ? 'user' : 'item';
}

/**
 * Originals and views stacked for one tower pass. A view's sequence can be shorter than its
 * original's (masking drops entries, and each input has as many slots as its longest sequence),
 * so the shorter one is padded with masked slots.
 */
function concatSequences(a: SequenceTensors, b: SequenceTensors): SequenceTensors {
  const slots = Math.max(a.values.shape[1], b.values.shape[1]);
  const padded = (s: SequenceTensors): SequenceTensors => {
    const extra = slots - s.values.shape[1];
    if (extra === 0) return s;
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

function extras(e: ExtraVectors | undefined, n: number): { vectors: tf.Tensor3D; mask: tf.Tensor2D } | undefined {
  if (!e || e.perAnchor === 0) return undefined;
  return { vectors: tf.tensor3d(e.data, [n, e.perAnchor, e.dim]), mask: tf.tensor2d(e.mask, [n, e.perAnchor]) };
}

/**
 * Towers plus tasks (TFRS style): the model only computes the loss of a batch; the Trainer owns
 * the optimizer step. One user tower and one item tower serve U2I, U2U and I2I. Tasks:
 * U2I in-batch softmax with logQ (always), I2U (bidirectional), U2U and I2I contrastive between
 * each entity and its perturbed view (with kNN positives and cluster hard negatives when the
 * batch carries them), and an optional pointwise BCE. Total = U2I + λr·I2U + λu·U2U + λi·I2I + λb·BCE.
 */
export class TwoTowerModel {
  readonly userTower: Tower;
  readonly itemTower: Tower;
  readonly options: TwoTowerOptions;
  private readonly userProjection: MlpHead | null;
  private readonly itemProjection: MlpHead | null;

  constructor(options: TwoTowerOptions) {
    this.options = options;
    const common = { embeddingDim: options.embeddingDim, hiddenDim: options.hiddenDim, outputDim: options.outputDim };
    const kind = options.towerKind ?? 'dssm';
    this.userTower = makeTower(kind, { name: 'user', ...common, seed: options.seed * 7 + 1 });
    this.itemTower = makeTower(kind, { name: 'item', ...common, seed: options.seed * 7 + 3 });
    const head = (name: string, seed: number) =>
      new MlpHead(`${name}_projection`, options.outputDim, {
        name,
        embeddingDim: options.embeddingDim,
        hiddenDim: options.outputDim,
        outputDim: options.outputDim,
        seed,
      });
    const t = options.tasks;
    this.userProjection = t.projectionHead && t.u2uWeight > 0 ? head('user', options.seed * 7 + 5) : null;
    this.itemProjection = t.projectionHead && t.i2iWeight > 0 ? head('item', options.seed * 7 + 6) : null;
  }

  get variables(): tf.Variable[] {
    return [
      ...this.userTower.variables,
      ...this.itemTower.variables,
      ...(this.userProjection?.variables ?? []),
      ...(this.itemProjection?.variables ?? []),
    ];
  }

  /** Must run inside a tidy or variableGrads (it allocates intermediate tensors). */
  computeLoss(features: BatchFeatures, batch: PreparedBatch): LossTerms {
    const t = this.options.tasks;
    const seq = (name: InputName) => features.sequences?.[name];
    // Originals and their perturbed views go through a tower in one pass (one set of kernels, not two).
    const [users, userViews] = this.applyWithViews(
      this.userTower,
      features.users,
      t.u2uWeight > 0 ? features.userViews : undefined,
      seq('users'),
      seq('userViews'),
      batch.seed,
    );
    const [items, itemViews] = this.applyWithViews(
      this.itemTower,
      features.items,
      t.i2iWeight > 0 ? features.itemViews : undefined,
      seq('items'),
      seq('itemViews'),
      batch.seed + 1,
    );
    const nUsers = batch.userIds.length;
    const nItems = batch.itemIds.length;
    const queries = gatherRows(users, batch.eventUser);
    const terms: Record<string, tf.Scalar> = {};
    terms.u2i = inBatchSoftmaxLoss(queries, items, batch.eventItem, {
      temperature: t.temperature,
      logQ: batch.itemLogQ,
      ...(batch.accidentalHits ? { [batch.accidentalHitMode === 'mask' ? 'removeMask' : 'extraPositives']: batch.accidentalHits } : {}),
      weights: batch.weights,
    });
    const weighted: [tf.Scalar, number][] = [[terms.u2i, 1]];
    if (t.bidirectional) {
      const itemQueries = gatherRows(items, batch.eventItem);
      terms.i2u = inBatchSoftmaxLoss(itemQueries, users, batch.eventUser, {
        candidateGradient: t.i2uTrainsUsers,
        temperature: t.temperature,
        ...(batch.userLogQ ? { logQ: batch.userLogQ } : {}),
        weights: batch.weights,
      });
      weighted.push([terms.i2u, t.i2uWeight]);
    }
    if (userViews) {
      terms.u2u = this.contrastive(this.userProjection, users, userViews, batch.userExtraPositives, batch.userExtraNegatives, nUsers);
      weighted.push([terms.u2u, t.u2uWeight]);
    }
    if (itemViews) {
      terms.i2i = this.contrastive(this.itemProjection, items, itemViews, batch.itemExtraPositives, batch.itemExtraNegatives, nItems);
      weighted.push([terms.i2i, t.i2iWeight]);
    }
    if (t.nextItemWeight > 0 && batch.nextItem && batch.nextItem.query.length > 0) {
      const next = batch.nextItem;
      terms.next = inBatchSoftmaxLoss(gatherRows(items, next.query), items, next.target, {
        temperature: t.temperature,
        logQ: batch.itemLogQ,
        removeColumn: next.query,
      });
      weighted.push([terms.next, t.nextItemWeight]);
    }
    if (t.bceWeight > 0 && batch.bceNegatives) {
      const positives = gatherRows(items, batch.eventItem);
      const negatives = gatherRows(items, batch.bceNegatives);
      terms.bce = pointwiseBceLoss(queries, positives, negatives, t.temperature);
      weighted.push([terms.bce, t.bceWeight]);
    }
    return { total: weightedSum(weighted), terms };
  }

  /** The tower on the originals and, when given, on the (dropped-out) views, as one batch. */
  private applyWithViews(
    tower: Tower,
    originals: tf.Tensor2D,
    views: tf.Tensor2D | undefined,
    seqOriginals: SequenceTensors | undefined,
    seqViews: SequenceTensors | undefined,
    seed: number,
  ): [tf.Tensor2D, tf.Tensor2D | undefined] {
    if (!views) return [tower.apply(originals, { training: true, ...(seqOriginals ? { sequence: seqOriginals } : {}) }), undefined];
    const n = originals.shape[0];
    const x = tf.concat([originals, this.dropout(views, seed)], 0);
    const sequence = seqOriginals && seqViews ? concatSequences(seqOriginals, seqViews) : undefined;
    const out = tower.apply(x, { training: true, ...(sequence ? { sequence } : {}) });
    return [tf.slice(out, [0, 0], [n, -1]), tf.slice(out, [n, 0], [-1, -1])];
  }

  /** One side's contrastive task: anchors vs their views, with that side's kNN positives and hard negatives. */
  private contrastive(
    projection: MlpHead | null,
    anchors: tf.Tensor2D,
    views: tf.Tensor2D,
    positives: ExtraVectors | undefined,
    negatives: ExtraVectors | undefined,
    n: number,
  ): tf.Scalar {
    let pos = extras(positives, n);
    let neg = extras(negatives, n);
    if (projection) {
      // One pass through g(.) for anchors, views and the index's extra vectors.
      const parts = [
        anchors,
        views,
        ...(pos ? [pos.vectors.reshape([-1, pos.vectors.shape[2]]) as tf.Tensor2D] : []),
        ...(neg ? [neg.vectors.reshape([-1, neg.vectors.shape[2]]) as tf.Tensor2D] : []),
      ];
      const sizes = parts.map((p) => p.shape[0]);
      const out = tf.split(projection.apply(tf.concat(parts, 0)), sizes, 0) as tf.Tensor2D[];
      anchors = out[0]!;
      views = out[1]!;
      let k = 2;
      if (pos) pos = { vectors: out[k++]!.reshape(pos.vectors.shape) as tf.Tensor3D, mask: pos.mask };
      if (neg) neg = { vectors: out[k++]!.reshape(neg.vectors.shape) as tf.Tensor3D, mask: neg.mask };
    }
    return contrastiveLoss(anchors, views, {
      temperature: this.options.tasks.contrastiveTemperature,
      extraPositiveWeight: this.options.tasks.extraPositiveWeight,
      ...(pos ? { extraPositives: pos.vectors, extraPositiveMask: pos.mask } : {}),
      ...(neg ? { extraNegatives: neg.vectors, extraNegativeMask: neg.mask } : {}),
    });
  }

  private dropout(x: tf.Tensor2D, seed: number): tf.Tensor2D {
    const rate = this.options.tasks.featureDropout;
    return rate > 0 ? (tf.mul(x, tf.tensor2d(dropoutMask(x.shape[0] * x.shape[1], rate, seed), x.shape)) as tf.Tensor2D) : x;
  }

  dispose(): void {
    this.userTower.dispose();
    this.itemTower.dispose();
    for (const v of [...(this.userProjection?.variables ?? []), ...(this.itemProjection?.variables ?? [])]) v.dispose();
  }
}
