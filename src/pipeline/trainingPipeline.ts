import type { I2IFusionStats, InstrumentationEvents, MergedFusionStats, PriorStats } from '../metrics/instrumentation.js';
import { bufferTime, concatMap, concatWith, defer, filter, from, identity, map, Observable, share, take, tap } from 'rxjs';
import { rejectFutureEvent, tryDecodeEvent, type InteractionEvent } from '../events/interactionEvent.js';
import type { FlowGate } from '../sources/flowGate.js';
import type { DeadLetterSink, RecordPosition } from '../sources/deadLetter.js';
import type { Instrumentation } from '../metrics/instrumentation.js';
import type { HoldoutSet } from '../measure/holdout.js';
import type { PrequentialEvaluator, RankItems } from '../measure/prequential.js';
import { isProgrammerError } from '../util/retry.js';
import { testThenTrain } from './testThenTrain.js';
import type { TestThenTrainProbe } from '../measure/probe.js';
import type { Checkpointer } from './checkpointer.js';

/** What the pipeline needs of a learner (the OnlineLearner, or a stand-in in tests). */
export interface StreamLearner {
  learnMany(
    events: readonly InteractionEvent[],
  ): Promise<{ loss: number; terms: Record<string, number>; extrasFrom?: { worker: number; inline: number } }>;
  /** Start work for a batch that `learnMany` will get later (the same array), while a step runs. */
  prefetch?(events: readonly InteractionEvent[]): void;
  /** The learner's own test-then-train checks, run before each batch is learned. */
  readonly probes?: readonly TestThenTrainProbe[];
  /** Encode and build the indexes, resolving once the new snapshot is live. */
  refreshIndex(): Promise<RefreshedIndex>;
  /**
   * Encode now, build the indexes possibly in the background: when present, the pipeline keeps
   * training while `ready` is pending and starts no other refresh meanwhile.
   */
  startRefresh?(): Promise<{ ready: Promise<RefreshedIndex> }>;
  observe(event: InteractionEvent): void;
  readonly trainedEvents: number;
  /** Evidence of the generic-list choices, one per audience (first-time, returning users): the served list, decayed hit rate per candidate. */
  genericListStats?(): InstrumentationEvents['generic.list'][];
  /** Evidence of the auto U2I blend (null when the blend is fixed). */
  u2iBlendStats?(): { candidates: readonly number[]; hitRates: number[]; checks: number } | null;
  /** Evidence of the popularity prior per user segment: the served beta, each candidate's decayed hit rate, the checks. */
  popularityPriorStats?(): PriorStats;
  /** Evidence of the I2I co-occurrence fusion (null when its weight is fixed or it is off). */
  i2iFusionStats?(): I2IFusionStats | null;
  /** Evidence of the U2U co-consumption fusion (null when it is off). */
  u2uFusionStats?(): { weight: number; candidates: readonly number[]; hitRates: number[]; checks: number } | null;
  /** Merged recall's fusion per user segment (null when its weights are fixed). */
  mergedFusionStats?(): MergedFusionStats | null;
}

export interface RefreshedIndex {
  version: number;
  createdAt: number;
  users: { size: number };
  items: { size: number };
  /** Events trained when the index was encoded (what it serves). */
  trainedEvents?: number;
  u2iBlend?: number;
  /** The generic list served to users without a vector (its kind). */
  generic?: { kind: string } | null;
}

export interface PipelineOptions {
  batchSize: number;
  batchMaxWaitMs: number;
  indexRefreshSteps: number;
  indexRefreshMs: number;
  /** Stop after this many source records (valid or not). */
  maxRecords?: number;
  /**
   * Failed steps in a row that are still taken for bad data (dead-lettered as `step_failed`); one
   * more fails the pipeline. A programmer error (TypeError, RangeError, ...) fails it at once.
   */
  maxConsecutiveStepFailures: number;
  /** Events stamped more than this (ms) ahead of the wall clock are invalid (`timestamp_in_future`); 0 = no check. */
  maxEventFutureMs?: number;
  /**
   * The index a restored learner serves already: no refresh is forced after the first step, and
   * the refresh interval counts from its creation.
   */
  restoredIndex?: { version: number; createdAt: number };
}

/**
 * How the pipeline reads the records of a source that has positions and acknowledgements (Kafka).
 * Plain sources emit the raw record itself and need none of this.
 */
export interface RecordAdapter<T> {
  raw(item: T): unknown;
  position(item: T): RecordPosition | undefined;
  /** The records' fate is final (trained, held out, or durably dead-lettered): they may be committed. */
  ack(items: readonly T[]): void;
}

const PLAIN: RecordAdapter<unknown> = { raw: (item) => item, position: () => undefined, ack: () => {} };

export interface PipelineDeps {
  source: Observable<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an adapter of whatever record type the source emits
  records?: RecordAdapter<any>;
  gate: FlowGate;
  learner: StreamLearner;
  instrumentation: Instrumentation;
  deadLetter: DeadLetterSink;
  holdout?: HoldoutSet;
  prequential?: { evaluator: PrequentialEvaluator; rank: RankItems };
  /** Checkpoints between steps (and while idle, and at the end): see Checkpointer. */
  checkpointer?: Checkpointer;
}

export type PipelineReport =
  | { kind: 'step'; step: number; events: number; loss: number; terms: Record<string, number>; trainedEvents: number; indexVersion: number }
  | { kind: 'refresh'; trainedEvents: number; indexVersion: number }
  | { kind: 'end'; trainedEvents: number; indexVersion: number };

/**
 * source -> validate (invalid -> dead letter, counted, never thrown) -> hold-out split ->
 * micro-batches by count and time -> one training step per batch, strictly serialised ->
 * periodic index refresh (also while the stream is idle: events trained since the last refresh
 * reach the index once it is `indexRefreshMs` old); a final refresh when the source ends. A step that fails on its data
 * dead-letters its events (`step_failed`); a programmer error, or more than
 * `maxConsecutiveStepFailures` failures in a row, fails the pipeline (`trainer.fatal`) with its
 * records unacknowledged. Credits of the FlowGate are
 * returned when a record is done with (trained, held out or rejected), which bounds the records
 * buffered between source and trainer.
 */
export function trainingPipeline(deps: PipelineDeps, options: PipelineOptions): Observable<PipelineReport> {
  const { gate, learner, instrumentation, deadLetter, holdout, prequential, checkpointer } = deps;
  let step = 0;
  let indexVersion = options.restoredIndex?.version ?? 0;
  let lastRefreshStep = 0;
  let lastRefreshAt = options.restoredIndex?.createdAt ?? Date.now();
  let invalid = 0;
  let consecutiveFailures = 0;
  const pendingDeadLetters = new Set<Promise<void>>();

  const published = (snap: RefreshedIndex, started: number) => {
    indexVersion = snap.version;
    instrumentation.emit('index.published', {
      version: snap.version,
      users: snap.users.size,
      items: snap.items.size,
      durationMs: Date.now() - started,
      createdAt: snap.createdAt,
      u2iBlend: snap.u2iBlend ?? 0,
      ...(snap.trainedEvents !== undefined ? { trainedEvents: snap.trainedEvents } : {}),
    });
    const blend = learner.u2iBlendStats?.();
    if (blend) instrumentation.emit('u2i.blend', { chosen: snap.u2iBlend ?? 0, ...blend });
    if (snap.generic) for (const generic of learner.genericListStats?.() ?? []) instrumentation.emit('generic.list', generic);
    const prior = learner.popularityPriorStats?.();
    if (prior) instrumentation.emit('popularity.prior', prior);
    const i2i = learner.i2iFusionStats?.();
    if (i2i) instrumentation.emit('i2i.fusion', i2i);
    const u2u = learner.u2uFusionStats?.();
    if (u2u) instrumentation.emit('u2u.fusion', u2u);
    const merged = learner.mergedFusionStats?.();
    if (merged) instrumentation.emit('merged.fusion', merged);
  };
  const refresh = async (): Promise<void> => {
    await building;
    const started = Date.now();
    const snap = await learner.refreshIndex();
    lastRefreshStep = step;
    lastRefreshAt = Date.now();
    published(snap, started);
  };
  // A refresh whose index build is still running (background builds): training goes on meanwhile.
  let building: Promise<void> | null = null;
  const startRefresh = async (): Promise<void> => {
    if (!learner.startRefresh) return refresh();
    if (building) return;
    const started = Date.now();
    lastRefreshStep = step;
    lastRefreshAt = started;
    const { ready } = await learner.startRefresh();
    building = ready
      .then(
        (snap) => published(snap, started),
        (error: unknown) => instrumentation.emit('index.build_failed', { error }),
      )
      .finally(() => {
        building = null;
      });
  };

  const idleRefreshDue = (): boolean => step > lastRefreshStep && building === null && Date.now() - lastRefreshAt >= options.indexRefreshMs;
  const idleWorkDue = (): boolean => idleRefreshDue() || (checkpointer?.due(step) ?? false);
  const idleRefresh = async (): Promise<PipelineReport> => {
    // Re-checked here: a step queued ahead of this tick may have refreshed already.
    if (idleRefreshDue()) await startRefresh();
    if (checkpointer?.due(step)) await checkpointer.checkpoint(step, 'interval');
    return { kind: 'refresh', trainedEvents: learner.trainedEvents, indexVersion };
  };

  const records: RecordAdapter<unknown> = deps.records ?? PLAIN;
  // Prequential checks once an index is served; each checked event is also a metric sample.
  const probes = prequential
    ? [
        prequential.evaluator.probe(
          prequential.rank,
          () => indexVersion > 0,
          (hit) => instrumentation.emit('prequential.hit', { hit, k: prequential.evaluator.options.k }),
        ),
      ]
    : [];
  // Batches emitted but not yet trained, oldest first. The learner gets the one that will train next
  // (`prefetch`: MIC extras computed in a worker while the current step runs); further ahead, the
  // snapshot would more often change before the batch trains, and the work would be wasted.
  const queued: InteractionEvent[][] = [];
  let stepRunning = false;
  const enqueue = (batch: InteractionEvent[]): void => {
    queued.push(batch);
    if (stepRunning && queued.length === 1) learner.prefetch?.(batch);
  };
  const trainOne = async ({
    entries,
    batch,
  }: {
    entries: { event: InteractionEvent; item: unknown }[];
    batch: InteractionEvent[];
  }): Promise<PipelineReport> => {
    if (queued[0] === batch) queued.shift();
    stepRunning = true;
    // Steps chain through microtasks: without one turn of the event loop per step, nothing queued
    // behind them runs while a backlog lasts (worker replies: background index builds, checkpoint
    // writes; HTTP requests; timers), and an in-process source (synthetic, file replay) would not
    // have produced the next batch yet.
    await new Promise((resolve) => setImmediate(resolve));
    if (queued.length > 0) learner.prefetch?.(queued[0]!);
    try {
      // The step's time includes its test-then-train checks.
      const started = Date.now();
      let result: Awaited<ReturnType<StreamLearner['learnMany']>>;
      try {
        result = await testThenTrain(learner, batch, probes);
      } catch (error) {
        // A bug (or failures that keep coming whatever the data) must not quietly dead-letter the
        // whole stream: the pipeline fails, its records stay unacknowledged (Kafka redelivers them
        // after a restart) and whoever runs it reports it and fails readiness.
        consecutiveFailures++;
        if (isProgrammerError(error) || consecutiveFailures > options.maxConsecutiveStepFailures) {
          instrumentation.emit('trainer.fatal', { events: batch.length, consecutiveFailures, error });
          throw error;
        }
        // A step that failed on its data must not lose its events or stop the stream: they go to the dead letter.
        const message = error instanceof Error ? error.message : String(error);
        const sends = entries.map((e) =>
          deadLetter.send({ raw: e.event, reason: 'step_failed', message, at: Date.now(), source: records.position(e.item) }),
        );
        instrumentation.emit('trainer.error', { events: batch.length, error });
        await Promise.all(sends);
        records.ack(entries.map((e) => e.item));
        return { kind: 'step', step, events: 0, loss: Number.NaN, terms: {}, trainedEvents: learner.trainedEvents, indexVersion };
      }
      step++;
      consecutiveFailures = 0;
      records.ack(entries.map((e) => e.item));
      instrumentation.emit('trainer.step', {
        step,
        events: batch.length,
        loss: result.loss,
        terms: result.terms,
        durationMs: Date.now() - started,
        totalEvents: learner.trainedEvents,
        extrasFrom: result.extrasFrom,
      });
      if (step - lastRefreshStep >= options.indexRefreshSteps || Date.now() - lastRefreshAt >= options.indexRefreshMs || indexVersion === 0)
        await startRefresh();
      if (checkpointer?.due(step)) await checkpointer.checkpoint(step, 'interval');
      return {
        kind: 'step',
        step,
        events: batch.length,
        loss: result.loss,
        terms: result.terms,
        trainedEvents: learner.trainedEvents,
        indexVersion,
      };
    } finally {
      stepRunning = false;
      gate.release(batch.length);
    }
  };

  const records$ = deps.source.pipe(options.maxRecords !== undefined ? take(options.maxRecords) : identity, share());
  return records$
    .pipe(
      map((item) => {
        const decoded = tryDecodeEvent(records.raw(item));
        const future = options.maxEventFutureMs ?? 0;
        return { item, decoded: future > 0 ? rejectFutureEvent(decoded, Date.now() + future) : decoded };
      }),
      filter((r): r is { item: unknown; decoded: { ok: true; event: InteractionEvent; raw: unknown } } => {
        if (r.decoded.ok) return true;
        const { error, raw } = r.decoded;
        invalid++;
        const sent = deadLetter.send({
          raw,
          reason: error.reason,
          message: error.message,
          at: Date.now(),
          source: records.position(r.item),
        });
        instrumentation.emit('event.invalid', { reason: error.reason, message: error.message });
        gate.release(1);
        if (sent) {
          const p: Promise<void> = sent.then(
            () => records.ack([r.item]),
            (err: unknown) => instrumentation.emit('deadletter.error', { error: err }),
          );
          pendingDeadLetters.add(p);
          void p.finally(() => pendingDeadLetters.delete(p));
        } else records.ack([r.item]);
        return false;
      }),
      map((r) => ({ event: r.decoded.event, item: r.item })),
      filter(({ event, item }) => {
        if (!holdout?.selects(event)) return true;
        holdout.add(event);
        learner.observe(event);
        instrumentation.emit('event.holdout', { userId: event.userId, itemId: event.itemId });
        gate.release(1);
        records.ack([item]);
        return false;
      }),
      bufferTime(options.batchMaxWaitMs, null, options.batchSize),
    )
    .pipe(
      // bufferTime also emits empty windows while the stream is idle: one of them refreshes the
      // index when trained events are not served yet and the index is due (serialised with steps).
      filter((entries) => entries.length > 0 || idleWorkDue()),
      map((entries: { event: InteractionEvent; item: unknown }[]) => ({ entries, batch: entries.map((e) => e.event) })),
      tap(({ batch }) => batch.length > 0 && enqueue(batch)),
      concatMap((b) => from(b.batch.length > 0 ? trainOne(b) : idleRefresh())),
      concatWith(
        defer(async (): Promise<PipelineReport> => {
          // The source is done: wait until every dead-lettered record is durable (and acknowledged).
          await Promise.allSettled([...pendingDeadLetters]);
          await refresh();
          // The drain's checkpoint: everything trained (and its final index) survives the stop.
          if (checkpointer && checkpointer.unsaved > 0) await checkpointer.checkpoint(step, 'drain');
          await checkpointer?.flush();
          prequential?.evaluator.flush();
          return { kind: 'end', trainedEvents: learner.trainedEvents, indexVersion };
        }),
      ),
      tap({ complete: () => instrumentation.emit('pipeline.end', { events: learner.trainedEvents, invalid }) }),
    );
}
