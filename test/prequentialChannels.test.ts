import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PreviousItems } from '../src/measure/previousItems.js';
import { PrequentialEvaluator } from '../src/measure/prequential.js';
import { PrequentialChecks } from '../src/eval/prequentialRuns.js';
import type { InteractionEvent } from '../src/events/interactionEvent.js';

const ev = (userId: string, itemId: string, timestamp = 0): InteractionEvent => ({ userId, itemId, timestamp });

test('the I2I query of an event is its user’s previous item, none for a first event or a repeat, across batches', () => {
  const previous = new PreviousItems();
  assert.deepEqual(previous.queries([ev('u1', 'a'), ev('u1', 'b'), ev('u2', 'a')]), [null, 'a', null]);
  assert.deepEqual(previous.queries([ev('u1', 'b'), ev('u1', 'c'), ev('u2', 'd')]), [null, 'b', 'a']);
});

test('a prequential check with per-event queries ranks each query once and counts no trial for a null query', () => {
  const evaluator = new PrequentialEvaluator({ k: 2, sampleRate: 1, seed: 1, windowEvents: 100 });
  const asked: string[] = [];
  const rank = (query: string) => {
    asked.push(query);
    return query === 'a' ? ['b', 'c'] : ['z'];
  };
  const hits = evaluator.check([ev('u1', 'b'), ev('u2', 'x'), ev('u3', 'c'), ev('u4', 'y')], rank, ['a', null, 'a', 'q']);
  assert.deepEqual(hits, [true, true, false]);
  assert.deepEqual(asked, ['a', 'q'], 'a query is ranked once per batch');
  assert.equal(evaluator.trialCount, 3);
  assert.equal(evaluator.hitRate, 2 / 3);
});

test('prequential checks keep each channel apart under its own prefix and test I2I on the previous item', () => {
  const checks = new PrequentialChecks(
    { k: 1, sampleRate: 1, seed: 1, windowEvents: 2 },
    { u2i: () => ['b'], i2i: (item) => (item === 'a' ? ['b'] : ['a']), u2u: () => null },
  );
  const probe = checks.probe();
  probe.test([ev('u1', 'a'), ev('u1', 'b'), ev('u2', 'c')]);
  checks.flush();
  const channel = checks.channel();
  // U2I: b is a hit once in three; I2I: only u1's second event asks (a -> b, a hit); U2U ranks nothing.
  assert.equal(channel.hr, 1 / 3);
  assert.equal(channel['i2i/hr'], 1);
  assert.equal(channel['u2u/hr'], 0);
  assert.equal(channel['merged/hr'], undefined, 'a channel without a ranker is not checked');
  assert.equal(channel['trials_new'], 3, 'segments are counted per channel: all three users were new');
  assert.equal(channel['i2i/trials_new'], 1);
  assert.deepEqual(Object.keys(checks.windows()).sort(), ['i2i', 'u2i', 'u2u']);
});
