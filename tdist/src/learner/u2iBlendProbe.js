import { CheckBudget } from '../measure/probe.js';
import { blendUserVector, U2I_BLEND_CHECK_K, U2IBlendSelector } from './u2iBlend.js';
/**
 * The U2I blend as a test-then-train probe (the driver, src/pipeline/testThenTrain.ts, runs it
 * before each batch is learned): the batch's first events whose user returns after a pause (within
 * a budget of one check per `eventsPerCheck` trained events) are looked up in the live snapshot
 * under each candidate blend, and U2IBlendSelector keeps the score. A fixed mode checks nothing and
 * always answers its number.
 */
export class U2IBlendProbe {
    options;
    live;
    selector;
    budget;
    constructor(options, 
    /** What the checks read: the live snapshot's item index and user vectors (null before the first). */
    live) {
        this.options = options;
        this.live = live;
        this.selector = options.mode === 'auto' ? new U2IBlendSelector({ gapMs: options.gapMs }) : null;
        this.budget = new CheckBudget(options.eventsPerCheck);
    }
    /** The blend the next snapshot's U2I queries use. */
    get blend() {
        return this.selector ? this.selector.choice() : this.options.mode;
    }
    /** Whether snapshots must carry attribute-only user vectors (the checks score every candidate, 0 included). */
    get needsAttributeVectors() {
        return (this.selector !== null && this.options.eventsPerCheck > 0) || this.blend > 0;
    }
    /** The auto blend's decayed hit rate per candidate and its checks so far (null unless 'auto'). */
    stats() {
        const s = this.selector;
        return s ? { candidates: s.options.candidates, hitRates: s.rates(), checks: s.checks } : null;
    }
    /** Checks of a batch not learned yet, on the snapshot that serves now. */
    test(events) {
        const selector = this.selector;
        if (!selector)
            return;
        const live = this.live();
        // Unspent checks do not carry over.
        const allowed = this.budget.take(events.length);
        let checks = 0;
        for (const e of events) {
            const returning = selector.noteEvent(e.userId, e.timestamp);
            if (!returning || !live?.userAttributes || checks >= allowed)
                continue;
            const full = live.users.vector(e.userId);
            const attributes = live.userAttributes.vector(e.userId);
            if (!full || !attributes)
                continue;
            checks++;
            const seen = live.seenItems(e.userId);
            const query = new Float32Array(full.length);
            selector.record(selector.options.candidates.map((alpha) => live.snapshot.items
                .query(blendUserVector(full, attributes, alpha, query), U2I_BLEND_CHECK_K, seen, { ef: U2I_BLEND_CHECK_K })
                .some((n) => n.id === e.itemId)));
        }
    }
    forgetUser(userId) {
        this.selector?.forgetUser(userId);
    }
    toData() {
        return { selector: this.selector?.toData() ?? null, budget: this.budget.carried };
    }
    restore(data) {
        if (data.selector && this.selector)
            this.selector.restore(data.selector);
        this.budget.restore(data.budget);
    }
}
//# sourceMappingURL=u2iBlendProbe.js.map