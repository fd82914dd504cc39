// `micstream train`: wires source -> pipeline -> learner -> snapshots -> publish and the recall API, and reports.
import { fromEvent, lastValueFrom, of, takeUntil, tap } from 'rxjs';
import { selectBackend } from '../backend/selectBackend.js';
import type { Config } from '../config/config.js';
import { HoldoutSet, holdoutFractionFor } from '../measure/holdout.js';
import { PrequentialEvaluator } from '../measure/prequential.js';
import type { OnlineLearner } from '../learner/onlineLearner.js';
import { Instrumentation } from '../metrics/instrumentation.js';
import { Metrics } from '../metrics/metrics.js';
import { trainingPipeline } from '../pipeline/trainingPipeline.js';
import { Checkpointer } from '../pipeline/checkpointer.js';
import { startingLearner } from './checkpoints.js';
import { writerLease } from './writerLeaseStart.js';
import { VersionHandOn } from './versionHandOn.js';
import { startRecallApi } from './recallApiStart.js';
import { openTrainSource } from './trainSource.js';
import { u2iBlendSummary, type TrainSummary } from './trainSummary.js';
import type { RecallApi } from '../serve/recallServer.js';
import { mergedOptionsFromConfig } from '../index/mergedRecall.js';
import { RecallService, type SnapshotProvider } from '../serve/recallService.js';
import { RecallThread } from '../serve/recallThread.js';
import { FileDeadLetterSink, MemoryDeadLetterSink } from '../sources/deadLetter.js';
import { FlowGate } from '../sources/flowGate.js';
import { createLogger, type Logger } from '../log/logger.js';
import { logInstrumentationErrors } from '../log/instrumentationLog.js';
import { settledBefore } from '../util/deadline.js';

const NOTHING_SEEN: ReadonlySet<string> = new Set();

/** Steps between readings of the entity-state sizes (an O(ids) walk; memory changes slowly). */
const ENTITY_SIZES_EVERY_STEPS = 50;

export interface TrainHandle {
  summary: TrainSummary;
  server: RecallApi;
  learner: OnlineLearner;
  url: string;
  close(): Promise<void>;
}

export interface TrainOptions {
  /**
   * Called when this learner loses the writer lease (after it is fenced: it publishes nothing any
   * more). The CLI exits at once: a drain would write a checkpoint and commit offsets that the new
   * writer does not expect.
   */
  onLeaseLost?: () => void;
}

/**
 * `micstream train`: the always-on job. Source -> pipeline -> learner -> indexes -> recall API.
 * Resolves when the source has ended (the server keeps serving until `close`).
 */
export async function runTrain(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel, format: config.logFormat }),
  signal?: AbortSignal,
  options: TrainOptions = {},
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
  // Set when the pipeline fails for good: readiness fails from then on.
  let fatal: unknown = null;
  // The learner once it exists: the API listens first (liveness while a standby waits, and while a checkpoint is restored).
  let learnerRef: OnlineLearner | null = null;
  const liveLearner: SnapshotProvider = {
    get snapshot() {
      return learnerRef?.snapshot ?? null;
    },
    seenItems: (userId) => learnerRef?.seenItems(userId) ?? NOTHING_SEEN,
  };
  // The recall API on its own thread by default: a training step never delays a request.
  const { api: server, url } = await startRecallApi(
    config,
    logger,
    metrics.registry,
    config.apiThread === 'worker' ? null : { provider: liveLearner, isReady: () => liveLearner.snapshot !== null && fatal === null },
  );
  // Versions are handed to an API on its own thread; one on this thread reads the learner directly.
  const thread = server instanceof RecallThread ? server : null;
  logger.info({ url, readiness: `${url}/readyz` }, 'recall API listening');

  // One writer: with a Kafka source, wait (a hot standby) until this learner holds the writer lease,
  // before it restores, trains or joins the interactions group.
  let lease: Awaited<ReturnType<typeof writerLease>>;
  let starting: Awaited<ReturnType<typeof startingLearner>>;
  try {
    lease = await writerLease(config, logger, signal);
    starting = await startingLearner(config, logger, instrumentation);
  } catch (error) {
    await server.close();
    metrics.close();
    throw error;
  }
  const { learner, store: checkpoints, position, writerEpoch } = starting;
  learnerRef = learner;
  const memorySink = new MemoryDeadLetterSink();
  const prequential = new PrequentialEvaluator({
    k: config.prequentialK,
    sampleRate: config.prequentialSampleRate,
    seed: config.seed,
    windowEvents: 5000,
  });
  // The live prequential HR@K and the hold-out rank what GET /v1/recall/u2i answers (the generic list included).
  const liveRecall = new RecallService(learner, mergedOptionsFromConfig(config));
  const rank = (userId: string, k: number) => liveRecall.served('u2i', userId, k);

  const opened = openTrainSource(config, {
    gate,
    instrumentation,
    logger,
    position,
    checkpoints: checkpoints !== null,
    fallbackDeadLetter: config.deadLetterFile ? new FileDeadLetterSink(config.deadLetterFile, memorySink) : memorySink,
  });
  const { kind, kafka, publisher, positions, deadLetter, adapter: recordAdapter, name: sourceName } = opened;
  const holdout = new HoldoutSet(holdoutFractionFor(config.holdoutFraction, kind), config.seed);
  let source = opened.records;
  // Graceful stop (SIGINT/SIGTERM): the source ends, what is in flight is trained and committed.
  if (signal) source = source.pipe(takeUntil(signal.aborted ? of(true) : fromEvent(signal, 'abort')));
  const leaseLost = new AbortController();
  if (lease) source = source.pipe(takeUntil(fromEvent(leaseLost.signal, 'abort')));

  const versions = new VersionHandOn({ learner, publisher, thread, writerEpoch, instrumentation, logger });
  lease?.lease.onLost((reason) => {
    // Fenced: another learner holds the writer lease; nothing is published, checkpointed or committed from now on.
    versions.fence();
    logger.error({ reason, writerEpoch }, 'writer lease lost: this learner stops writing (another learner is the writer now)');
    thread?.markFailed();
    checkpointer?.fence();
    leaseLost.abort();
    options.onLeaseLost?.();
  });

  // A restored snapshot is served before the first step (ready at once), and published again (same
  // version: replicas that hold it keep it) in case the crash came before its publish.
  if (learner.snapshot) {
    versions.request();
    await versions.servingIdle();
    logger.info({ version: learner.snapshot.version }, 'serving the restored index');
  }
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
      if (e.step % ENTITY_SIZES_EVERY_STEPS === 1) instrumentation.emit('entity.sizes', learner.entities.sizes());
    }),
    instrumentation.on('consumer.rebalance', (e) => {
      joined = true;
      logger.info({ group: config.kafkaGroupId, partitions: e.partitions }, `kafka: joined group ${config.kafkaGroupId}`);
    }),
    offErrorLogs,
    instrumentation.on('index.published', (e) => {
      indexVersion = e.version;
      versions.request();
    }),
  ];
  const checkpointer = checkpoints
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
          records: recordAdapter,
        },
        {
          batchSize: config.batchSize,
          batchMaxWaitMs: config.batchMaxWaitMs,
          indexRefreshSteps: config.indexRefreshSteps,
          indexRefreshMs: config.indexRefreshMs,
          maxConsecutiveStepFailures: config.maxConsecutiveStepFailures,
          maxEventFutureMs: config.maxEventFutureMs,
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
    if (!(await settledBefore(versions.publishingIdle(), deadline))) logger.warn('drain: the last index publish did not finish in time');
    // Leaving the lease group passes the lease on at once (a standby would otherwise wait for this session to time out).
    if (lease && !versions.isFenced) {
      const released = (async () => {
        await lease.lease.release();
        await lease.connection.close();
      })();
      if (!(await settledBefore(released, deadline)))
        logger.warn('drain: the writer lease was not released in time (a standby takes over after the session timeout)');
    }
    // The API serves the last version before `train` resolves (what was trained is what is answered).
    await versions.servingIdle();
    for (const off of offRecords) off();
  }

  if (fatal !== null) {
    thread?.markFailed();
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
    publishedIndexes: versions.published,
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
