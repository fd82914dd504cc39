import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReturningUsers, SegmentEvidence } from '../src/learner/segmentEvidence.js';
test('SegmentEvidence: fallback until enough checks, a short segment follows the pooled checks, ties keep the fallback', () => {
    const ev = new SegmentEvidence(3, 1000, 4);
    assert.equal(ev.best('long', 2), 2, 'no evidence: the fallback');
    for (let i = 0; i < 4; i++)
        ev.record('long', [false, true, false]);
    assert.equal(ev.best('long', 2), 1);
    // 'short' has no checks of its own: it follows the pooled ones (all from 'long').
    assert.equal(ev.best('short', 2), 1);
    for (let i = 0; i < 4; i++)
        ev.record('short', [true, false, true]);
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
test('SegmentEvidence with a guard: the reference stays until a win over it is significant (paired, decayed)', () => {
    // A seeded stream of checks: candidate 0 (the reference) hits 30%; candidate 1 the same events plus 2% more;
    // candidate 2 the same events plus 40% of the reference's misses.
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const check = () => {
        const base = random() < 0.3;
        return [base, base || random() < 0.02, base || random() < 0.4];
    };
    const plain = new SegmentEvidence(2, 1000, 50);
    const guarded = new SegmentEvidence(2, 1000, 50, { reference: 0, zScore: 2 });
    for (let i = 0; i < 60; i++) {
        const [a, b] = check();
        plain.record('long', [a, b]);
        guarded.record('long', [a, b]);
    }
    assert.ok(plain.hitRates('long')[1] > plain.hitRates('long')[0], 'the small edge shows in the counts');
    assert.equal(plain.best('long'), 1, 'without a guard the argmax follows it');
    assert.equal(guarded.best('long'), 0, 'a win of one or two checks in 60 is not significant');
    const strong = new SegmentEvidence(3, 1000, 50, { reference: 0, zScore: 2 });
    for (let i = 0; i < 200; i++)
        strong.record('long', check());
    assert.equal(strong.best('long'), 2, 'a large paired win is');
    // Every check the same for all: no spread, no win, the reference.
    const level = new SegmentEvidence(2, 1000, 50, { reference: 1, zScore: 2 });
    for (let i = 0; i < 100; i++)
        level.record('short', [i % 2 === 0, i % 2 === 0]);
    assert.equal(level.best('short'), 1);
    // Restored: the same choice; a checkpoint without the spread (from before the guard) starts its counts over.
    const copy = new SegmentEvidence(3, 1000, 50, { reference: 0, zScore: 2 });
    copy.restore(strong.toData());
    assert.equal(copy.best('long'), 2);
    const old = strong.toData();
    for (const ev of [...old.segments, old.pooled]) {
        delete ev.squaredDiffs;
        delete ev.weightSquares;
    }
    copy.restore(old);
    assert.equal(copy.checks('long'), 0);
    assert.equal(copy.best('long'), 0);
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
//# sourceMappingURL=segmentEvidence.test.js.map