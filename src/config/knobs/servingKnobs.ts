import type { Knob } from './knob.js';

/** Serving: the U2I blend, merged recall, index refreshes and HNSW, step-failure handling, the API and live metrics. */
export const SERVING_KNOBS = {
  u2iUserBlend: {
    kind: { enum: ['auto', '0', '0.25', '0.5', '0.75', '1'] },
    default: 'auto',
    description:
      "U2I queries with unit((1-a) full + a attribute-only user vector); auto picks a by test-then-train checks on returning users' events, a " +
      'number fixes it (0 = full vector; U2U always uses it)',
  },
  u2iBlendGapSeconds: {
    kind: 'number',
    default: 3600,
    min: 0,
    description:
      "An event is a returning user's (checked by --u2i-user-blend auto) when the user's previous one is at least this old (stream time)",
  },
  u2iBlendEventsPerCheck: {
    kind: 'int',
    default: 32,
    min: 0,
    description:
      'Budget of --u2i-user-blend auto: at most one returning-user check per this many trained events on average (one index query per ' +
      'candidate each; 8 per step at batch 256, unspent ones saved for later batches up to 64); 0 = no checks',
  },
  popularityPrior: {
    kind: { enum: ['auto', 'off', '0', '0.25', '0.5', '0.75', '1'] },
    default: 'auto',
    description:
      'U2I scores cos + beta * tau * log q(item), q the trending item frequency: auto picks beta per user segment (history length) by ' +
      "test-then-train checks on the stream's events, a number fixes it, off serves the plain cosine",
  },
  i2iCooccurrence: {
    kind: { enum: ['auto', 'off', '0', '0.25', '0.5', '0.75', '1'] },
    default: 'auto',
    description:
      "I2I answers fuse the towers' nearest items with the learner's streaming item co-occurrence (pairs within each user's recent items): " +
      "auto picks the co-occurrence weight and the generic list's weight by test-then-train checks (the next item after the previous one), " +
      'a number fixes the co-occurrence weight (no generic list), off keeps no table',
  },
  i2iCooccurrenceWindow: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1000,
    description: "I2I co-occurrence: each trained event is paired with this many of the user's previous items",
  },
  i2iCooccurrenceKeep: {
    kind: 'int',
    default: 100,
    min: 1,
    max: 10000,
    description: 'I2I co-occurrence: neighbours kept per item (a row reaching twice this keeps its largest counts); bounds the memory',
  },
  u2uCoconsumption: {
    kind: { enum: ['auto', 'off', '0', '0.25', '0.5', '0.75', '1'] },
    default: 'auto',
    description:
      "U2U answers fuse the towers' nearest users with the learner's streaming co-consumption neighbours (users met through each user's " +
      'recent items): auto picks the co-consumption weight by test-then-train checks (items recommended through the neighbours; 0.5 unless ' +
      'another weight wins significantly), a number ' +
      'fixes it, off keeps no table',
  },
  u2uCoconsumptionWindow: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1000,
    description: "U2U co-consumption: each user's latest distinct items that meet other users",
  },
  u2uCoconsumptionUsers: {
    kind: 'int',
    default: 50,
    min: 1,
    max: 10000,
    description: 'U2U co-consumption: latest distinct users kept per item; bounds the memory and the work of a query',
  },
  mergedGenericWeight: {
    kind: 'number',
    default: 0,
    min: 0,
    max: 1000,
    description: 'Merged recall: weight of the generic list (trending now) in the fusion, used where --merged-fusion is fixed',
  },
  mergedFusion: {
    kind: { enum: ['auto', 'fixed'] },
    default: 'auto',
    description:
      'Merged recall: auto = the learner picks the I2I and generic-list weights per user segment by test-then-train checks on ' +
      "returning users' events (U2I and U2U keep --merged-u2i-weight / --merged-u2u-weight); fixed = the --merged-*-weight knobs",
  },
  mergedU2iWeight: {
    kind: 'number',
    default: 1,
    min: 0,
    max: 1000,
    description: 'Merged recall (/v1/recall/merged): weight of the U2I ranking in the reciprocal-rank fusion; 0 leaves the channel out',
  },
  mergedU2uWeight: {
    kind: 'number',
    default: 0,
    min: 0,
    max: 1000,
    description:
      "Merged recall: weight of the U2U ranking (the nearest users' items); off by default: it cost U2I recall at every weight measured on " +
      'ml-100k (docs/BENCHMARKS.md)',
  },
  mergedI2iWeight: {
    kind: 'number',
    default: 0.1,
    min: 0,
    max: 1000,
    description:
      "Merged recall: weight of the I2I ranking (neighbours of the user's latest items); with one trigger item, 0.1 was the best fusion measured " +
      'on the ml-100k validation split',
  },
  mergedNeighbourUsers: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1000,
    description: 'Merged recall: nearest users (with seen items) whose items the U2U ranking pools',
  },
  mergedTriggerItems: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 100,
    description:
      "Merged recall: the user's latest distinct items whose neighbours the I2I ranking pools (1 beat 2, 3 and 5 on the ml-100k validation split)",
  },
  indexRefreshSteps: { kind: 'int', default: 50, min: 1, description: 'Rebuild the HNSW indexes every this many training steps' },
  indexRefreshMs: {
    kind: 'int',
    default: 15000,
    min: 100,
    description: '... or when the served index is older than this, also while the stream is idle (events trained since the last refresh)',
  },
  maxEventFutureMs: {
    kind: 'int',
    default: 86_400_000,
    min: 0,
    description:
      "Events stamped more than this ahead of the learner's wall clock are dead-lettered (timestamp_in_future): one such event " +
      'would move the stream clock that decays and id expiry read; 0 = no check',
  },
  maxConsecutiveStepFailures: {
    kind: 'int',
    default: 3,
    min: 0,
    description:
      'Training steps failing in a row that are still dead-lettered as bad data (step_failed); one more, or any programmer error, ' +
      'stops the job with readiness failing and the records uncommitted',
  },
  hnswM: { kind: 'int', default: 16, min: 2, max: 256, description: 'HNSW graph degree M' },
  hnswEfConstruction: {
    kind: 'int',
    default: 100,
    min: 1,
    description:
      'HNSW efConstruction (build effort of every index refresh; 100 built a 25k-vector index 2x faster than 200 at the same recall@10)',
  },
  hnswEfSearch: { kind: 'int', default: 100, min: 1, description: 'HNSW efSearch (raised to k when k is larger)' },
  indexBuild: {
    kind: { enum: ['background', 'inline'] },
    default: 'background',
    description:
      'Where index refreshes build HNSW: background = a worker thread while training continues (the previous snapshot serves until the new one is ' +
      'ready); inline = on the training thread',
  },
  extrasWorker: {
    kind: 'boolean',
    default: true,
    description:
      "Compute MIC's kNN positives and cluster hard negatives for queued batches in a worker thread while the current step trains (same results " +
      'as inline; bench:train: ~10-15% less per MIC step at batch 256)',
  },
  hnswEfExtras: {
    kind: 'int',
    default: 0,
    min: 0,
    description:
      'HNSW efSearch of the training-time kNN-positive lookups; 0 = just the neighbours wanted (bench:train: 8 ms less per MIC step at batch 1024 than ef 100)',
  },
  host: { kind: 'string', default: '127.0.0.1', description: 'Recall API listen address' },
  port: { kind: 'int', default: 8080, min: 0, max: 65535, description: 'Recall API port (0 = any free port)' },
  apiThread: {
    kind: { enum: ['worker', 'main'] },
    default: 'worker',
    description:
      "train: where the learner's recall API runs: a worker thread serving each published version as a `serve` replica would " +
      '(training never delays a request), or the training thread (answers follow every step, but wait for it)',
  },
  trainingNice: {
    kind: 'int',
    default: 10,
    min: 0,
    max: 19,
    description:
      "Linux, train with --api-thread worker and serve: every thread but the recall API's (training, index builds, topic " +
      'reading) runs at this nice value, so that requests preempt them when the cores are busy (raising a nice value needs ' +
      'no privilege); 0 = all at the same priority',
  },
  maxConnections: {
    kind: 'int',
    default: 1024,
    min: 0,
    description: 'Recall API: open connections at most, further ones are closed at once (0 = no cap)',
  },
  headersTimeoutMs: {
    kind: 'int',
    default: 10000,
    min: 100,
    description:
      "Recall API: a request's headers must arrive within this time and the whole request within twice it, else the socket is closed",
  },
  holdoutFraction: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 0,
    max: 0.5,
    description:
      "Fraction of events held back from training to measure held-back recall in train's summary; unset: 0.05 for the file and " +
      'synthetic sources, 0 for kafka (an always-on learner learns every event: a held-back first event would leave its user unknown)',
  },
  evalK: { kind: 'int', default: 50, min: 1, max: 1000, description: 'K of the hold-out HR@K in the summary' },
  prequentialK: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1000,
    description: 'K of the live prequential (test-then-train) HR@K (20: the recall depth the quality targets are set at)',
  },
  prequentialSampleRate: {
    kind: 'number',
    default: 0.2,
    min: 0,
    max: 1,
    description: 'Fraction of events checked by the prequential evaluation',
  },
  progressIntervalMs: { kind: 'int', default: 5000, min: 100, description: 'How often progress is printed' },
} as const satisfies Record<string, Knob>;
