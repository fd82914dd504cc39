import type { InteractionEvent } from '../events/interactionEvent.js';
import type { TestThenTrainProbe } from '../measure/probe.js';

/** What the driver needs of a learner. */
export interface TestThenTrainLearner<R> {
  learnMany(events: readonly InteractionEvent[]): Promise<R>;
  /** Start work for the batch that will be learned next (the same array), while this step runs. */
  prefetch?(events: readonly InteractionEvent[]): void;
  /** The learner's own checks (e.g. its U2I blend), run before the caller's. */
  readonly probes?: readonly TestThenTrainProbe[];
}

/**
 * One test-then-train step (River's progressive validation), the only place its order is written:
 * every probe (the learner's own, then the caller's) tests the batch on the model as it stands,
 * then the learner learns it. `next`, the
 * batch that will follow, lets the learner start its extras in the background meanwhile.
 */
export async function testThenTrain<R>(
  learner: TestThenTrainLearner<R>,
  batch: readonly InteractionEvent[],
  probes: readonly TestThenTrainProbe[],
  next?: readonly InteractionEvent[],
): Promise<R> {
  for (const probe of learner.probes ?? []) probe.test(batch);
  for (const probe of probes) probe.test(batch);
  if (next && next.length > 0) learner.prefetch?.(next);
  return learner.learnMany(batch);
}

export interface ReplayOptions {
  batchSize: number;
  probes?: readonly TestThenTrainProbe[];
  /** After each step (0-based), e.g. an index refresh on a fixed schedule. */
  afterStep?: (step: number) => Promise<void> | void;
}

/**
 * A finite stream through testThenTrain in fixed, count-only batches (no timers, so a seed
 * reproduces exactly): the loop of `micstream eval`, the benchmarks and the quality tests.
 * @returns the steps run.
 */
export async function replayTestThenTrain<R>(
  learner: TestThenTrainLearner<R>,
  events: readonly InteractionEvent[],
  options: ReplayOptions,
): Promise<number> {
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
