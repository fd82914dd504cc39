import type { InteractionEvent } from '../events/interactionEvent.js';

/**
 * A test-then-train check: it tests a batch on the model as it stands, before the batch is learned
 * (the driver, src/pipeline/testThenTrain.ts, guarantees the order). A prequential metric, a blend
 * selector or any other online evaluation plugs in here.
 */
export interface TestThenTrainProbe {
  test(events: readonly InteractionEvent[]): void;
}
