import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../src/sources/datasetFiles.js';
import { OnlineLearner } from '../src/learner/onlineLearner.js';
import { u2iMetrics } from '../src/measure/channelMetrics.js';
import { replayTestThenTrain } from '../src/pipeline/testThenTrain.js';
import { ML100K } from './helpers/datasets.js';
import { useTestBackend } from './helpers/backend.js';
await useTestBackend();
test('ml-100k, one streaming pass over the first 90%: U2I Recall@50 on the last 10% is >= 2x random', async (t) => {
    const events = loadDataset(ML100K).events;
    const cut = Math.floor(events.length * 0.9);
    const train = events.slice(0, cut);
    const testEvents = events.slice(cut);
    const learner = new OnlineLearner({ seed: 42, indexKind: 'exact' });
    await replayTestThenTrain(learner, train, { batchSize: 256 });
    // Test users' attributes are known (cold users have nothing else); nothing of the test period is learned.
    for (const e of testEvents)
        learner.observe(e);
    await learner.refreshIndex();
    const testItems = new Map();
    for (const e of testEvents) {
        const s = testItems.get(e.userId) ?? new Set();
        s.add(e.itemId);
        testItems.set(e.userId, s);
    }
    const seen = (u) => learner.seenItems(u);
    const scores = u2iMetrics({
        testItems,
        trainSeen: seen,
        ks: [50],
        rank: (u, k) => learner.recallItemsForUser(u, k)?.map((n) => n.id) ?? null,
    });
    // A uniformly random ranking of the unseen catalogue finds min(1, K / candidates) of the targets in expectation.
    const catalogue = learner.snapshot.items.size;
    let randomSum = 0;
    for (const [u, items] of testItems)
        if ([...items].some((i) => !seen(u).has(i)))
            randomSum += Math.min(1, 50 / Math.max(1, catalogue - seen(u).size));
    const result = { recall: scores.recall[50], randomRecall: randomSum / scores.users, users: scores.users };
    t.diagnostic(`Recall@50 ${result.recall.toFixed(4)} vs random ${result.randomRecall.toFixed(4)} (${(result.recall / result.randomRecall).toFixed(1)}x) ` +
        `over ${result.users} test users`);
    assert.ok(result.users > 100);
    assert.ok(result.recall >= 2 * result.randomRecall, `Recall@50 ${result.recall} < 2 x random ${result.randomRecall}`);
    learner.dispose();
});
//# sourceMappingURL=ml100k.test.js.map