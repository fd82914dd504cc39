import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReturningUsers, SegmentEvidence } from '../src/learner/segmentEvidence.js';

test('SegmentEvidence: fallback until enough checks, a short segment follows the pooled checks, ties keep the fallback', () => {
  const ev = new SegmentEvidence(3, 1000, 4);
  assert.equal(ev.best('long', 2), 2, 'no evidence: the fallback');
  for (let i = 0; i < 4; i++) ev.record('long', [false, true, false]);
  assert.equal(ev.best('long', 2), 1);
  // 'short' has no checks of its own: it follows the pooled ones (all from 'long').
  assert.equal(ev.best('short', 2), 1);
  for (let i = 0; i < 4; i++) ev.record('short', [true, false, true]);
  // Candidates 0 and 2 tie in 'short': the fallback 2 keeps it; with fallback 1 the earlier of the tied wins.
  assert.equal(ev.best('short', 2), 2);
  assert.equal(ev.best('short', 1), 0);
  assert.deepEqual(ev.hitRates('short'), [1, 0, 1]);
  assert.equal(ev.checks('short'), 4);
  const copy = new SegmentEvidence(3, 1000, 4);
  copy.restore(ev.toData());
  assert.deepEqual(copy.toData(), ev.toData());
  assert.throws(() => new SegmentEvidence(2, 1000, 4).restore(ev.toData()), /3 candidates, expected 2/);
});

test('ReturningUsers: first events and events after the gap return; the latest time is kept whatever the order', () => {
  const r = new ReturningUsers(100);
  assert.equal(r.note('u', 1000), true);
  assert.equal(r.note('u', 1050), false);
  assert.equal(r.note('u', 900), false, 'an older event does not move the clock back');
  assert.equal(r.note('u', 1150), true);
  const copy = new ReturningUsers(100);
  copy.restore(r.toData());
  assert.equal(copy.note('u', 1200), false);
  r.forget('u');
  assert.equal(r.note('u', 1200), true);
  // noteReturn: the same clock, but a first event is no return.
  assert.equal(r.noteReturn('v', 0), false);
  assert.equal(r.noteReturn('v', 99), false);
  assert.equal(r.noteReturn('v', 199), true);
  assert.equal(r.note('v', 250), false, 'both kinds of note share one clock per user');
});
