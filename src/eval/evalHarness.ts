import { createHash } from 'node:crypto';
import type { InteractionEvent } from '../events/interactionEvent.js';
import type { Config } from '../config/config.js';
import { OnlineLearner } from '../learner/onlineLearner.js';
import { learnerOptionsFromConfig } from '../learner/learnerOptions.js';
import { ABLATIONS, type Ablation } from '../learner/micOptions.js';
import { mergedOptionsFromConfig } from '../index/mergedRecall.js';
import { RecallService, type Channel } from '../serve/recallService.js';
import { similarItems } from '../index/itemNeighbours.js';
import { unseenGeneric } from '../index/genericItems.js';
import { Rng } from '../util/random.js';
import { CosineNeighbours, PopularityRanker } from './baselines.js';
import { EMPTY_SET, i2iHitRate, u2iMetrics, u2uRecall } from '../measure/channelMetrics.js';
import type { PrequentialWindow } from '../measure/prequential.js';
import { replayTestThenTrain } from '../pipeline/testThenTrain.js';
import { PREQUENTIAL_WINDOW_EVENTS, PrequentialChecks, streamingPrequential, type PrequentialChannel } from './prequentialRuns.js';
import { SlidingWindowPopularity, StreamingCooccurrence, StreamingUserCF, type StreamingRanker } from './streamingBaselines.js';
import { itemsThroughNeighbours } from '../index/userNeighbours.js';
import { consecutivePairs, itemsByUser, temporalSplit } from './temporalSplit.js';

export const EVAL_KS = [10, 20, 50] as const;
export const BASELINES = [
  'random',
  'pop',
  'pop_recent',
  'itemknn',
  'itemcf_i2i',
  'usercf_u2u',
  'pop_stream',
  'itemknn_stream',
  'usercf_stream',
] as const;
/** Baselines measured only prequentially (test-then-train over the training stream, like the learner). */
const STREAMING_BASELINES: readonly string[] = ['pop_stream', 'itemknn_stream', 'usercf_stream'];
export type ModelName = (typeof BASELINES)[number] | Ablation;
/** Name under which a ladder rung's multi-epoch result is reported, e.g. `mic@3ep`. */
export type RunName = ModelName | `${Ablation}@${number}ep`;
export const ALL_MODELS: readonly ModelName[] = [...BASELINES, ...ABLATIONS];

export type ChannelMetrics = Record<string, number>;
/**
 * The measured channels; `merged` is the serving-time fusion of the other three, scored like U2I;
 * `prequential` is the test-then-train HR@K over the training stream per channel (`hr` for U2I,
 * `merged/hr`, `i2i/hr`, `u2u/hr`; src/eval/prequentialRuns.ts).
 */
export const EVAL_CHANNELS = ['u2i', 'i2i', 'u2u', 'merged', 'prequential'] as const;
export type EvalChannel = (typeof EVAL_CHANNELS)[number];
export interface ModelRun {
  seed: number;
  channels: Partial<Record<EvalChannel, ChannelMetrics>>;
  /** HR@K per window of the training stream, per channel checked. */
  prequential?: Partial<Record<PrequentialChannel, PrequentialWindow[]>>;
  trainSeconds?: number;
  /** Learned models: the U2I user blend served when the channels were measured (--u2i-user-blend). */
  u2iBlend?: number;
  /** Learned models: the popularity prior's beta per user segment served when the channels were measured (--popularity-prior). */
  priorBeta?: Record<string, number>;
  /** The serving choices at the end of the pass (generic lists, merged fusion per segment, I2I and U2U fusion weights), for the report. */
  choices?: {
    generic: ReturnType<OnlineLearner['genericListStats']>;
    merged: ReturnType<OnlineLearner['mergedFusionStats']>;
    i2i: ReturnType<OnlineLearner['i2iFusionStats']>;
    u2u: ReturnType<OnlineLearner['u2uFusionStats']>;
  };
}

export interface EvalOptions {
  trainFraction: number;
  /** Where the test period ends (1 = the end of the data; < 1 = a validation split, e.g. 0.6 / 0.8). */
  endFraction?: number;
  seeds: number[];
  models: readonly ModelName[];
  /**
   * Training passes over the training split. 1 = the protocol's single streaming pass; with E > 1
   * each rung is measured after pass 1 (reported as usual) and after pass E (reported as `<rung>@Eep`).
   */
  epochs?: number;
  /** Window of the recent-popularity baseline, in training events. */
  recentWindow: number;
  /** Config for the learned models (the --model knob is overridden per ladder rung). */
  config: Config;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface EvalData {
  train: InteractionEvent[];
  test: InteractionEvent[];
  testUsers: number;
  coldTestUsers: number;
  testPairs: number;
  datasetHash: string;
}

export function hashEvents(events: readonly InteractionEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(`${e.userId}\t${e.itemId}\t${e.timestamp}\n`);
  return h.digest('hex');
}

/** The user groups every per-user metric is reported for: all (no suffix), warm and cold. */
function userSegments(isWarm: (u: string) => boolean): [string, ((u: string) => boolean) | undefined][] {
  return [
    ['', undefined],
    ['/warm', isWarm],
    ['/cold', (u) => !isWarm(u)],
  ];
}

/** Every U2I metric for all, warm and cold test users, keyed "recall@20", "ndcg@10/warm", … */
function u2iAll(
  testItems: Map<string, Set<string>>,
  seen: (u: string) => ReadonlySet<string>,
  rank: (u: string, k: number) => readonly string[] | null,
  isWarm: (u: string) => boolean,
): ChannelMetrics {
  const out: ChannelMetrics = {};
  for (const [segment, filter] of userSegments(isWarm)) {
    const r = u2iMetrics({ testItems, trainSeen: seen, rank, ks: EVAL_KS, ...(filter ? { users: filter } : {}) });
    for (const k of EVAL_KS) {
      out[`recall@${k}${segment}`] = r.recall[k]!;
      out[`ndcg@${k}${segment}`] = r.ndcg[k]!;
    }
    out[`users${segment}`] = r.users;
  }
  return out;
}

/**
 * The evaluation protocol: events in time order, one streaming pass over the first
 * `trainFraction`, all channels measured on the rest (docs/EVALUATION.md). Learned models are
 * trained with count-only micro-batches (no timers) so that a seed reproduces exactly.
 */
export async function runEvaluation(
  events: readonly InteractionEvent[],
  options: EvalOptions,
): Promise<{ data: EvalData; runs: Map<RunName, ModelRun[]> }> {
  const { train, test } = temporalSplit(events, options.trainFraction, options.endFraction ?? 1);
  const trainItems = itemsByUser(train);
  const testItems = itemsByUser(test);
  const seen = (u: string) => trainItems.get(u) ?? EMPTY_SET;
  const isWarm = (u: string) => trainItems.has(u);
  const pairs = consecutivePairs(test);
  const data: EvalData = {
    train,
    test,
    testUsers: testItems.size,
    coldTestUsers: [...testItems.keys()].filter((u) => !isWarm(u)).length,
    testPairs: pairs.length,
    datasetHash: hashEvents(events),
  };
  const runs = new Map<RunName, ModelRun[]>();
  const catalogue = [...new Set(train.map((e) => e.itemId))];
  const pop = new PopularityRanker(train);
  const learned = options.models.filter((m): m is Ablation => (ABLATIONS as readonly string[]).includes(m));
  const baselines = options.models.filter((m) => !(ABLATIONS as readonly string[]).includes(m));
  const total = baselines.length + learned.length * options.seeds.length;
  let done = 0;
  const tick = (label: string) => options.onProgress?.(++done, total, label);

  let itemSim: CosineNeighbours | null = null;
  const itemSimilarity = () => (itemSim ??= new CosineNeighbours(trainItems.values()));
  for (const model of baselines) {
    const channels: ModelRun['channels'] = {};
    switch (model) {
      case 'random': {
        const rng = new Rng(options.seeds[0] ?? 1);
        channels.u2i = u2iAll(
          testItems,
          seen,
          (u, k) => {
            const s = seen(u);
            const pool = catalogue.filter((i) => !s.has(i));
            for (let i = pool.length - 1; i > 0; i--) {
              const j = rng.int(i + 1);
              [pool[i], pool[j]] = [pool[j]!, pool[i]!];
            }
            return pool.slice(0, k);
          },
          isWarm,
        );
        break;
      }
      case 'pop':
        channels.u2i = u2iAll(testItems, seen, (u, k) => pop.rank(k, seen(u)), isWarm);
        break;
      case 'pop_recent': {
        // Recent counts, ties by lifetime counts (the reference protocol, ../shared/datasets/README.md).
        const recent = new PopularityRanker(train.slice(-options.recentWindow), train);
        channels.u2i = u2iAll(testItems, seen, (u, k) => recent.rank(k, seen(u)), isWarm);
        break;
      }
      case 'itemknn':
        channels.u2i = u2iAll(
          testItems,
          seen,
          (u, k) => itemSimilarity().scoreFromProfile(seen(u), k, seen(u)) ?? pop.rank(k, seen(u)),
          isWarm,
        );
        break;
      case 'itemcf_i2i':
        channels.i2i = prefixed(
          'hr',
          i2iHitRate(
            pairs,
            (i, k) =>
              itemSimilarity()
                .neighbours(i, k)
                ?.map((n) => n.id) ?? null,
            EVAL_KS,
          ),
        );
        break;
      case 'usercf_u2u': {
        const usersOfItem = new Map<string, Set<string>>();
        for (const e of train) usersOfItem.set(e.itemId, (usersOfItem.get(e.itemId) ?? new Set()).add(e.userId));
        const userSim = new CosineNeighbours(usersOfItem.values());
        channels.u2u = u2uChannel(
          testItems,
          seen,
          (u, k) => userSim.neighbours(u, k),
          isWarm,
          (u, k) => pop.rank(k, seen(u)),
        );
        break;
      }
    }
    let prequentialWindows: ModelRun['prequential'];
    if (STREAMING_BASELINES.includes(model)) {
      const ranker: StreamingRanker =
        model === 'pop_stream'
          ? new SlidingWindowPopularity(options.recentWindow)
          : model === 'itemknn_stream'
            ? new StreamingCooccurrence(options.config.historyLength)
            : new StreamingUserCF(options.config.historyLength, options.recentWindow);
      const measured = await streamingPrequential(ranker, train, options.config, options.seeds[0] ?? options.config.seed);
      channels.prequential = measured.channel;
      prequentialWindows = measured.windows;
    }
    runs.set(model, [{ seed: 0, channels, ...(prequentialWindows ? { prequential: prequentialWindows } : {}) }]);
    tick(model);
  }

  const epochs = options.epochs ?? 1;
  for (const model of learned) {
    const list: ModelRun[] = [];
    const later: ModelRun[] = [];
    for (const seed of options.seeds) {
      const [first, last] = await evaluateLearned(model, seed, data, options, { trainItems, testItems, pairs, seen, isWarm });
      list.push(first);
      if (last) later.push(last);
      tick(`${model} seed ${seed}`);
    }
    runs.set(model, list);
    if (later.length) runs.set(`${model}@${epochs}ep`, later);
  }
  return { data, runs };
}

function prefixed(name: string, byK: Record<number, number>): ChannelMetrics {
  return Object.fromEntries(Object.entries(byK).map(([k, v]) => [`${name}@${k}`, v]));
}

function u2uChannel(
  testItems: Map<string, Set<string>>,
  seen: (u: string) => ReadonlySet<string>,
  neighbours: (u: string, k: number) => readonly { id: string; score: number }[] | null,
  isWarm: (u: string) => boolean,
  fallback?: (u: string, k: number) => string[],
): ChannelMetrics {
  const out: ChannelMetrics = {};
  for (const [segment, filter] of userSegments(isWarm)) {
    const r = u2uRecall({
      testItems,
      trainSeen: seen,
      neighbours,
      ks: EVAL_KS,
      ...(filter ? { users: filter } : {}),
      ...(fallback ? { fallback } : {}),
    });
    for (const k of EVAL_KS) out[`recall@${k}${segment}`] = r.recall[k]!;
  }
  return out;
}

/** What the learned-model evaluation reads of the split (computed once per run). */
interface LearnedContext {
  trainItems: Map<string, Set<string>>;
  testItems: Map<string, Set<string>>;
  pairs: [string, string][];
  seen: (u: string) => ReadonlySet<string>;
  isWarm: (u: string) => boolean;
}

async function evaluateLearned(
  model: Ablation,
  seed: number,
  data: EvalData,
  options: EvalOptions,
  ctx: LearnedContext,
): Promise<[ModelRun, ModelRun | null]> {
  const config = { ...options.config, model, seed } as Config;
  const epochs = options.epochs ?? 1;
  // Inline builds: the protocol waits for every refresh anyway, so a worker would only add the file round trip.
  const learner = new OnlineLearner({ ...learnerOptionsFromConfig(config), indexKind: 'hnsw', backgroundIndexBuild: false });
  // Prequential checks rank what the recall API would answer at that moment: U2I and MERGED (users
  // without a vector get the generic list), I2I for the user's previous item, U2U through the served
  // neighbours' items (the generic list where it has none, as in the held-out U2U figure).
  const live = new RecallService(learner, mergedOptionsFromConfig(config));
  const throughNeighbours = (u: string, k: number) => {
    const seen = learner.seenItems(u);
    const neighbours = live.answer('u2u', u, k);
    const items = neighbours ? itemsThroughNeighbours(neighbours, (v) => learner.seenItems(v), seen, k) : [];
    return items.length > 0 ? items : unseenGeneric(learner.snapshot?.generic, seen, k);
  };
  const batchSize = config.batchSize;
  let trainSeconds = 0;
  // Test-then-train is only meaningful on events not learned yet: the first pass, once an index serves.
  const checks = new PrequentialChecks(
    { k: config.prequentialK, sampleRate: config.prequentialSampleRate, seed, windowEvents: PREQUENTIAL_WINDOW_EVENTS },
    {
      u2i: (u, k) => live.served('u2i', u, k),
      merged: (u, k) => live.served('merged', u, k),
      i2i: (i, k) => live.served('i2i', i, k),
      u2u: throughNeighbours,
    },
    () => learner.snapshot !== null,
  );
  const prequentialProbe = checks.probe();
  const pass = async (epoch: number) => {
    const started = Date.now();
    if (epoch > 1) learner.startEpoch();
    await replayTestThenTrain(learner, data.train, {
      batchSize,
      probes: epoch === 1 ? [prequentialProbe] : [],
      afterStep: async (step) => {
        if (step === 0 || (step + 1) % config.indexRefreshSteps === 0) await learner.refreshIndex();
      },
    });
    trainSeconds += (Date.now() - started) / 1000;
  };
  await pass(1);
  checks.flush();
  // Test users' attributes are known at serving time (cold users have nothing else); nothing of the test period is learned.
  for (const e of data.test) learner.observe(e);
  const first: ModelRun = {
    seed,
    channels: {
      ...(await measureChannels(learner, ctx, config)),
      prequential: checks.channel(),
    },
    prequential: checks.windows(),
    trainSeconds,
    u2iBlend: learner.snapshot?.u2iBlend ?? 0,
    ...(learner.snapshot?.prior ? { priorBeta: { ...learner.snapshot.prior.beta } } : {}),
    choices: {
      generic: learner.genericListStats(),
      merged: learner.mergedFusionStats(),
      i2i: learner.i2iFusionStats(),
      u2u: learner.u2uFusionStats(),
    },
  };
  let last: ModelRun | null = null;
  if (epochs > 1) {
    for (let epoch = 2; epoch <= epochs; epoch++) await pass(epoch);
    last = { seed, channels: await measureChannels(learner, ctx, config), trainSeconds, u2iBlend: learner.snapshot?.u2iBlend ?? 0 };
  }
  await learner.close();
  return [first, last];
}

async function measureChannels(learner: OnlineLearner, ctx: LearnedContext, config: Config): Promise<ModelRun['channels']> {
  const snap = await learner.refreshIndex();
  // Every channel is scored on what the recall API answers (RecallService), with the training
  // split as every user's seen items; an id the API does not know (404) ranks nothing.
  const service = new RecallService({ snapshot: snap, seenItems: ctx.seen }, mergedOptionsFromConfig(config));
  const ids = (channel: Channel) => (id: string, k: number) => service.served(channel, id, k);
  // U2U needs the neighbours' similarities, not only their ids.
  const neighbours = (id: string, k: number) => service.answer('u2u', id, k);
  const channels: ModelRun['channels'] = {};
  channels.u2i = u2iAll(ctx.testItems, ctx.seen, ids('u2i'), ctx.isWarm);
  // Served I2I, and the towers' nearest items alone (what the co-occurrence fusion adds, and the towers' own quality).
  const towersOnly = (id: string, k: number) => similarItems({ items: snap.items }, id, k, new Set([id]))?.map((n) => n.id) ?? null;
  channels.i2i = {
    ...prefixed('hr', i2iHitRate(ctx.pairs, ids('i2i'), EVAL_KS)),
    ...prefixed('towers/hr', i2iHitRate(ctx.pairs, towersOnly, [20])),
  };
  // U2U recommends through the served neighbours' training items. A user the channel cannot answer
  // (no vector, no recent items) gets what the learner serves such users, its generic list, as the
  // reference User-CF falls back to popularity.
  const generic = (u: string, k: number) => unseenGeneric(snap.generic, ctx.seen(u), k);
  channels.u2u = u2uChannel(ctx.testItems, ctx.seen, neighbours, ctx.isWarm, generic);
  channels.merged = u2iAll(ctx.testItems, ctx.seen, ids('merged'), ctx.isWarm);
  return channels;
}
