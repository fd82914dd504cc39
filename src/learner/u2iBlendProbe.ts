import type { InteractionEvent } from '../events/interactionEvent.js';
import type { IndexSnapshot, VectorTable } from '../index/indexSnapshot.js';
import { CheckBudget, RETURNING_CHECKS_CARRIED, type TestThenTrainProbe } from '../measure/probe.js';
import { blendUserVector, U2I_BLEND_CHECK_K, U2IBlendSelector, type U2IBlendMode, type U2IBlendSelectorData } from './u2iBlend.js';

export interface U2IBlendProbeOptions {
  mode: U2IBlendMode;
  /** A user's event is a returning one when the previous one is at least this old. */
  gapMs: number;
  /** One check per this many trained events; 0 = none. */
  eventsPerCheck: number;
}

/** What a check reads of the live snapshot: the item index, the users' full and attribute-only vectors. */
export interface BlendCheckInputs {
  snapshot: IndexSnapshot;
  users: VectorTable;
  userAttributes: VectorTable | null;
  seenItems(userId: string): ReadonlySet<string>;
}

/**
 * The U2I blend as a test-then-train probe (the driver, src/pipeline/testThenTrain.ts, runs it
 * before each batch is learned): the batch's first events whose user returns after a pause (within
 * a budget of one check per `eventsPerCheck` trained events) are looked up in the live snapshot
 * under each candidate blend, and U2IBlendSelector keeps the score. A fixed mode checks nothing and
 * always answers its number.
 */
export class U2IBlendProbe implements TestThenTrainProbe {
  private readonly selector: U2IBlendSelector | null;
  private readonly budget: CheckBudget;

  constructor(
    readonly options: U2IBlendProbeOptions,
    /** What the checks read: the live snapshot's item index and user vectors (null before the first). */
    private readonly live: () => BlendCheckInputs | null,
  ) {
    this.selector = options.mode === 'auto' ? new U2IBlendSelector({ gapMs: options.gapMs }) : null;
    this.budget = new CheckBudget(options.eventsPerCheck, RETURNING_CHECKS_CARRIED);
  }

  /** The blend the next snapshot's U2I queries use. */
  get blend(): number {
    return this.selector ? this.selector.choice() : (this.options.mode as number);
  }

  /** Whether snapshots must carry attribute-only user vectors (the checks score every candidate, 0 included). */
  get needsAttributeVectors(): boolean {
    return (this.selector !== null && this.options.eventsPerCheck > 0) || this.blend > 0;
  }

  /** The auto blend's decayed hit rate per candidate and its checks so far (null unless 'auto'). */
  stats(): { candidates: readonly number[]; hitRates: number[]; checks: number } | null {
    const s = this.selector;
    return s ? { candidates: s.options.candidates, hitRates: s.rates(), checks: s.checks } : null;
  }

  /** Checks of a batch not learned yet, on the snapshot that serves now. */
  test(events: readonly InteractionEvent[]): void {
    const selector = this.selector;
    if (!selector) return;
    const live = this.live();
    const allowed = this.budget.take(events.length);
    let checks = 0;
    for (const e of events) {
      const returning = selector.noteEvent(e.userId, e.timestamp);
      if (!returning || !live?.userAttributes || checks >= allowed) continue;
      const full = live.users.vector(e.userId);
      const attributes = live.userAttributes.vector(e.userId);
      if (!full || !attributes) continue;
      checks++;
      const seen = live.seenItems(e.userId);
      const query = new Float32Array(full.length);
      selector.record(
        selector.options.candidates.map((alpha) =>
          live.snapshot.items
            .query(blendUserVector(full, attributes, alpha, query), U2I_BLEND_CHECK_K, seen, { ef: U2I_BLEND_CHECK_K })
            .some((n) => n.id === e.itemId),
        ),
      );
    }
    this.budget.giveBack(allowed - checks);
  }

  forgetUser(userId: string): void {
    this.selector?.forgetUser(userId);
  }

  toData(): U2IBlendProbeData {
    return { selector: this.selector?.toData() ?? null, budget: this.budget.carried };
  }

  restore(data: U2IBlendProbeData): void {
    if (data.selector && this.selector) this.selector.restore(data.selector);
    this.budget.restore(data.budget);
  }
}

export interface U2IBlendProbeData {
  selector: U2IBlendSelectorData | null;
  budget: number;
}
