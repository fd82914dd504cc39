/**
 * One test-then-train step (River's progressive validation), the only place its order is written:
 * every probe (the learner's own, then the caller's) tests the batch on the model as it stands,
 * then the learner learns it. `next`, the
 * batch that will follow, lets the learner start its extras in the background meanwhile.
 */
export async function testThenTrain(learner, batch, probes, next) {
    for (const probe of learner.probes ?? [])
        probe.test(batch);
    for (const probe of probes)
        probe.test(batch);
    if (next && next.length > 0)
        learner.prefetch?.(next);
    return learner.learnMany(batch);
}
/**
 * A finite stream through testThenTrain in fixed, count-only batches (no timers, so a seed
 * reproduces exactly): the loop of `micstream eval`, the benchmarks and the quality tests.
 * @returns the steps run.
 */
export async function replayTestThenTrain(learner, events, options) {
    const { batchSize } = options;
    let batch = events.slice(0, batchSize);
    let step = 0;
    for (let i = 0; i < events.length; i += batchSize, step++) {
        const next = events.slice(i + batchSize, i + 2 * batchSize);
        await testThenTrain(learner, batch, options.probes ?? [], next);
        await options.afterStep?.(step);
        batch = next;
    }
    return step;
}
//# sourceMappingURL=testThenTrain.js.map