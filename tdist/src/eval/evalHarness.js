import { createHash } from 'node:crypto';
import { OnlineLearner } from '../learner/onlineLearner.js';
import { learnerOptionsFromConfig } from '../learner/learnerOptions.js';
import { ABLATIONS } from '../learner/micOptions.js';
import { mergedOptionsFromConfig } from '../index/mergedRecall.js';
import { RecallService } from '../serve/recallService.js';
import { similarItems } from '../index/itemNeighbours.js';
import { Rng } from '../util/random.js';
import { CosineNeighbours, PopularityRanker } from './baselines.js';
import { EMPTY_SET, i2iHitRate, u2iMetrics, u2uRecall } from '../measure/channelMetrics.js';
import { PrequentialEvaluator } from '../measure/prequential.js';
import { replayTestThenTrain } from '../pipeline/testThenTrain.js';
import { prequentialChannel, streamingPrequential, StreamSegments } from './prequentialRuns.js';
import { SlidingWindowPopularity, StreamingCooccurrence } from './streamingBaselines.js';
import { consecutivePairs, itemsByUser, temporalSplit } from './temporalSplit.js';
export const EVAL_KS = [10, 20, 50];
export const BASELINES = ['random', 'pop', 'pop_recent', 'itemknn', 'itemcf_i2i', 'usercf_u2u', 'pop_stream', 'itemknn_stream'];
/** Baselines measured only prequentially (test-then-train over the training stream, like the learner). */
const STREAMING_BASELINES = ['pop_stream', 'itemknn_stream'];
export const ALL_MODELS = [...BASELINES, ...ABLATIONS];
/**
 * The measured channels; `merged` is the serving-time fusion of the other three, scored like U2I;
 * `prequential` is the test-then-train HR@K over the training stream (`hr`).
 */
export const EVAL_CHANNELS = ['u2i', 'i2i', 'u2u', 'merged', 'prequential'];
export function hashEvents(events) {
    const h = createHash('sha256');
    for (const e of events)
        h.update(`${e.userId}\t${e.itemId}\t${e.timestamp}\n`);
    return h.digest('hex');
}
/** The user groups every per-user metric is reported for: all (no suffix), warm and cold. */
function userSegments(isWarm) {
    return [
        ['', undefined],
        ['/warm', isWarm],
        ['/cold', (u) => !isWarm(u)],
    ];
}
/** Every U2I metric for all, warm and cold test users, keyed "recall@20", "ndcg@10/warm", … */
function u2iAll(testItems, seen, rank, isWarm) {
    const out = {};
    for (const [segment, filter] of userSegments(isWarm)) {
        const r = u2iMetrics({ testItems, trainSeen: seen, rank, ks: EVAL_KS, ...(filter ? { users: filter } : {}) });
        for (const k of EVAL_KS) {
            out[`recall@${k}${segment}`] = r.recall[k];
            out[`ndcg@${k}${segment}`] = r.ndcg[k];
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
export async function runEvaluation(events, options) {
    const { train, test } = temporalSplit(events, options.trainFraction, options.endFraction ?? 1);
    const trainItems = itemsByUser(train);
    const testItems = itemsByUser(test);
    const seen = (u) => trainItems.get(u) ?? EMPTY_SET;
    const isWarm = (u) => trainItems.has(u);
    const pairs = consecutivePairs(test);
    const data = {
        train,
        test,
        testUsers: testItems.size,
        coldTestUsers: [...testItems.keys()].filter((u) => !isWarm(u)).length,
        testPairs: pairs.length,
        datasetHash: hashEvents(events),
    };
    const runs = new Map();
    const catalogue = [...new Set(train.map((e) => e.itemId))];
    const pop = new PopularityRanker(train);
    const learned = options.models.filter((m) => ABLATIONS.includes(m));
    const baselines = options.models.filter((m) => !ABLATIONS.includes(m));
    const total = baselines.length + learned.length * options.seeds.length;
    let done = 0;
    const tick = (label) => options.onProgress?.(++done, total, label);
    let itemSim = null;
    const itemSimilarity = () => (itemSim ??= new CosineNeighbours(trainItems.values()));
    for (const model of baselines) {
        const channels = {};
        switch (model) {
            case 'random': {
                const rng = new Rng(options.seeds[0] ?? 1);
                channels.u2i = u2iAll(testItems, seen, (u, k) => {
                    const s = seen(u);
                    const pool = catalogue.filter((i) => !s.has(i));
                    for (let i = pool.length - 1; i > 0; i--) {
                        const j = rng.int(i + 1);
                        [pool[i], pool[j]] = [pool[j], pool[i]];
                    }
                    return pool.slice(0, k);
                }, isWarm);
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
                channels.u2i = u2iAll(testItems, seen, (u, k) => itemSimilarity().scoreFromProfile(seen(u), k, seen(u)) ?? pop.rank(k, seen(u)), isWarm);
                break;
            case 'itemcf_i2i':
                channels.i2i = prefixed('hr', i2iHitRate(pairs, (i, k) => itemSimilarity()
                    .neighbours(i, k)
                    ?.map((n) => n.id) ?? null, EVAL_KS));
                break;
            case 'usercf_u2u': {
                const usersOfItem = new Map();
                for (const e of train)
                    usersOfItem.set(e.itemId, (usersOfItem.get(e.itemId) ?? new Set()).add(e.userId));
                const userSim = new CosineNeighbours(usersOfItem.values());
                channels.u2u = u2uChannel(testItems, seen, (u, k) => userSim.neighbours(u, k), isWarm, (u, k) => pop.rank(k, seen(u)));
                break;
            }
        }
        let prequentialWindows;
        if (STREAMING_BASELINES.includes(model)) {
            const ranker = model === 'pop_stream'
                ? new SlidingWindowPopularity(options.recentWindow)
                : new StreamingCooccurrence(options.config.historyLength);
            const measured = await streamingPrequential(ranker, train, options.config, options.seeds[0] ?? options.config.seed);
            channels.prequential = measured.channel;
            prequentialWindows = measured.windows;
        }
        runs.set(model, [{ seed: 0, channels, ...(prequentialWindows ? { prequential: prequentialWindows } : {}) }]);
        tick(model);
    }
    const epochs = options.epochs ?? 1;
    for (const model of learned) {
        const list = [];
        const later = [];
        for (const seed of options.seeds) {
            const [first, last] = await evaluateLearned(model, seed, data, options, { trainItems, testItems, pairs, seen, isWarm });
            list.push(first);
            if (last)
                later.push(last);
            tick(`${model} seed ${seed}`);
        }
        runs.set(model, list);
        if (later.length)
            runs.set(`${model}@${epochs}ep`, later);
    }
    return { data, runs };
}
function prefixed(name, byK) {
    return Object.fromEntries(Object.entries(byK).map(([k, v]) => [`${name}@${k}`, v]));
}
function u2uChannel(testItems, seen, neighbours, isWarm, fallback) {
    const out = {};
    for (const [segment, filter] of userSegments(isWarm)) {
        const r = u2uRecall({
            testItems,
            trainSeen: seen,
            neighbours,
            ks: EVAL_KS,
            ...(filter ? { users: filter } : {}),
            ...(fallback ? { fallback } : {}),
        });
        for (const k of EVAL_KS)
            out[`recall@${k}${segment}`] = r.recall[k];
    }
    return out;
}
async function evaluateLearned(model, seed, data, options, ctx) {
    const config = { ...options.config, model, seed };
    const epochs = options.epochs ?? 1;
    // Inline builds: the protocol waits for every refresh anyway, so a worker would only add the file round trip.
    const learner = new OnlineLearner({ ...learnerOptionsFromConfig(config), indexKind: 'hnsw', backgroundIndexBuild: false });
    const segments = new StreamSegments();
    const prequential = new PrequentialEvaluator({
        k: config.prequentialK,
        sampleRate: config.prequentialSampleRate,
        seed,
        windowEvents: 5000,
        segmentOf: segments.segmentOf,
    });
    // The same checks, sampled alike, on what GET /v1/recall/merged answers (the fused list a deployment serves).
    const prequentialMerged = new PrequentialEvaluator({ ...prequential.options });
    // Prequential checks rank what GET /v1/recall/u2i would answer at that moment (users without a vector get the generic list).
    const live = new RecallService(learner, mergedOptionsFromConfig(config));
    const rank = (u, k) => live.served('u2i', u, k);
    const rankMerged = (u, k) => live.served('merged', u, k);
    const batchSize = config.batchSize;
    let trainSeconds = 0;
    // Test-then-train is only meaningful on events not learned yet: the first pass, once an index serves.
    const serving = () => learner.snapshot !== null;
    const prequentialProbe = segments.after(prequential.probe(rank, serving), prequentialMerged.probe(rankMerged, serving));
    const pass = async (epoch) => {
        const started = Date.now();
        if (epoch > 1)
            learner.startEpoch();
        await replayTestThenTrain(learner, data.train, {
            batchSize,
            probes: epoch === 1 ? [prequentialProbe] : [],
            afterStep: async (step) => {
                if (step === 0 || (step + 1) % config.indexRefreshSteps === 0)
                    await learner.refreshIndex();
            },
        });
        trainSeconds += (Date.now() - started) / 1000;
    };
    await pass(1);
    prequential.flush();
    prequentialMerged.flush();
    // Test users' attributes are known at serving time (cold users have nothing else); nothing of the test period is learned.
    for (const e of data.test)
        learner.observe(e);
    const first = {
        seed,
        channels: {
            ...(await measureChannels(learner, ctx, config)),
            prequential: { ...prequentialChannel(prequential), ...prequentialChannel(prequentialMerged, 'merged/') },
        },
        prequential: prequential.windows,
        trainSeconds,
        u2iBlend: learner.snapshot?.u2iBlend ?? 0,
        ...(learner.snapshot?.prior ? { priorBeta: { ...learner.snapshot.prior.beta } } : {}),
        choices: { merged: learner.mergedFusionStats(), i2i: learner.i2iFusionStats(), u2u: learner.u2uFusionStats() },
    };
    let last = null;
    if (epochs > 1) {
        for (let epoch = 2; epoch <= epochs; epoch++)
            await pass(epoch);
        last = { seed, channels: await measureChannels(learner, ctx, config), trainSeconds, u2iBlend: learner.snapshot?.u2iBlend ?? 0 };
    }
    await learner.close();
    return [first, last];
}
async function measureChannels(learner, ctx, config) {
    const snap = await learner.refreshIndex();
    // Every channel is scored on what the recall API answers (RecallService), with the training
    // split as every user's seen items; an id the API does not know (404) ranks nothing.
    const service = new RecallService({ snapshot: snap, seenItems: ctx.seen }, mergedOptionsFromConfig(config));
    const ids = (channel) => (id, k) => service.served(channel, id, k);
    // U2U needs the neighbours' similarities, not only their ids.
    const neighbours = (id, k) => service.answer('u2u', id, k);
    const channels = {};
    channels.u2i = u2iAll(ctx.testItems, ctx.seen, ids('u2i'), ctx.isWarm);
    // Served I2I, and the towers' nearest items alone (what the co-occurrence fusion adds, and the towers' own quality).
    const towersOnly = (id, k) => similarItems({ items: snap.items }, id, k, new Set([id]))?.map((n) => n.id) ?? null;
    channels.i2i = {
        ...prefixed('hr', i2iHitRate(ctx.pairs, ids('i2i'), EVAL_KS)),
        ...prefixed('towers/hr', i2iHitRate(ctx.pairs, towersOnly, [20])),
    };
    // U2U recommends through the served neighbours' training items. A user the channel cannot answer
    // (no vector, no recent items) gets what the learner serves such users, its generic list, as the
    // reference User-CF falls back to popularity.
    const generic = (u, k) => {
        const seen = ctx.seen(u);
        return (snap.generic?.items ?? []).filter((item) => !seen.has(item)).slice(0, k);
    };
    channels.u2u = u2uChannel(ctx.testItems, ctx.seen, neighbours, ctx.isWarm, generic);
    channels.merged = u2iAll(ctx.testItems, ctx.seen, ids('merged'), ctx.isWarm);
    return channels;
}
//# sourceMappingURL=evalHarness.js.map