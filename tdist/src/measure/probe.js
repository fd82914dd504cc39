/**
 * A probe's check budget: one check per `eventsPerCheck` events (0 = none), so the evidence per
 * event does not depend on the batch size; the fraction carries to the next batch.
 */
export class CheckBudget {
    eventsPerCheck;
    credit = 0;
    constructor(eventsPerCheck) {
        this.eventsPerCheck = eventsPerCheck;
    }
    /** The fraction of a check carried to the next batch (checkpoint state). */
    get carried() {
        return this.credit;
    }
    restore(carried) {
        this.credit = carried;
    }
    /** The whole checks a batch of `events` events may spend. */
    take(events) {
        this.credit += this.eventsPerCheck > 0 ? events / this.eventsPerCheck : 0;
        const allowed = Math.floor(this.credit);
        this.credit -= allowed;
        return allowed;
    }
}
//# sourceMappingURL=probe.js.map