import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { from, lastValueFrom, map, Subject, toArray } from 'rxjs';
import { trainingPipeline, type StreamLearner } from '../src/pipeline/trainingPipeline.js';
import { FlowGate } from '../src/sources/flowGate.js';
import { gatedObservable } from '../src/sources/gatedObservable.js';
import { SyntheticWorld, syntheticSource } from '../src/sources/syntheticSource.js';
import { MemoryDeadLetterSink } from '../src/sources/deadLetter.js';
import { Instrumentation } from '../src/metrics/instrumentation.js';
import { Metrics } from '../src/metrics/metrics.js';
import { HoldoutSet } from '../src/measure/holdout.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { useTestBackend } from './helpers/backend.js';

await useTestBackend();

const OPTIONS = { batchSize: 256, batchMaxWaitMs: 20, indexRefreshSteps: 1000, indexRefreshMs: 60000, maxConsecutiveStepFailures: 3 };

/** A learner that only counts and waits: training speed is whatever the test sets. */
class SlowLearner implements StreamLearner {
  trainedEvents = 0;
  batches: InteractionEvent[][] = [];
  failNext = false;
  /** Fail every step from now on with this error. */
  failWith: Error | null = null;
  constructor(private readonly msPerBatch: number) {}
  async learnMany(events: readonly InteractionEvent[]) {
    await new Promise((r) => setTimeout(r, this.msPerBatch));
    if (this.failWith) throw this.failWith;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('boom');
    }
    this.trainedEvents += events.length;
    this.batches.push([...events]);
    return { loss: 1, terms: { u2i: 1 } };
  }
  async refreshIndex() {
    return { version: 1, createdAt: Date.now(), users: { size: 0 }, items: { size: 0 } };
  }
  observe(): void {}
}

// A real GC for retained-memory measurements (the test runner does not pass --expose-gc).
v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

test('backpressure: a source 10x faster than training stays bounded in flight and in retained memory', async (t) => {
  const events = 100000;
  const world = { users: 5000, items: 2000, clusters: 8, events, seed: 1 };
  // Records as JSON text, like a Kafka payload. Measure both speeds first so the ratio is stated.
  const t0 = performance.now();
  const drained = await lastValueFrom(
    syntheticSource(world).pipe(
      map((e) => JSON.stringify(e)),
      toArray(),
    ),
  );
  const sourceRate = drained.length / ((performance.now() - t0) / 1000);
  const msPerBatch = 25;
  const trainRate = 256 / (msPerBatch / 1000);
  assert.ok(sourceRate > 10 * trainRate, `source ${sourceRate.toFixed(0)}/s is not 10x training ${trainRate.toFixed(0)}/s`);
  drained.length = 0;

  /** Run for `ms`, sampling retained heap (after a full GC) and the in-flight count, then stop. */
  const run = async (capacity: number, ms: number) => {
    const gate = new FlowGate(capacity);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let retainedPeak = 0;
    const learner = new SlowLearner(msPerBatch);
    const source = syntheticSource(world, gate).pipe(map((e) => JSON.stringify(e)));
    const sub = trainingPipeline(
      { source, gate, learner, instrumentation: new Instrumentation(), deadLetter: new MemoryDeadLetterSink() },
      OPTIONS,
    ).subscribe();
    for (let waited = 0; waited < ms; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      gc();
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - heapBefore);
    }
    sub.unsubscribe();
    return { peakInFlight: gate.peakInFlight, retainedMiB: retainedPeak / 1048576, trained: learner.trainedEvents };
  };
  const bounded = await run(1024, 1500);
  const unbounded = await run(1e9, 1500);
  t.diagnostic(
    `source ${sourceRate.toFixed(0)} rec/s vs training ${trainRate.toFixed(0)} ev/s; gated: peak in flight ${bounded.peakInFlight}, retained ` +
      `${bounded.retainedMiB.toFixed(1)} MiB; ungated: peak in flight ${unbounded.peakInFlight}, retained ${unbounded.retainedMiB.toFixed(1)} MiB`,
  );
  assert.ok(bounded.trained > 5000, `training progressed (${bounded.trained})`);
  assert.ok(bounded.peakInFlight <= 1024, `peak in flight ${bounded.peakInFlight}`);
  assert.ok(unbounded.peakInFlight > 0.5 * events, `without the gate the source runs ahead (${unbounded.peakInFlight})`);
  assert.ok(bounded.retainedMiB < 16, `bounded run retained ${bounded.retainedMiB.toFixed(1)} MiB`);
  assert.ok(
    unbounded.retainedMiB > 3 * bounded.retainedMiB,
    `retained: bounded ${bounded.retainedMiB.toFixed(1)} MiB vs unbounded ${unbounded.retainedMiB.toFixed(1)} MiB`,
  );
});

test('invalid records are counted per reason, dead-lettered with their raw bytes, and never stop the stream', async () => {
  const valid = [...new SyntheticWorld({ users: 50, items: 40, clusters: 4, events: 600, seed: 2 }).events()];
  const bad: [unknown, string][] = [
    ['{oops', 'not_json'],
    [Buffer.from([0xde, 0xad]), 'not_json'],
    ['[1]', 'not_object'],
    [{ itemId: 'i1', timestamp: 5 }, 'missing_field'],
    [{ userId: 5, itemId: 'i1', timestamp: 5 }, 'wrong_type'],
    [{ userId: 'u', itemId: 'i', timestamp: 5, surprise: 1 }, 'unknown_field'],
    [{ userId: 'u'.repeat(5000), itemId: 'i', timestamp: 5 }, 'string_too_long'],
    [JSON.stringify({ userId: 'u', itemId: 'i', timestamp: 5, type: 'x'.repeat(70000) }), 'oversize'],
    // Past the wall clock by more than maxEventFutureMs (a day here): it would move the stream clock for everything.
    [{ userId: 'u', itemId: 'i', timestamp: Date.now() + 2 * 86_400_000 }, 'timestamp_in_future'],
  ];
  const records: unknown[] = [];
  valid.forEach((e, i) => {
    records.push(JSON.stringify(e));
    if (i % 50 === 0) records.push(bad[(i / 50) % bad.length]![0]);
  });
  const expected = new Map<string, number>();
  valid.forEach((_, i) => {
    if (i % 50 === 0) {
      const reason = bad[(i / 50) % bad.length]![1];
      expected.set(reason, (expected.get(reason) ?? 0) + 1);
    }
  });
  const gate = new FlowGate(512);
  const instrumentation = new Instrumentation();
  const metrics = new Metrics(instrumentation, { defaultMetrics: false });
  const deadLetter = new MemoryDeadLetterSink(1000);
  const learner = new OnlineLearner({ seed: 1, indexKind: 'exact' });
  const reports = await lastValueFrom(
    trainingPipeline(
      { source: gatedObservable(() => records[Symbol.iterator](), gate), gate, learner, instrumentation, deadLetter },
      { ...OPTIONS, maxEventFutureMs: 86_400_000 },
    ).pipe(toArray()),
  );
  assert.equal(learner.trainedEvents, valid.length, 'every valid event was trained');
  assert.equal(reports.at(-1)!.kind, 'end');
  assert.deepEqual(Object.fromEntries(deadLetter.countsByReason), Object.fromEntries(expected));
  assert.ok(
    deadLetter.recent.some((r) => Buffer.isBuffer(r.raw)),
    'raw bytes kept as they came',
  );
  const text = await metrics.registry.metrics();
  for (const [reason, n] of expected)
    assert.ok(text.includes(`micstream_events_invalid_total{reason="${reason}"} ${n}`), `metric for ${reason}`);
  assert.equal(gate.inFlight, 0, 'every credit returned');
  learner.dispose();
});

test('a failing training step dead-letters its events and the stream goes on', async () => {
  const events = [...new SyntheticWorld({ users: 50, items: 40, clusters: 4, events: 1024, seed: 3 }).events()];
  const learner = new SlowLearner(1);
  learner.failNext = true;
  const deadLetter = new MemoryDeadLetterSink(2000);
  const gate = new FlowGate(4096);
  await lastValueFrom(
    trainingPipeline({ source: from(events), gate, learner, instrumentation: new Instrumentation(), deadLetter }, OPTIONS).pipe(toArray()),
  );
  const failed = deadLetter.countsByReason.get('step_failed') ?? 0;
  assert.ok(failed > 0);
  assert.equal(failed + learner.trainedEvents, events.length, 'nothing lost');
});

test('a programmer error in a step, or failures that keep coming, stop the pipeline with the batch unacknowledged', async () => {
  const events = [...new SyntheticWorld({ users: 100, items: 60, clusters: 4, events: 2048, seed: 3 }).events()];
  for (const [error, expectedFailures] of [
    [new TypeError('cannot read properties of undefined'), 1],
    [new Error('the same failure every step'), 4],
  ] as const) {
    const learner = new SlowLearner(1);
    learner.failWith = error;
    const deadLetter = new MemoryDeadLetterSink(5000);
    const instrumentation = new Instrumentation();
    const fatal: { consecutiveFailures: number; error: unknown }[] = [];
    instrumentation.on('trainer.fatal', (e) => fatal.push(e));
    const acked: unknown[] = [];
    const records = { raw: (r: unknown) => r, position: () => undefined, ack: (rs: readonly unknown[]) => acked.push(...rs) };
    await assert.rejects(
      lastValueFrom(
        trainingPipeline({ source: from(events), records, gate: new FlowGate(8192), learner, instrumentation, deadLetter }, OPTIONS),
      ),
      (e) => e === error,
    );
    assert.equal(fatal.length, 1);
    assert.equal(fatal[0]!.consecutiveFailures, expectedFailures);
    // Data-like failures before the limit were dead-lettered and acknowledged; the failing batch was not.
    const failed = deadLetter.countsByReason.get('step_failed') ?? 0;
    assert.equal(failed, (expectedFailures - 1) * OPTIONS.batchSize);
    assert.equal(acked.length, failed);
  }
});

test('held-back events are observed but never trained; micro-batches respect the size limit and arrive in order', async () => {
  const events = [...new SyntheticWorld({ users: 80, items: 60, clusters: 4, events: 3000, seed: 4 }).events()];
  const learner = new SlowLearner(0);
  const holdout = new HoldoutSet(0.1, 7);
  const gate = new FlowGate(4096);
  await lastValueFrom(
    trainingPipeline(
      { source: from(events), gate, learner, instrumentation: new Instrumentation(), deadLetter: new MemoryDeadLetterSink(), holdout },
      OPTIONS,
    ).pipe(toArray()),
  );
  const trained = learner.batches.flat();
  assert.ok(holdout.size > 200 && holdout.size < 400, `held back ${holdout.size}`);
  assert.equal(trained.length + holdout.size, events.length);
  for (const b of learner.batches) assert.ok(b.length <= 256);
  for (let i = 1; i < trained.length; i++) assert.ok(trained[i]!.timestamp > trained[i - 1]!.timestamp, 'order kept');
  for (const e of trained) assert.equal(holdout.selects(e), false);
});

test('background index builds: training goes on while a build runs, no second refresh starts meanwhile, a failed build is reported and retried', async () => {
  const events = [...new SyntheticWorld({ users: 80, items: 60, clusters: 4, events: 2560, seed: 5 }).events()];
  const learner = new SlowLearner(2) as SlowLearner & Required<Pick<StreamLearner, 'startRefresh'>>;
  const builds: { resolve: () => void; reject: (e: Error) => void; startedAtStep: number }[] = [];
  let version = 0;
  learner.startRefresh = async () => {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    }).then(() => ({ version: ++version, createdAt: Date.now(), users: { size: 1 }, items: { size: 1 } }));
    builds.push({ resolve, reject, startedAtStep: learner.batches.length });
    return { ready };
  };
  // As in OnlineLearner: a plain refresh is a started one, awaited.
  learner.refreshIndex = async () => (await learner.startRefresh()).ready;
  const instrumentation = new Instrumentation();
  const failures: unknown[] = [];
  instrumentation.on('index.build_failed', ({ error }) => failures.push(error));
  const reports: { step?: number; indexVersion: number }[] = [];
  const run = lastValueFrom(
    trainingPipeline(
      { source: from(events), gate: new FlowGate(4096), learner, instrumentation, deadLetter: new MemoryDeadLetterSink() },
      { ...OPTIONS, batchSize: 128, indexRefreshSteps: 3 },
    ).pipe(
      map((r) => {
        reports.push({ ...(r.kind === 'step' ? { step: r.step } : {}), indexVersion: r.indexVersion });
        // Settle builds from inside the stream: the first fails, the second succeeds, later ones succeed after 2 steps.
        if (r.kind === 'step' && r.step === 6) builds[0]!.reject(new Error('worker died'));
        if (r.kind === 'step' && builds.length >= 2 && r.step >= builds[builds.length - 1]!.startedAtStep + 2)
          builds[builds.length - 1]!.resolve();
        return r;
      }),
      toArray(),
    ),
  );
  // The final refresh at the end of the stream waits for its build: settle whatever is left.
  const timer = setInterval(() => builds.forEach((b) => b.resolve()), 50);
  await run;
  clearInterval(timer);
  assert.equal(learner.trainedEvents, events.length, 'every event trained');
  assert.equal(failures.length, 1, 'the failed build is reported');
  // Steps 2..6 trained while build 1 was pending, and no other build started before it failed.
  assert.equal(builds[0]!.startedAtStep, 1);
  assert.equal(builds[1]!.startedAtStep >= 6, true, `second build started at step ${builds[1]!.startedAtStep}`);
  assert.ok(
    reports.filter((r) => r.step !== undefined && r.step <= 6).every((r) => r.indexVersion === 0),
    'no index until a build succeeds',
  );
  assert.ok(reports[reports.length - 1]!.indexVersion >= 2, 'later builds published');
});

test('each index refresh exports the served U2I user blend, generic list and popularity prior, with the evidence per candidate', async () => {
  const events = [...new SyntheticWorld({ users: 50, items: 40, clusters: 4, events: 600, seed: 4 }).events()];
  class BlendLearner extends SlowLearner {
    override async refreshIndex() {
      return { version: 1, createdAt: Date.now(), users: { size: 1 }, items: { size: 1 }, u2iBlend: 0.75, generic: { kind: 'popular' } };
    }
    u2iBlendStats() {
      return { candidates: [0, 0.5, 1], hitRates: [0.1, 0.25, 0.2], checks: 42 };
    }
    genericListStats() {
      const candidates = ['trending', 'trending-short', 'trending-long', 'popular'];
      return [
        { audience: 'first-time', served: 'popular', candidates, hitRates: [0.01, 0.02, 0.025, 0.03], checks: 77 },
        { audience: 'returning', served: 'trending-short', candidates, hitRates: [0.1, 0.15, 0.05, 0.01], checks: 500 },
      ];
    }
    popularityPriorStats() {
      const segment = (beta: number, checks: number) => ({ beta, hitRates: [0.1, 0.2, 0.15, 0.12, 0.1], checks });
      return {
        candidates: [0, 0.25, 0.5, 0.75, 1],
        segments: { new: segment(0, 0), short: segment(0.25, 60), medium: segment(0.25, 70), long: segment(0.5, 300) },
      };
    }
  }
  const instrumentation = new Instrumentation();
  const metrics = new Metrics(instrumentation, { defaultMetrics: false });
  await lastValueFrom(
    trainingPipeline(
      {
        source: from(events),
        gate: new FlowGate(4096),
        learner: new BlendLearner(0),
        instrumentation,
        deadLetter: new MemoryDeadLetterSink(),
      },
      { ...OPTIONS, indexRefreshSteps: 1 },
    ).pipe(toArray()),
  );
  const text = await metrics.registry.metrics();
  assert.match(text, /^micstream_u2i_user_blend 0\.75$/m);
  assert.match(text, /^micstream_u2i_blend_hit_rate\{alpha="0\.5"\} 0\.25$/m);
  assert.match(text, /^micstream_u2i_blend_hit_rate\{alpha="1"\} 0\.2$/m);
  assert.match(text, /^micstream_u2i_blend_checks 42$/m);
  // ... and which generic list each audience gets (users without a vector, returning users), with its evidence.
  assert.match(text, /^micstream_generic_list_served\{audience="first-time",list="popular"\} 1$/m);
  assert.match(text, /^micstream_generic_list_served\{audience="first-time",list="trending"\} 0$/m);
  assert.match(text, /^micstream_generic_list_hit_rate\{audience="first-time",list="popular"\} 0\.03$/m);
  assert.match(text, /^micstream_generic_list_checks\{audience="first-time"\} 77$/m);
  assert.match(text, /^micstream_generic_list_served\{audience="returning",list="trending-short"\} 1$/m);
  assert.match(text, /^micstream_generic_list_served\{audience="returning",list="popular"\} 0$/m);
  assert.match(text, /^micstream_generic_list_hit_rate\{audience="returning",list="trending-short"\} 0\.15$/m);
  assert.match(text, /^micstream_generic_list_checks\{audience="returning"\} 500$/m);
  // ... and the popularity prior per user segment, with its evidence.
  assert.match(text, /^micstream_popularity_prior_beta\{segment="long"\} 0\.5$/m);
  assert.match(text, /^micstream_popularity_prior_hit_rate\{segment="short",beta="0\.25"\} 0\.2$/m);
  assert.match(text, /^micstream_popularity_prior_checks\{segment="long"\} 300$/m);
  metrics.close();
});

test('idle refresh: when the stream stops, the events trained since the last refresh are indexed within indexRefreshMs', async () => {
  const events = [...new SyntheticWorld({ users: 50, items: 40, clusters: 4, events: 600, seed: 5 }).events()];
  // A source that delivers its events and then stays open, silent, as a quiet topic does.
  const source = new Subject<unknown>();
  class CountingLearner extends SlowLearner {
    refreshed: { at: number; trained: number }[] = [];
    override async refreshIndex() {
      this.refreshed.push({ at: Date.now(), trained: this.trainedEvents });
      const trainedEvents = this.trainedEvents;
      return { version: this.refreshed.length, createdAt: Date.now(), users: { size: 0 }, items: { size: 0 }, trainedEvents };
    }
  }
  const learner = new CountingLearner(1);
  const instrumentation = new Instrumentation();
  const metrics = new Metrics(instrumentation, { defaultMetrics: false });
  const refreshMs = 300;
  const reports: string[] = [];
  const sub = trainingPipeline(
    { source, gate: new FlowGate(4096), learner, instrumentation, deadLetter: new MemoryDeadLetterSink(10) },
    { ...OPTIONS, indexRefreshMs: refreshMs, indexRefreshSteps: 1000 },
  ).subscribe((r) => reports.push(r.kind));
  try {
    for (const e of events.slice(0, 300)) source.next(e);
    await new Promise((r) => setTimeout(r, 100));
    for (const e of events.slice(300)) source.next(e);
    const lastEventAt = Date.now();
    // The first step refreshes (no index yet); the rest is trained and then the stream is quiet.
    await new Promise((r) => setTimeout(r, refreshMs * 3));
    assert.equal(learner.trainedEvents, events.length);
    const last = learner.refreshed.at(-1)!;
    assert.equal(last.trained, events.length, `the last refresh indexed every trained event: ${JSON.stringify(learner.refreshed)}`);
    assert.ok(last.at - lastEventAt <= refreshMs * 2, `indexed ${last.at - lastEventAt} ms after the last event`);
    assert.ok(reports.includes('refresh'));
    assert.match(await metrics.registry.metrics(), /^micstream_index_unserved_events 0$/m, 'nothing trained waits for the index');
    const count = learner.refreshed.length;
    await new Promise((r) => setTimeout(r, refreshMs * 2));
    assert.equal(learner.refreshed.length, count, 'no refresh without newly trained events');
  } finally {
    sub.unsubscribe();
    metrics.close();
  }
});
