import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.js';

type Kind = 'int' | 'number' | 'boolean' | 'string' | { enum: readonly string[] };

interface Knob {
  kind: Kind;
  default: unknown;
  description: string;
  min?: number;
  max?: number;
  optional?: boolean;
}

/**
 * Every knob of micstream, in one table: default, flag (--kebab-case), environment variable
 * (MICSTREAM_UPPER_SNAKE) and file key (camelCase) all derive from the name. Precedence:
 * defaults < config file (--config / MICSTREAM_CONFIG, JSON) < environment < flags.
 */
export const KNOBS = {
  backend: {
    kind: { enum: ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] },
    default: 'auto',
    description: 'TF.js backend; auto picks the fastest available (node-gpu, node, wasm, cpu)',
  },
  tfThreads: {
    kind: 'int',
    default: 1,
    min: 0,
    max: 1024,
    description:
      'Intra-op threads of the native TensorFlow backend (sets TF_NUM_INTRAOP_THREADS unless the environment has it); 0 = one per core. 1 is ' +
      'fastest for these small kernels (bench:train)',
  },
  source: {
    kind: { enum: ['auto', 'synthetic', 'file', 'kafka'] },
    default: 'auto',
    description: 'Where train reads events: auto = file with --data, else synthetic; kafka = the interactions topic',
  },
  data: {
    kind: 'string',
    default: undefined,
    optional: true,
    description: 'Replay a dataset (ml-100k atomic folder, MovieLens CSV folder or .jsonl file) instead of the synthetic stream',
  },
  maxEvents: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 1,
    description: 'Stop after this many source records, print the summary and exit',
  },
  exitOnEnd: { kind: 'boolean', default: false, description: 'Exit when the source ends instead of serving until Ctrl-C' },
  seed: { kind: 'int', default: 42, min: 0, description: 'Seed of every random choice (model init, sampling, hold-out)' },
  syntheticEvents: { kind: 'int', default: 60000, min: 1, description: 'Length of the synthetic demo stream' },
  syntheticUsers: { kind: 'int', default: 3000, min: 1, description: 'Synthetic users' },
  syntheticItems: { kind: 'int', default: 1500, min: 1, description: 'Synthetic items' },
  syntheticClusters: { kind: 'int', default: 12, min: 1, description: 'Latent taste clusters of the synthetic world' },
  driftAt: {
    kind: 'int',
    default: undefined,
    optional: true,
    min: 0,
    description: 'Synthetic event index where every user taste shifts (drift)',
  },
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
    description: 'Half-life, in events, of the decayed item frequencies used by logQ',
  },
  accidentalHits: {
    kind: { enum: ['ignore', 'mask', 'positive'] },
    default: 'ignore',
    description:
      "A repeated user's other in-batch positives: leave as negatives ('ignore'), remove from its softmax ('mask') or count as extra positives ('positive')",
  },
  idExpiryMs: {
    kind: 'int',
    default: 0,
    min: 0,
    description: 'Expire ids and attribute values that no training step used for this long (stream time, ms); 0 = keep forever',
  },
  tower: {
    kind: { enum: ['dssm', 'attention'] },
    default: 'dssm',
    description: 'Tower architecture: dssm (pooled fields -> MLP) or attention (attention over the last --history-length interactions)',
  },
  model: {
    kind: { enum: ['dssm', 'bidir', 'next', 'views', 'knn', 'mic'] },
    default: 'mic',
    description:
      'Rung of the MIC ablation ladder: dssm (U2I only), bidir (+I2U), next (+next-item co-consumption task), views (+U2U/I2I contrastive views), ' +
      'knn (+kNN positives), mic (+cluster hard negatives)',
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
    description: 'Cluster hard negatives per anchor (default from --model: 4)',
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
  sparseAccumulatorDecay: {
    kind: 'number',
    default: 1,
    min: 0.5,
    max: 1,
    description: 'Per-row Adagrad accumulator decay: 1 = Adagrad, < 1 = forgets (more plastic rows)',
  },
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
    default: 128,
    min: 0,
    description:
      'Budget of --u2i-user-blend auto: at most one returning-user check per this many trained events (one index query per candidate each; 2 per ' +
      'step at batch 256); 0 = no checks',
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
  indexRefreshMs: { kind: 'int', default: 15000, min: 100, description: '... or when the served index is older than this' },
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
  holdoutFraction: {
    kind: 'number',
    default: 0.05,
    min: 0,
    max: 0.5,
    description: 'Fraction of events held back from training to measure recall',
  },
  evalK: { kind: 'int', default: 50, min: 1, max: 1000, description: 'K of the hold-out HR@K in the summary' },
  prequentialK: { kind: 'int', default: 50, min: 1, max: 1000, description: 'K of the live prequential (test-then-train) HR@K' },
  prequentialSampleRate: {
    kind: 'number',
    default: 0.2,
    min: 0,
    max: 1,
    description: 'Fraction of events checked by the prequential evaluation',
  },
  progressIntervalMs: { kind: 'int', default: 5000, min: 100, description: 'How often progress is printed' },
  kafkaBrokers: { kind: 'string', default: '127.0.0.1:9092', description: 'Kafka bootstrap brokers, comma-separated' },
  kafkaClientId: { kind: 'string', default: 'micstream', description: 'Kafka client id' },
  kafkaGroupId: {
    kind: 'string',
    default: 'micstream-learner',
    description: 'Consumer group of the learner (serve uses its own, see --serve-group-id)',
  },
  kafkaSsl: { kind: 'boolean', default: false, description: 'Use TLS to the brokers (system CAs)' },
  kafkaSaslMechanism: {
    kind: { enum: ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] },
    default: 'none',
    description: 'SASL mechanism',
  },
  kafkaSaslUsername: { kind: 'string', default: undefined, optional: true, description: 'SASL username' },
  kafkaSaslPassword: { kind: 'string', default: undefined, optional: true, description: 'SASL password (prefer the env var)' },
  kafkaFromBeginning: {
    kind: 'boolean',
    default: true,
    description: 'A new consumer group starts at the earliest offset (else the latest)',
  },
  kafkaCommitIntervalMs: { kind: 'int', default: 1000, min: 50, description: 'How often offsets of finished records are committed' },
  topology: { kind: 'string', default: 'topology/topics.json', description: 'Topology file declaring the Kafka topics' },
  topicPrefix: {
    kind: 'string',
    default: undefined,
    optional: true,
    description: 'Prefix of every topic name of the topology (e.g. per environment)',
  },
  topic: {
    kind: 'string',
    default: undefined,
    optional: true,
    description: 'replay: target topic (default: the interactions topic of the topology)',
  },
  rate: {
    kind: 'number',
    default: undefined,
    optional: true,
    min: 1,
    description: 'replay: events per second (default: as fast as the broker takes them)',
  },
  dryRun: { kind: 'boolean', default: false, description: 'topology apply: report drift without changing anything' },
  publishIndex: {
    kind: 'boolean',
    default: undefined,
    optional: true,
    description: 'train: publish every index version to the recall topic (default: on with --source kafka)',
  },
  indexChunkBytes: {
    kind: 'int',
    default: 900000,
    min: 1024,
    max: 10000000,
    description: 'Bytes per recall-topic message when an index is published in chunks',
  },
  split: {
    kind: 'string',
    default: 'temporal:0.8',
    description: 'eval: temporal:F trains one streaming pass on the first F of events (time order) and tests on the rest',
  },
  seeds: { kind: 'int', default: 3, min: 1, max: 20, description: 'eval: seeds per learned model (mean and spread reported)' },
  out: { kind: 'string', default: 'eval-out', description: 'eval: output folder for results.json, results.md and the SVG plots' },
  models: {
    kind: 'string',
    default: 'all',
    description: 'eval: comma-separated models (random,pop,pop_recent,itemknn,itemcf_i2i,usercf_u2u,dssm,bidir,next,views,knn,mic) or all',
  },
  epochs: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 20,
    description:
      'eval: training passes over the training split; with E > 1 each rung is also reported after E passes as <rung>@Eep (the main rows stay one-pass)',
  },
  recentWindow: {
    kind: 'int',
    default: 5000,
    min: 1,
    description: 'eval: training events counted by the recent-popularity baseline pop_recent',
  },
  deadLetterFile: {
    kind: 'string',
    default: undefined,
    optional: true,
    description: 'Append invalid records (with reasons) to this JSONL file',
  },
} as const satisfies Record<string, Knob>;

export type KnobName = keyof typeof KNOBS;

type ValueOf<K extends Kind> = K extends 'int' | 'number'
  ? number
  : K extends 'boolean'
    ? boolean
    : K extends 'string'
      ? string
      : K extends { enum: readonly (infer E)[] }
        ? E
        : never;

export type Config = {
  readonly [K in KnobName]: (typeof KNOBS)[K] extends { optional: true }
    ? ValueOf<(typeof KNOBS)[K]['kind']> | undefined
    : ValueOf<(typeof KNOBS)[K]['kind']>;
};

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const envName = (name: string): string => `MICSTREAM_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function coerce(name: string, knob: Knob, raw: unknown, origin: string, problems: string[]): unknown {
  const where = `${name} (from ${origin})`;
  const { kind } = knob;
  if (kind === 'int' || kind === 'number') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) return void problems.push(`${where}: expected a number, got ${JSON.stringify(raw)}`);
    if (kind === 'int' && !Number.isInteger(n)) return void problems.push(`${where}: expected an integer, got ${n}`);
    if (knob.min !== undefined && n < knob.min) return void problems.push(`${where}: must be >= ${knob.min}, got ${n}`);
    if (knob.max !== undefined && n > knob.max) return void problems.push(`${where}: must be <= ${knob.max}, got ${n}`);
    return n;
  }
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return void problems.push(`${where}: expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (kind === 'string') {
    if (typeof raw !== 'string' || raw.length === 0) return void problems.push(`${where}: expected a non-empty string`);
    return raw;
  }
  if (typeof raw !== 'string' || !kind.enum.includes(raw))
    return void problems.push(`${where}: expected one of ${kind.enum.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw;
}

export interface LoadConfigInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  config: Config;
  /** Non-option arguments (the command and its operands). */
  positionals: string[];
  help: boolean;
  /** Where each value came from: default, file, env or flag. */
  origins: Record<KnobName, 'default' | 'file' | 'env' | 'flag'>;
}

/**
 * Build the frozen Config from defaults, a JSON file, the environment and flags.
 * @throws ConfigError (MICSTREAM_ERR_CONFIG) listing every problem at once.
 */
export function loadConfig({ argv, env }: LoadConfigInput): LoadedConfig {
  const problems: string[] = [];
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const [name, knob] of Object.entries(KNOBS) as [string, Knob][]) {
    options[kebab(name)] = { type: knob.kind === 'boolean' ? 'boolean' : 'string' };
    if (knob.kind === 'boolean') options[`no-${kebab(name)}`] = { type: 'boolean' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError([err instanceof Error ? err.message : String(err)]);
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const values: Record<string, unknown> = {};
  const origins = {} as Record<KnobName, 'default' | 'file' | 'env' | 'flag'>;
  for (const [name, knob] of Object.entries(KNOBS) as [KnobName, Knob][]) {
    values[name] = knob.default;
    origins[name] = 'default';
  }

  const file = (flags.config as string | undefined) ?? env.MICSTREAM_CONFIG;
  if (file) {
    let fromFile: unknown;
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`config file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (fromFile !== undefined) {
      if (fromFile === null || typeof fromFile !== 'object' || Array.isArray(fromFile))
        problems.push(`config file ${file}: must hold a JSON object`);
      else
        for (const [key, raw] of Object.entries(fromFile)) {
          if (!(key in KNOBS)) {
            problems.push(`config file ${file}: unknown key "${key}"`);
            continue;
          }
          const v = coerce(key, KNOBS[key as KnobName] as Knob, raw, `file ${file}`, problems);
          if (v !== undefined) [values[key], origins[key as KnobName]] = [v, 'file'];
        }
    }
  }
  for (const [name, knob] of Object.entries(KNOBS) as [KnobName, Knob][]) {
    const raw = env[envName(name)];
    if (raw === undefined || raw === '') continue;
    const v = coerce(name, knob, raw, `env ${envName(name)}`, problems);
    if (v !== undefined) [values[name], origins[name]] = [v, 'env'];
  }
  for (const [name, knob] of Object.entries(KNOBS) as [KnobName, Knob][]) {
    const flag = kebab(name);
    let raw = flags[flag];
    if (knob.kind === 'boolean' && flags[`no-${flag}`]) raw = false;
    if (raw === undefined) continue;
    const v = coerce(name, knob, raw, `flag --${flag}`, problems);
    if (v !== undefined) [values[name], origins[name]] = [v, 'flag'];
  }
  if ([values.mergedU2iWeight, values.mergedU2uWeight, values.mergedI2iWeight].every((w) => w === 0))
    problems.push('merged recall: at least one of --merged-u2i-weight, --merged-u2u-weight, --merged-i2i-weight must be > 0');
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: Object.freeze(values) as Config, positionals: parsed.positionals, help: Boolean(flags.help), origins };
}

/** One line per knob, for printing at start (values that differ from the default are marked). */
export function describeConfig(loaded: LoadedConfig): string {
  const lines = Object.keys(KNOBS).map((name) => {
    const origin = loaded.origins[name as KnobName];
    const value = loaded.config[name as KnobName];
    return `  ${name.padEnd(24)} ${String(value ?? '-').padEnd(14)}${origin === 'default' ? '' : ` (${origin})`}`;
  });
  return `config:\n${lines.join('\n')}`;
}

/** Help text for the flags: `--kebab-name  description (default; env)`. */
export function flagHelp(): string {
  return (Object.entries(KNOBS) as [string, Knob][])
    .map(([name, knob]) => {
      const kind = typeof knob.kind === 'string' ? knob.kind : knob.kind.enum.join('|');
      const def = knob.default === undefined ? '' : ` [default ${String(knob.default)}]`;
      return `  --${kebab(name).padEnd(26)} ${kind.padEnd(10)} ${knob.description}${def}\n  ${''.padEnd(28)}env ${envName(name)}`;
    })
    .join('\n');
}

/** The configuration table of README.md / OPERATIONS.md, generated so that it cannot drift. */
export function configMarkdownTable(): string {
  const rows = (Object.entries(KNOBS) as [string, Knob][]).map(([name, knob]) => {
    const kind = typeof knob.kind === 'string' ? knob.kind : knob.kind.enum.join(' \\| ');
    return (
      `| \`--${kebab(name)}\` | \`${envName(name)}\` | ${kind} | ${knob.default === undefined ? '—' : `\`${String(knob.default)}\``} | ` +
      `${knob.description} |`
    );
  });
  return ['| flag | env | type | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
