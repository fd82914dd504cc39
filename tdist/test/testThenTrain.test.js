import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrequentialEvaluator } from '../src/measure/prequential.js';
import { replayTestThenTrain, testThenTrain } from '../src/pipeline/testThenTrain.js';
const ev = (i) => ({ userId: `u${i % 3}`, itemId: `i${i}`, timestamp: i });
/** Records what happens, in order. */
function recorder() {
    const log = [];
    const learned = [];
    const learner = {
        async learnMany(events) {
            log.push(`learn ${events.map((e) => e.itemId).join(',')}`);
            learned.push(...events);
            return events.length;
        },
        prefetch(events) {
            log.push(`prefetch ${events.map((e) => e.itemId).join(',')}`);
        },
    };
    const probe = { test: (events) => void log.push(`test ${events.map((e) => e.itemId).join(',')}`) };
    return { log, learned, learner, probe };
}
test('testThenTrain: every probe tests the batch before it is learned; the next batch is handed over for prefetch', async () => {
    const { log, learner, probe } = recorder();
    const own = { test: (events) => void log.push(`own ${events.length}`) };
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
    const reported = [];
    const probe = evaluator.probe((u) => (u === 'u0' ? ['i3', 'x'] : null), () => active, (hit) => reported.push(hit));
    probe.test([ev(0), ev(1)]);
    assert.equal(evaluator.trialCount, 0, 'inactive: nothing checked');
    active = true;
    // u0 -> i3 is in its top 2; u1 cannot be ranked (a miss); u0 -> i6 is not.
    probe.test([ev(3), ev(4), ev(6)]);
    assert.deepEqual(reported, [true, false, false]);
    assert.equal(evaluator.trialCount, 3);
    assert.ok(Math.abs(evaluator.hitRate - 1 / 3) < 1e-12);
});
//# sourceMappingURL=testThenTrain.test.js.map