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
 * Checks a returning-user probe may save for later batches. Returning users' events are rare and
 * bunched (raters come back once a day, in bursts), so a batch's share alone lets most of them pass
 * unchecked; the saving is bounded so one burst costs at most this many extra checks.
 */
export const RETURNING_CHECKS_CARRIED = 64;

/**
 * A probe's check budget: one check per `eventsPerCheck` events (0 = none), so the evidence per
 * event does not depend on the batch size; the fraction carries to the next batch. A probe that
 * checks only some events (a returning user's) gives its unspent checks back: up to `maxCarried`
 * of them wait for a later batch, so rare eligible events are not starved by the batches that
 * had none, while one batch still spends at most its own share plus that bounded saving.
 */
export class CheckBudget {
  private credit = 0;

  constructor(
    private readonly eventsPerCheck: number,
    private readonly maxCarried = 0,
  ) {
    if (!(maxCarried >= 0)) throw new RangeError(`maxCarried must be >= 0, got ${maxCarried}`);
  }

  /** The checks (whole and fractional) carried to the next batch (checkpoint state). */
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

  /** Return checks a batch was allowed and did not spend; what would exceed `maxCarried` is dropped. */
  giveBack(unspent: number): void {
    if (unspent <= 0) return;
    const whole = Math.floor(this.credit);
    this.credit += Math.max(0, Math.min(unspent, this.maxCarried - whole));
  }
}
