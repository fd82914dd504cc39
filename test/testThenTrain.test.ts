import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InteractionEvent } from '../src/events/interactionEvent.js';
import { PrequentialEvaluator } from '../src/measure/prequential.js';
import { CheckBudget } from '../src/measure/probe.js';
import { replayTestThenTrain, testThenTrain } from '../src/pipeline/testThenTrain.js';

const ev = (i: number): InteractionEvent => ({ userId: `u${i % 3}`, itemId: `i${i}`, timestamp: i });

/** Records what happens, in order. */
function recorder() {
  const log: string[] = [];
  const learned: InteractionEvent[] = [];
  const learner = {
    async learnMany(events: readonly InteractionEvent[]) {
      log.push(`learn ${events.map((e) => e.itemId).join(',')}`);
      learned.push(...events);
      return events.length;
    },
    prefetch(events: readonly InteractionEvent[]) {
      log.push(`prefetch ${events.map((e) => e.itemId).join(',')}`);
    },
  };
  const probe = { test: (events: readonly InteractionEvent[]) => void log.push(`test ${events.map((e) => e.itemId).join(',')}`) };
  return { log, learned, learner, probe };
}

test('testThenTrain: every probe tests the batch before it is learned; the next batch is handed over for prefetch', async () => {
  const { log, learner, probe } = recorder();
  const own = { test: (events: readonly InteractionEvent[]) => void log.push(`own ${events.length}`) };
  const n = await testThenTrain({ ...learner, probes: [own] }, [ev(1), ev(2)], [probe, probe], [ev(3)]);
  assert.equal(n, 2);
  // The learner's own probes (its U2I blend checks) first, then the caller's.
  assert.deepEqual(log, ['own 2', 'test i1,i2', 'test i1,i2', 'prefetch i3', 'learn i1,i2']);
});

test('replayTestThenTrain: fixed batches in order, each tested then learned, the hook after each step', async () => {
  const { log, learned, learner, probe } = recorder();
  const events = Array.from({ length: 5 }, (_, i) => ev(i));
  const steps = await replayTestThenTrain(learner, events, {
    batchSize: 2,
    probes: [probe],
    afterStep: (s) => void log.push(`after ${s}`),
  });
  assert.equal(steps, 3);
  assert.deepEqual(learned, events);
  assert.deepEqual(log, [
    'test i0,i1',
    'prefetch i2,i3',
    'learn i0,i1',
    'after 0',
    'test i2,i3',
    'prefetch i4',
    'learn i2,i3',
    'after 1',
    'test i4',
    'learn i4',
    'after 2',
  ]);
});

test('the prequential probe checks only while active and reports every checked event', async () => {
  const evaluator = new PrequentialEvaluator({ k: 2, sampleRate: 1, seed: 1, windowEvents: 100 });
  let active = false;
  const reported: boolean[] = [];
  const probe = evaluator.probe(
    (u) => (u === 'u0' ? ['i3', 'x'] : null),
    () => active,
    (hit) => reported.push(hit),
  );
  probe.test([ev(0), ev(1)]);
  assert.equal(evaluator.trialCount, 0, 'inactive: nothing checked');
  active = true;
  // u0 -> i3 is in its top 2; u1 cannot be ranked (a miss); u0 -> i6 is not.
  probe.test([ev(3), ev(4), ev(6)]);
  assert.deepEqual(reported, [true, false, false]);
  assert.equal(evaluator.trialCount, 3);
  assert.ok(Math.abs(evaluator.hitRate - 1 / 3) < 1e-12);
});

test('CheckBudget: one check per eventsPerCheck events, the fraction carried; unspent checks wait only up to maxCarried', () => {
  const plain = new CheckBudget(40);
  assert.deepEqual(
    [100, 100, 100, 100].map((n) => plain.take(n)),
    [2, 3, 2, 3],
  );
  plain.giveBack(3);
  assert.equal(plain.take(100), 2, 'without a saving, unspent checks are dropped');

  const saving = new CheckBudget(40, 3);
  assert.equal(saving.take(100), 2);
  saving.giveBack(2);
  assert.equal(saving.take(100), 5, 'two saved plus this batch: 0.5 + 2 + 2.5');
  saving.giveBack(5);
  assert.ok(Math.abs(saving.carried - 3) < 1e-12, `at most 3 whole checks wait: ${saving.carried}`);
  assert.equal(saving.take(0), 3);
  saving.giveBack(0);
  saving.giveBack(-1);
  assert.ok(Math.abs(saving.carried) < 1e-12, 'nothing (or a negative) given back changes nothing');
  assert.throws(() => new CheckBudget(40, -1), RangeError);
  assert.equal(new CheckBudget(0, 10).take(1000), 0, 'a budget of 0 allows nothing');
});

test('CheckBudget: rare eligible events get the checks the batches without any gave back, never more than the events allow', () => {
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const run = (maxCarried: number) => {
    const budget = new CheckBudget(128, maxCarried);
    let spent = 0;
    let events = 0;
    let eligible = 0;
    let mostInOneBatch = 0;
    state = 7;
    for (let b = 0; b < 2000; b++) {
      const n = 256;
      // A burst of returning users now and then, none in most batches.
      const wanted = random() < 0.1 ? Math.floor(random() * 40) : 0;
      const allowed = budget.take(n);
      const used = Math.min(allowed, wanted);
      budget.giveBack(allowed - used);
      spent += used;
      events += n;
      eligible += wanted;
      mostInOneBatch = Math.max(mostInOneBatch, allowed);
      assert.ok(spent <= Math.floor(events / 128), `spent ${spent} of ${events} events' budget`);
    }
    return { spent, eligible, mostInOneBatch };
  };
  const dropped = run(0);
  const saved = run(64);
  assert.ok(saved.spent > 3 * dropped.spent, `saved ${saved.spent} vs dropped ${dropped.spent} of ${saved.eligible} eligible`);
  assert.ok(saved.mostInOneBatch <= 64 + 2, `one batch may spend its share plus the saving: ${saved.mostInOneBatch}`);
  assert.equal(dropped.mostInOneBatch, 2);
});
