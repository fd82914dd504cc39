import { CheckBudget } from '../measure/probe.js';
import { DecayedChoice } from './decayedChoice.js';
/** The weights of a memory-based source against the towers that the checks compare (0 = the towers only). */
export const FUSION_WEIGHTS = [0, 0.25, 0.5, 0.75, 1];
/** The probes' defaults; a channel may override `eventsPerCheck` (how often its check runs). */
export const FUSION_WEIGHT_DEFAULTS = {
    eventsPerCheck: 16,
    checkK: 20,
    halfLifeChecks: 2000,
    minChecks: 50,
    initial: 0.5,
};
/**
 * A neighbour channel's fusion weight (the towers' neighbours against a memory-based source),
 * chosen by the learner itself, test-then-train: before a batch is learned, `check` asks the
 * channel's own question of sampled events under each candidate weight and records the hits;
 * decayed hit counts per candidate, the argmax served (DecayedChoice). What the I2I and U2U fusion
 * probes share; each asks its own question.
 */
export class FusionWeightProbe {
    what;
    live;
    options;
    choice;
    budget;
    constructor(what, options, live) {
        this.what = what;
        this.live = live;
        this.options = options;
        const mode = options.mode;
        if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 1)))
            throw new RangeError(`${what}: mode must be 'auto', 'off' or a number in [0, 1], got ${String(mode)}`);
        this.choice = new DecayedChoice(FUSION_WEIGHTS, options.initial, options.halfLifeChecks, options.minChecks);
        this.budget = new CheckBudget(options.eventsPerCheck);
    }
    /** The weight to serve now (null when off: no memory-based source). */
    get weight() {
        const mode = this.options.mode;
        if (mode === 'off')
            return null;
        return typeof mode === 'number' ? mode : this.choice.best();
    }
    test(events) {
        if (this.options.mode !== 'auto')
            return;
        const allowed = this.budget.take(events.length);
        const live = this.live();
        if (!live || allowed === 0)
            return;
        this.check(events, allowed, live);
    }
    /** Decayed hit rate per candidate weight and the checks so far. */
    stats() {
        return { candidates: FUSION_WEIGHTS, hitRates: this.choice.hitRates(), checks: this.choice.checks };
    }
    toData() {
        return this.choice.toData(this.budget.carried);
    }
    restore(data) {
        this.budget.restore(this.choice.restore(data, this.what));
    }
}
//# sourceMappingURL=fusionWeightProbe.js.map