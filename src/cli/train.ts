// `micstream train`: wires source -> pipeline -> learner -> snapshots -> publish and the recall API, and reports.
import { fromEvent, lastValueFrom, of, takeUntil, tap } from 'rxjs';
import type { Observable } from 'rxjs';
import { selectBackend } from '../backend/selectBackend.js';
import type { Config } from '../config/config.js';
import { HoldoutSet, type HoldoutResult } from '../measure/holdout.js';
import { PrequentialEvaluator } from '../measure/prequential.js';
import type { OnlineLearner } from '../learner/onlineLearner.js';
import { Instrumentation } from '../metrics/instrumentation.js';
import { Metrics } from '../metrics/metrics.js';
import { trainingPipeline } from '../pipeline/trainingPipeline.js';
import { Checkpointer, type SourcePositions } from '../pipeline/checkpointer.js';
import { SequencedRecords } from '../sources/sequencedRecords.js';
import { startingLearner, type SourcePosition } from './checkpoints.js';
import { RecallServer } from '../serve/recallServer.js';
import { mergedOptionsFromConfig } from '../serve/mergedRecall.js';
import { RecallService } from '../serve/recallService.js';
import { FileDeadLetterSink, MemoryDeadLetterSink, type DeadLetterSink } from '../sources/deadLetter.js';
import { fileReplaySource } from '../sources/fileReplaySource.js';
import { ConfigError } from '../errors.js';
import { FlowGate } from '../sources/flowGate.js';
import { syntheticSource } from '../sources/syntheticSource.js';
import { kafkaConnection, topologyFromConfig } from '../kafka/connectionFromConfig.js';
import { KafkaSource } from '../kafka/kafkaSource.js';
import { KafkaDeadLetterSink } from '../kafka/kafkaDeadLetterSink.js';
import { topicFor } from '../kafka/topology.js';
import type { KafkaConnection } from '../kafka/kafkaConnection.js';
import { IndexPublisher } from '../publish/indexPublisher.js';
import type { RecordAdapter } from '../pipeline/trainingPipeline.js';
import { createLogger, type Logger } from '../log/logger.js';
import { logInstrumentationErrors } from '../log/instrumentationLog.js';
import { settledBefore } from '../util/deadline.js';

export interface TrainSummary {
  backend: string;
  source: string;
  records: number;
  /** Trained events in total, the restored checkpoint's included. */
  trainedEvents: number;
  /** Trained events the restored checkpoint covered (0 without one). */
  restoredEvents: number;
  heldOutEvents: number;
  invalidEvents: number;
  invalidByReason: Record<string, number>;
  steps: number;
  seconds: number;
  eventsPerSecond: number;
  finalLoss: number;
  indexVersion: number;
  indexedUsers: number;
  indexedItems: number;
  holdout: HoldoutResult;
  prequential: { k: number; trials: number; hitRate: number };
  /** Blend of the attribute-only user vector in the served U2I queries, and the auto mode's evidence. */
  u2iBlend: { mode: string; served: number; checks: number; hitRates: { blend: number; hitRate: number }[] | null };
  peakInFlight: number;
  publishedIndexes: number;
  embeddingRows: number;
  embeddingBytes: number;
}

export interface TrainHandle {
  summary: TrainSummary;
  server: RecallServer;
  learner: OnlineLearner;
  url: string;
  close(): Promise<void>;
}

/**
 * `micstream train`: the always-on job. Source -> pipeline -> learner -> indexes -> recall API.
 * Resolves when the source has ended (the server keeps serving until `close`).
 */
export async function runTrain(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel, format: config.logFormat }),
  signal?: AbortSignal,
): Promise<TrainHandle> {
  const backend = await selectBackend(config.backend, { intraOpThreads: config.tfThreads });
  for (const s of backend.skipped) logger.info({ backend: s.backend, reason: s.reason }, `backend: ${s.backend} unavailable`);
  logger.info({ backend: backend.backend, engine: backend.engineName }, `backend: using ${backend.backend}`);
  for (const n of backend.notes) logger.warn({ backend: backend.backend }, `backend: ${n}`);

  let abortedAt: number | null = null;
  signal?.addEventListener('abort', () => (abortedAt = Date.now()), { once: true });
  const instrumentation = new Instrumentation();
  const gate = new FlowGate(config.maxInFlight);
  const metrics = new Metrics(instrumentation, { inFlight: () => gate.inFlight });
  const { learner, store: checkpoints, position, writerEpoch } = await startingLearner(config, logger, instrumentation);
  const memorySink = new MemoryDeadLetterSink();
  let deadLetter: DeadLetterSink = config.deadLetterFile ? new FileDeadLetterSink(config.deadLetterFile, memorySink) : memorySink;
  const holdout = new HoldoutSet(config.holdoutFraction, config.seed);
  const prequential = new PrequentialEvaluator({
    k: config.prequentialK,
    sampleRate: config.prequentialSampleRate,
    seed: config.seed,
    windowEvents: 5000,
  });
  // The live prequential HR@K and the hold-out rank what GET /v1/recall/u2i answers (the generic list included).
  const liveRecall = new RecallService(learner, mergedOptionsFromConfig(config));
  const rank = (userId: string, k: number) => liveRecall.served('u2i', userId, k);

  const kind = config.source === 'auto' ? (config.data ? 'file' : 'synthetic') : config.source;
  let source: Observable<unknown>;
  let sourceName: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an adapter of whatever record type the source emits
  let recordAdapter: RecordAdapter<any> | undefined;
  let kafka: { connection: KafkaConnection; source: KafkaSource } | null = null;
  let publisher: IndexPublisher | null = null;
  let positions: SourcePositions | null = null;
  // A source without positions of its own is numbered; a restored checkpoint's count is skipped.
  const sequenceFrom = (name: string): SequencedRecords => {
    const skip = position?.kind === 'records' && position.source === name ? position.records : 0;
    if (position && skip === 0)
      logger.warn(
        { checkpointSource: position, source: name },
        'checkpoints: the checkpoint was taken on another source; reading this one from its start',
      );
    const sequence = new SequencedRecords(name, skip);
    recordAdapter = sequence.adapter;
    positions = { capture: (): SourcePosition => ({ kind: 'records', source: name, records: sequence.position }) };
    return sequence;
  };
  if (kind === 'kafka') {
    if (position && position.kind !== 'kafka')
      logger.warn(
        { checkpointSource: position },
        'checkpoints: the checkpoint was taken on another source; reading the topic from the group offsets',
      );
    const connection = kafkaConnection(config);
    const topology = topologyFromConfig(config);
    const topic = config.topic ?? topicFor(topology, 'interactions').name;
    const kafkaSource = new KafkaSource(
      connection,
      {
        topic,
        groupId: config.kafkaGroupId,
        fromBeginning: config.kafkaFromBeginning,
        commitIntervalMs: config.kafkaCommitIntervalMs,
        sessionTimeoutMs: config.kafkaSessionTimeoutMs,
        restartBackoffMs: 1000,
        // With checkpoints, offsets are committed only once a checkpoint covering them is durable.
        commits: checkpoints ? 'checkpoint' : 'interval',
        ...(position?.kind === 'kafka' ? { resumeAt: position.offsets } : {}),
      },
      gate,
      instrumentation,
    );
    kafka = { connection, source: kafkaSource };
    source = kafkaSource.records();
    recordAdapter = kafkaSource.adapter;
    positions = {
      capture: (): SourcePosition => ({ kind: 'kafka', offsets: kafkaSource.checkpointOffsets() }),
      commit: (p: unknown) => kafkaSource.commitCheckpoint((p as Extract<SourcePosition, { kind: 'kafka' }>).offsets),
    };
    deadLetter = new KafkaDeadLetterSink(connection, topicFor(topology, 'dead-letter').name, deadLetter);
    sourceName = `kafka ${topic} (group ${config.kafkaGroupId}, brokers ${config.kafkaBrokers})`;
    if (config.publishIndex ?? true)
      publisher = new IndexPublisher(connection, topicFor(topology, 'recall-index').name, config.indexChunkBytes);
  } else if (kind === 'file') {
    if (!config.data) throw new ConfigError(['source file needs --data PATH']);
    const sequence = sequenceFrom(`file:${config.data}`);
    source = sequence.number(fileReplaySource(config.data, gate, undefined, sequence.position));
    sourceName = `file ${config.data}`;
  } else {
    const sequence = sequenceFrom(`synthetic:seed=${config.seed},events=${config.syntheticEvents},drift=${config.driftAt ?? 'none'}`);
    source = syntheticSource(
      {
        events: config.syntheticEvents,
        users: config.syntheticUsers,
        items: config.syntheticItems,
        clusters: config.syntheticClusters,
        seed: config.seed,
        ...(config.driftAt !== undefined ? { driftAt: config.driftAt } : {}),
      },
      gate,
      sequence.position,
    ).pipe(sequence.number.bind(sequence));
    sourceName = `synthetic (${config.syntheticEvents} events, ${config.syntheticUsers} users, ${config.syntheticItems} items)`;
  }
  // Graceful stop (SIGINT/SIGTERM): the source ends, what is in flight is trained and committed.
  if (signal) source = source.pipe(takeUntil(signal.aborted ? of(true) : fromEvent(signal, 'abort')));

  const service = new RecallService(learner, mergedOptionsFromConfig(config));
  const server = new RecallServer({
    host: config.host,
    port: config.port,
    maxConnections: config.maxConnections,
    headersTimeoutMs: config.headersTimeoutMs,
    service,
    registry: metrics.registry,
    isReady: () => learner.snapshot !== null && fatal === null,
    onInternalError: (error, request) => logger.error({ url: request.url, err: error }, 'recall request failed with an internal error'),
  });
  // Set when the pipeline fails for good: readiness fails from then on.
  let fatal: unknown = null;
  const address = await server.listen();
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, readiness: `${url}/readyz` }, 'recall API listening');
  logger.info({ source: sourceName }, 'source');
  const offErrorLogs = logInstrumentationErrors(instrumentation, logger);

  let joined = false;
  // Say what a restarted learner waits for: after a crash the dead member holds the partitions until its session times out.
  const joinWait =
    kind === 'kafka'
      ? setInterval(() => {
          if (joined) return clearInterval(joinWait!);
          logger.info(
            { group: config.kafkaGroupId, sessionTimeoutMs: config.kafkaSessionTimeoutMs },
            'kafka: waiting for the group to assign partitions (a member that died holds them until its session times out)',
          );
        }, 5000)
      : null;
  joinWait?.unref();
  let records = 0;
  let finalLoss = Number.NaN;
  let steps = 0;
  let indexVersion = 0;
  const offRecords = [
    instrumentation.on('event.invalid', () => records++),
    instrumentation.on('event.holdout', () => records++),
    instrumentation.on('trainer.step', (e) => {
      records += e.events;
      finalLoss = e.loss;
      steps = e.step;
      instrumentation.emit('store.size', { rows: learner.store.size, bytes: learner.store.memoryBytes });
    }),
    instrumentation.on('consumer.rebalance', (e) => {
      joined = true;
      logger.info({ group: config.kafkaGroupId, partitions: e.partitions }, `kafka: joined group ${config.kafkaGroupId}`);
    }),
    offErrorLogs,
    instrumentation.on('index.published', (e) => {
      indexVersion = e.version;
      if (publisher) publishLatest();
    }),
  ];
  // One publish at a time; a version that arrives meanwhile replaces the queued one (latest wins).
  let publishing: Promise<void> | null = null;
  let publishQueued = false;
  let published = 0;
  const publishLatest = (): void => {
    if (publishing) {
      publishQueued = true;
      return;
    }
    const publishable = learner.publishable();
    if (!publishable || !publisher) return;
    const index = { ...publishable, writerEpoch };
    publishing = publisher
      .publish(index)
      .then(() => {
        published++;
        logger.info({ version: index.version, users: index.users.ids.length, items: index.items.ids.length }, 'published index version');
      })
      .catch((error: unknown) => instrumentation.emit('index.publish_failed', { version: index.version, error }))
      .finally(() => {
        publishing = null;
        if (publishQueued) {
          publishQueued = false;
          publishLatest();
        }
      });
  };

  const checkpointer =
    checkpoints && positions
      ? new Checkpointer(checkpoints, learner, positions, instrumentation, {
          everySteps: config.checkpointEverySteps,
          everyMs: config.checkpointEveryMs,
          meta: { writerEpoch },
        })
      : null;
  offRecords.push(
    instrumentation.on('checkpoint.written', (e) =>
      logger.info(
        {
          checkpoint: e.sequence,
          reason: e.reason,
          trainedEvents: e.trainedEvents,
          bytes: e.bytes,
          captureMs: e.captureMs,
          totalMs: e.totalMs,
        },
        'checkpoint written',
      ),
    ),
  );
  // A restored snapshot is published again (same version: replicas that hold it keep it), in case the crash came before its publish.
  if (learner.snapshot && publisher) publishLatest();

  const started = Date.now();
  const restoredEvents = learner.trainedEvents;
  let lastTrained = restoredEvents;
  let lastAt = started;
  const progress = setInterval(() => {
    const now = Date.now();
    const rate = ((learner.trainedEvents - lastTrained) * 1000) / Math.max(1, now - lastAt);
    [lastTrained, lastAt] = [learner.trainedEvents, now];
    logger.info(
      {
        trained: learner.trainedEvents,
        eventsPerSecond: Math.round(rate),
        loss: Number(finalLoss.toFixed(4)),
        indexVersion,
        [`prequentialHR@${config.prequentialK}`]: Number(prequential.hitRate.toFixed(4)),
        invalid: memorySink.count,
        inFlight: gate.inFlight,
      },
      'progress',
    );
  }, config.progressIntervalMs);
  progress.unref();

  try {
    await lastValueFrom(
      trainingPipeline(
        {
          source,
          gate,
          learner,
          instrumentation,
          deadLetter,
          holdout,
          prequential: { evaluator: prequential, rank },
          ...(checkpointer ? { checkpointer } : {}),
          ...(recordAdapter ? { records: recordAdapter } : {}),
        },
        {
          batchSize: config.batchSize,
          batchMaxWaitMs: config.batchMaxWaitMs,
          indexRefreshSteps: config.indexRefreshSteps,
          indexRefreshMs: config.indexRefreshMs,
          maxConsecutiveStepFailures: config.maxConsecutiveStepFailures,
          ...(learner.snapshot ? { restoredIndex: { version: learner.snapshot.version, createdAt: learner.snapshot.createdAt } } : {}),
          ...(config.maxEvents !== undefined ? { maxRecords: config.maxEvents } : {}),
        },
      ).pipe(tap((r) => r.kind === 'end' && (indexVersion = r.indexVersion))),
      { defaultValue: undefined },
    );
  } catch (error) {
    // The pipeline failed for good (trainer.fatal, logged): not ready from now on; the failing
    // batch was not acknowledged, so the stop below commits only what was trained.
    fatal = error;
  } finally {
    clearInterval(progress);
    if (joinWait) clearInterval(joinWait);
    // The drain's Kafka part (commit, leave the group, last publish) gets what is left of
    // --shutdown-timeout-ms after a signal: with the broker away kafkajs would retry past the pod's
    // grace period. The drain checkpoint is durable by now, and a restart skips what it covers.
    const deadline = (abortedAt ?? Date.now()) + config.shutdownTimeoutMs;
    if (kafka && !(await settledBefore(kafka.source.stop(), deadline)))
      logger.warn(
        { shutdownTimeoutMs: config.shutdownTimeoutMs, checkpoints: checkpointer !== null },
        checkpointer
          ? 'drain: Kafka did not answer in time; exiting without the last commit (the checkpoint covers what was trained)'
          : 'drain: Kafka did not answer in time; exiting without the last commit (records since the last commit are read again)',
      );
    const publishDone = (async () => {
      while (publishing) await publishing;
    })();
    if (!(await settledBefore(publishDone, deadline))) logger.warn('drain: the last index publish did not finish in time');
    for (const off of offRecords) off();
  }

  if (fatal !== null) {
    await server.close();
    metrics.close();
    await learner.close();
    await kafka?.connection.close();
    throw fatal;
  }

  const seconds = (Date.now() - started) / 1000;
  const snap = learner.snapshot;
  const holdoutResult = holdout.evaluate({
    k: config.evalK,
    rank,
    trainSeen: (u) => learner.seenItems(u),
    isKnownItem: (i) => snap?.items.has(i) ?? false,
    catalogueSize: snap?.items.size ?? 0,
  });
  const summary: TrainSummary = {
    backend: backend.backend,
    source: sourceName,
    records,
    trainedEvents: learner.trainedEvents,
    restoredEvents,
    heldOutEvents: holdout.size,
    invalidEvents: memorySink.count,
    invalidByReason: Object.fromEntries(memorySink.countsByReason),
    steps,
    seconds,
    eventsPerSecond: (learner.trainedEvents - restoredEvents) / Math.max(1e-9, seconds),
    finalLoss,
    indexVersion,
    indexedUsers: snap?.users.size ?? 0,
    indexedItems: snap?.items.size ?? 0,
    holdout: holdoutResult,
    prequential: { k: config.prequentialK, trials: prequential.trialCount, hitRate: prequential.hitRate },
    u2iBlend: u2iBlendSummary(config.u2iUserBlend, snap?.u2iBlend ?? 0, learner.u2iBlendStats()),
    peakInFlight: gate.peakInFlight,
    publishedIndexes: published,
    embeddingRows: learner.store.size,
    embeddingBytes: learner.store.memoryBytes,
  };
  return {
    summary,
    server,
    learner,
    url,
    async close() {
      await server.close();
      metrics.close();
      await learner.close();
      await checkpoints?.close?.();
      if (kafka && !(await settledBefore(kafka.connection.close(), (abortedAt ?? Date.now()) + config.shutdownTimeoutMs)))
        logger.warn('drain: the Kafka connection did not close in time');
    },
  };
}

export function formatSummary(s: TrainSummary, url: string): string {
  const lift = s.holdout.randomHitRate > 0 ? s.holdout.hitRate / s.holdout.randomHitRate : 0;
  const invalid = Object.entries(s.invalidByReason)
    .map(([r, n]) => `${r}=${n}`)
    .join(' ');
  const restored = s.restoredEvents ? ` after ${s.restoredEvents} restored from a checkpoint` : '';
  const blendDetail = s.u2iBlend.hitRates
    ? ` (auto over ${s.u2iBlend.checks} returning-user checks, HR@20 by blend: ` +
      `${s.u2iBlend.hitRates.map((r) => `${r.blend}=${r.hitRate.toFixed(3)}`).join(' ')})`
    : ' (fixed)';
  return [
    '=== micstream summary ===',
    `source            ${s.source}`,
    `backend           ${s.backend}`,
    `records           ${s.records} (trained ${s.trainedEvents - s.restoredEvents}${restored}, held back ${s.heldOutEvents}, ` +
      `invalid ${s.invalidEvents}${invalid ? `: ${invalid}` : ''})`,
    `training          ${s.steps} steps in ${s.seconds.toFixed(1)} s = ${s.eventsPerSecond.toFixed(0)} events/s, final loss ${s.finalLoss.toFixed(4)}`,
    `index             v${s.indexVersion}: ${s.indexedUsers} users, ${s.indexedItems} items (HNSW)`,
    `held-back recall  HR@${s.holdout.k} = ${s.holdout.hitRate.toFixed(4)} over ${s.holdout.events} held-back events (random ranking ` +
      `${s.holdout.randomHitRate.toFixed(4)}, lift ${lift.toFixed(1)}x)`,
    `prequential       HR@${s.prequential.k} = ${s.prequential.hitRate.toFixed(4)} over ${s.prequential.trials} test-then-train checks`,
    `U2I user blend    ${s.u2iBlend.served}${blendDetail}`,
    `backpressure      peak ${s.peakInFlight} records in flight`,
    `embeddings        ${s.embeddingRows} rows, ${(s.embeddingBytes / 1048576).toFixed(1)} MiB`,
    `try               curl '${url}/v1/recall/u2i?user=ID&k=10'  (also /v1/recall/u2u?user=ID, /v1/recall/i2i?item=ID, /v1/recall/merged?user=ID, /metrics)`,
  ].join('\n');
}

function u2iBlendSummary(mode: string, served: number, stats: ReturnType<OnlineLearner['u2iBlendStats']>): TrainSummary['u2iBlend'] {
  return {
    mode,
    served,
    checks: stats?.checks ?? 0,
    hitRates: stats ? stats.candidates.map((blend, c) => ({ blend, hitRate: stats.hitRates[c] ?? 0 })) : null,
  };
}
