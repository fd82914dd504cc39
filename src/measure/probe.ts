import type { InteractionEvent } from '../events/interactionEvent.js';

/**
 * A test-then-train check: it tests a batch on the model as it stands, before the batch is learned
 * (the driver, src/pipeline/testThenTrain.ts, guarantees the order). A prequential metric, a blend
 * selector or any other online evaluation plugs in here.
 */
export interface TestThenTrainProbe {
  test(events: readonly InteractionEvent[]): void;
}

/**
 * A probe's check budget: one check per `eventsPerCheck` events (0 = none), so the evidence per
 * event does not depend on the batch size; the fraction carries to the next batch.
 */
export class CheckBudget {
  private credit = 0;

  constructor(private readonly eventsPerCheck: number) {}

  /** The fraction of a check carried to the next batch (checkpoint state). */
  get carried(): number {
    return this.credit;
  }

  restore(carried: number): void {
    this.credit = carried;
  }

  /** The whole checks a batch of `events` events may spend. */
  take(events: number): number {
    this.credit += this.eventsPerCheck > 0 ? events / this.eventsPerCheck : 0;
    const allowed = Math.floor(this.credit);
    this.credit -= allowed;
    return allowed;
  }
}
