import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventReplay } from '../src/learner/eventReplay.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { SyntheticWorld } from '../src/sources/syntheticSource.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
const ev = (n) => ({ userId: `u${n % 7}`, itemId: `i${n}`, timestamp: n });
const range = (from, to) => Array.from({ length: to - from }, (_, i) => ev(from + i));
test('EventReplay keeps the most recent `capacity` trained events, oldest first', () => {
    const r = new EventReplay({ batchesPerStep: 1, capacity: 10, seed: 1 });
    r.add(range(0, 6));
    assert.deepEqual(r.ordered().map((e) => e.timestamp), [0, 1, 2, 3, 4, 5]);
    r.add(range(6, 23));
    assert.equal(r.size, 10);
    assert.deepEqual(r.ordered().map((e) => e.timestamp), [13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
});
test('EventReplay draws batchesPerStep batches as large as the live one, from the window only, no event twice in a batch', () => {
    const r = new EventReplay({ batchesPerStep: 3, capacity: 50, seed: 7 });
    r.add(range(0, 30));
    assert.deepEqual(r.batches(10), [], 'not before the window holds four live batches');
    r.add(range(30, 200));
    const batches = r.batches(10);
    assert.equal(batches.length, 3);
    for (const b of batches) {
        assert.equal(b.length, 10);
        assert.equal(new Set(b).size, 10, 'distinct events');
        for (const e of b)
            assert.ok(e.timestamp >= 150, `event ${e.timestamp} is outside the window of the last 50`);
    }
    const again = new EventReplay({ batchesPerStep: 3, capacity: 50, seed: 7 });
    again.add(range(0, 200));
    assert.deepEqual(again.batches(10), batches, 'seeded: the same draws');
    // Draws cover the window roughly uniformly.
    const counts = new Map();
    for (let i = 0; i < 400; i++)
        for (const b of r.batches(10))
            for (const e of b)
                counts.set(e.timestamp, (counts.get(e.timestamp) ?? 0) + 1);
    assert.equal(counts.size, 50);
    const expected = (400 * 3 * 10) / 50;
    for (const [t, c] of counts)
        assert.ok(Math.abs(c - expected) < expected * 0.3, `event ${t} drawn ${c} times, expected ~${expected}`);
});
test('EventReplay: off draws nothing and stores nothing; forget drops expired ids; bad options are refused', () => {
    const off = new EventReplay({ batchesPerStep: 0, capacity: 50, seed: 1 });
    off.add(range(0, 100));
    assert.equal(off.size, 0);
    assert.deepEqual(off.batches(5), []);
    const r = new EventReplay({ batchesPerStep: 1, capacity: 20, seed: 1 });
    r.add(range(0, 30));
    r.forget((e) => e.userId === 'u3');
    assert.ok(r.ordered().every((e) => e.userId !== 'u3'));
    assert.deepEqual(r.ordered().map((e) => e.timestamp), range(10, 30)
        .filter((e) => e.userId !== 'u3')
        .map((e) => e.timestamp));
    r.add(range(30, 33));
    assert.equal(r.ordered().at(-1).timestamp, 32, 'the ring goes on after forgetting');
    assert.throws(() => new EventReplay({ batchesPerStep: -1, capacity: 5, seed: 1 }), RangeError);
    assert.throws(() => new EventReplay({ batchesPerStep: 1, capacity: 0, seed: 1 }), RangeError);
});
test('the learner replays its window after each live step once it holds four batches, seeded, and only when asked', async () => {
    const events = [...new SyntheticWorld({ users: 60, items: 50, clusters: 3, events: 6 * 64, seed: 4 }).events()];
    const run = async (replayBatches) => {
        const learner = new OnlineLearner({ seed: 3, indexKind: 'exact', replayBatches, replayBufferEvents: 1000 });
        const steps = [];
        for (let i = 0; i < events.length; i += 64)
            steps.push((await learner.learnMany(events.slice(i, i + 64))).terms);
        learner.dispose();
        return steps;
    };
    const replayTerms = (terms) => Object.keys(terms).filter((k) => k.startsWith('replay'));
    const on = await run(2);
    assert.deepEqual(on.slice(0, 3).map(replayTerms), [[], [], []], 'no replay before four batches are in the window');
    assert.deepEqual(replayTerms(on[3]), ['replay0', 'replay1']);
    for (const terms of on.slice(3))
        for (const k of replayTerms(terms))
            assert.ok(Number.isFinite(terms[k]) && terms[k] > 0);
    assert.deepEqual(await run(2), on, 'seeded: the same replayed losses');
    assert.ok((await run(0)).every((terms) => replayTerms(terms).length === 0));
});
//# sourceMappingURL=eventReplay.test.js.map