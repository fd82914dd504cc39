import type { Knob } from './knob.js';

/** The learner: micro-batches, the towers, the optimiser and MIC's tasks and parts (the --model rung sets the optional ones). */
export const MODEL_KNOBS = {
  batchSize: { kind: 'int', default: 256, min: 1, max: 65536, description: 'Events per training step (micro-batch by count)' },
  batchMaxWaitMs: { kind: 'int', default: 100, min: 1, description: 'Longest wait to fill a micro-batch (micro-batch by time)' },
  maxInFlight: { kind: 'int', default: 4096, min: 1, description: 'Backpressure: most records emitted by the source and not yet trained' },
  embeddingDim: { kind: 'int', default: 32, min: 1, max: 1024, description: 'Width of every sparse embedding row' },
  hiddenDim: { kind: 'int', default: 128, min: 1, max: 8192, description: 'Hidden layer width of each tower' },
  outputDim: { kind: 'int', default: 32, min: 1, max: 1024, description: 'Width of the user/item vectors (and the indexes)' },
  historyLength: { kind: 'int', default: 20, min: 0, max: 1000, description: 'Recent interactions pooled into each tower' },
  temperature: { kind: 'number', default: 0.1, min: 1e-4, max: 100, description: 'Softmax temperature tau of the U2I loss' },
  sparseLearningRate: { kind: 'number', default: 0.1, min: 0, description: 'Adagrad learning rate of embedding rows' },
  denseLearningRate: { kind: 'number', default: 0.002, min: 0, description: 'Adam learning rate of tower weights' },
  logQ: { kind: 'boolean', default: true, description: 'logQ correction of in-batch popularity bias (streaming, decayed frequencies)' },
  popularityFeature: {
    kind: 'boolean',
    default: false,
    description: "Give the item tower the item's current popularity bucket (from the decayed frequencies) as an attribute",
  },
  recentLength: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 100,
    description: 'Most recent interactions pooled into their own field group (order-aware part of the towers)',
  },
  logQHalfLifeEvents: {
    kind: 'number',
    default: 2000,
    min: 1,
    description:
      "Half-life, in events, of the decayed item frequencies used by logQ and the trending list; returning users' generic list " +
      'also weighs trending at a quarter of and at four times it',
  },
  accidentalHits: {
    kind: { enum: ['ignore', 'mask', 'positive'] },
    default: 'ignore',
    description:
      "A repeated user's other in-batch positives: leave as negatives ('ignore'), remove from its softmax ('mask') or count as extra positives ('positive')",
  },
  seenItemsPerUser: {
    kind: 'int',
    default: 1000,
    min: 1,
    description:
      "Items kept per user as seen (left out of the user's U2I answers, recommended through U2U): beyond this the earliest are " +
      'forgotten, so a heavy user does not grow without bound',
  },
  idExpiryMs: {
    kind: 'int',
    default: 0,
    min: 0,
    description: 'Expire ids and attribute values that no training step used for this long (stream time, ms); 0 = keep forever',
  },
  tower: {
    kind: { enum: ['dssm', 'attention', 'residual'] },
    default: 'residual',
    description:
      'Tower architecture: dssm (pooled fields -> MLP), attention (attention over the last --history-length interactions) or ' +
      'residual (MLP plus the pooled embeddings themselves, so that id rows act directly on a sparse stream)',
  },
  model: {
    kind: { enum: ['dssm', 'bidir', 'next', 'views', 'knn', 'mic'] },
    default: 'knn',
    description:
      'Rung of the MIC ablation ladder: dssm (U2I only), bidir (+I2U), next (+next-item co-consumption task), views (+U2U/I2I contrastive views), ' +
      'knn (+kNN positives; the default), mic (+cluster hard negatives, which did not earn their place on the validation splits: docs/BENCHMARKS.md)',
  },
  i2uWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description: 'Weight of the item->user direction of the U2I task when bidirectional (default 0.05)',
  },
  projectionHead: {
    kind: 'boolean',
    default: false,
    description:
      'SimCLR-style projection head: the U2U/I2I contrastive tasks compare g(v) instead of the served vectors v (ml-100k: U2I +0.004, U2U -0.006; off)',
  },
  i2uTrainsUsers: {
    kind: 'boolean',
    default: false,
    description:
      'Let the item->user direction update the user tower too (off: it trains the item tower only, which kept U2I and lifted I2I on ml-100k)',
  },
  u2uWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description: 'lambda_u, weight of the U2U contrastive task (default from --model)',
  },
  i2iWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description: 'lambda_i, weight of the I2I contrastive task (default from --model)',
  },
  nextItemWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description:
      "Weight of the next-item task: the user's previous item as a query for the event's item, through the item tower, in-batch softmax with logQ " +
      '(default from --model: 0.7)',
  },
  contrastiveTemperature: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 1e-4,
    max: 100,
    description: 'Temperature of the U2U/I2I contrastive tasks (default 0.5)',
  },
  featureDropout: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 0.95,
    description: 'Dropout in the embedded-feature space of the perturbed views (default 0.1)',
  },
  userIdMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking the user id (default 0.5)',
  },
  userAttributeMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking each user attribute value (default 0.2)',
  },
  userHistoryMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: "View masking: probability of masking the user's whole interaction sequence (default 0.2)",
  },
  userHistoryItemMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking each item of the user sequence (default 0.3)',
  },
  itemIdMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking the item id (default 0.5)',
  },
  itemAttributeMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking each item attribute value / keyword (default 0.2)',
  },
  itemHistoryMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: "View masking: probability of masking the item's whole user sequence (default 0.2)",
  },
  itemHistoryItemMask: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'View masking: probability of masking each user of the item sequence (default 0.3)',
  },
  knnPositives: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 0,
    max: 64,
    description: 'kNN positives per anchor from the live index (default from --model: 2)',
  },
  extraPositiveWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description: 'Weight of each kNN / co-occurrence positive relative to the view positive (default 0.5)',
  },
  hardNegatives: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 0,
    max: 64,
    description: 'Cluster hard negatives per anchor (default from --model: 0 below mic, 4 for mic)',
  },
  clusters: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 2,
    max: 4096,
    description: 'k of the k-means++ re-clustering (default 16)',
  },
  reclusterEverySteps: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 1,
    description: 'Re-cluster every this many steps, and when the loss drift detector fires (default 50)',
  },
  reclusterLagSteps: {
    kind: 'int',
    default: 20,
    min: 0,
    description:
      'Steps between requesting a background re-clustering and applying it (training waits only if the worker is later than that; a fixed step ' +
      'keeps runs reproducible). 5 stalled a MIC step at batch 256 by 3.5 ms on average, 20 by 0.1 ms, same ml-100k quality',
  },
  coOccurrencePositives: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 0,
    max: 16,
    description: "I2I: the user's previous items as extra positives of the event's item (default 0)",
  },
  userColdDropout: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'Probability of presenting a U2I user as cold (id and sequence dropped) (default 0)',
  },
  itemColdDropout: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 1,
    description: 'Probability of presenting a U2I item as cold (id and sequence dropped) (default 0)',
  },
  bceWeight: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    description: 'Weight of the pointwise BCE term on positives and sampled negatives (default 0 = off)',
  },
  replayBatches: {
    kind: 'int',
    default: 4,
    min: 0,
    max: 16,
    description:
      'Replayed batches per training step, each as large as the live batch, drawn from the most recent trained events ' +
      '(histories without the replayed pair); 0 = off',
  },
  replayBufferEvents: {
    kind: 'int',
    default: 50000,
    min: 1,
    description: 'Window of --replay-batches: the most recent trained events replay draws from',
  },
  sparseAccumulatorDecay: {
    kind: 'number',
    default: 1,
    min: 0.5,
    max: 1,
    description: 'Per-row Adagrad accumulator decay: 1 = Adagrad, < 1 = forgets (more plastic rows)',
  },
} as const satisfies Record<string, Knob>;
