import type { InteractionEvent } from '../events/interactionEvent.js';
import type { IndexSnapshot } from '../index/indexSnapshot.js';
import {
  PRIOR_SEGMENTS,
  priorCandidates,
  priorSegment,
  rankWithPrior,
  type PopularityPrior,
  type PriorSegment,
} from '../index/popularityPrior.js';
import { CheckBudget, RETURNING_CHECKS_CARRIED, type TestThenTrainProbe } from '../measure/probe.js';
import type { EntityState } from './entityState.js';
import { ReturningUsers, SegmentEvidence, type SegmentEvidenceData } from './segmentEvidence.js';

/** The prior weights the checks compare (0 = the plain cosine ranking). */
export const PRIOR_BETAS = [0, 0.25, 0.5, 0.75, 1] as const;

/** 'auto' = chosen per segment by the checks; a number fixes beta for every segment; 'off' = no prior at all. */
export type PriorMode = 'auto' | 'off' | number;

export interface PopularityPriorOptions {
  mode: PriorMode;
  /** The U2I temperature (the prior's unit). */
  temperature: number;
  /** One check per this many trained events; 0 = none. */
  eventsPerCheck: number;
  /** K of the checks (a hit: the event's item in the top K). */
  checkK: number;
  /** Half-life of the checks' weight, in checks of the segment. */
  halfLifeChecks: number;
  /** Checks of a segment before its evidence can move it away from beta 0. */
  minChecks: number;
  /** Trending items carried as candidates. */
  trendingDepth: number;
  /** An event is checked only when the user's previous one is at least this old (stream time, ms): a returning user. */
  gapMs: number;
}

export const POPULARITY_PRIOR_DEFAULTS: Omit<PopularityPriorOptions, 'mode' | 'temperature'> = {
  eventsPerCheck: 16,
  checkK: 20,
  halfLifeChecks: 1000,
  minChecks: 50,
  trendingDepth: 100,
  gapMs: 3600_000,
};

/** What a check reads: the serving snapshot, a user's U2I query vector and trained items. */
export interface PriorCheckInputs {
  snapshot: IndexSnapshot;
  query(userId: string): Float32Array | undefined;
  seenItems(userId: string): ReadonlySet<string>;
}

export interface PopularityPriorProbeData extends SegmentEvidenceData {
  budget: number;
  lastSeen: [string, number][];
}

/**
 * The popularity prior's weight per user segment, chosen by the learner itself, test-then-train:
 * before a batch is learned, sampled events (one per `eventsPerCheck`) of returning users with a
 * vector ask whether the event's item is in the top K of the serving snapshot's U2I answer under
 * each candidate beta (the same candidates and scores as serving, src/index/popularityPrior.ts).
 * Decayed hit counts per segment and candidate; each refresh serves the argmax per segment (ties
 * and too little evidence: the smaller beta, 0 by default). Only returning users' events count (the
 * previous one at least `gapMs` old, or none): U2I answers a user who comes back, while the next
 * event of a session follows the session's items (I2I's trigger), and in one stream the two want
 * different betas.
 */
export class PopularityPriorProbe implements TestThenTrainProbe {
  readonly options: PopularityPriorOptions;
  private readonly evidence: SegmentEvidence;
  private readonly budget: CheckBudget;
  private readonly returning: ReturningUsers;

  constructor(
    options: Pick<PopularityPriorOptions, 'mode' | 'temperature'> & Partial<PopularityPriorOptions>,
    private readonly entities: EntityState,
    private readonly live: () => PriorCheckInputs | null,
  ) {
    this.options = { ...POPULARITY_PRIOR_DEFAULTS, ...options };
    this.budget = new CheckBudget(this.options.eventsPerCheck, RETURNING_CHECKS_CARRIED);
    const mode = this.options.mode;
    if (!(mode === 'auto' || mode === 'off' || (typeof mode === 'number' && mode >= 0 && mode <= 4)))
      throw new RangeError(`popularity prior: mode must be 'auto', 'off' or a number in [0, 4], got ${String(mode)}`);
    this.evidence = new SegmentEvidence(PRIOR_BETAS.length, this.options.halfLifeChecks, this.options.minChecks);
    this.returning = new ReturningUsers(this.options.gapMs);
  }

  /** beta per segment for the next snapshot. */
  betas(): Record<PriorSegment, number> {
    const mode = this.options.mode;
    const out = {} as Record<PriorSegment, number>;
    for (const s of PRIOR_SEGMENTS) out[s] = typeof mode === 'number' ? mode : mode === 'off' ? 0 : this.choice(s);
    return out;
  }

  /**
   * The prior to serve now (null when off): betas, the trending candidates, and log q read from the
   * live frequency estimate at each lookup (written out when a snapshot is published or saved).
   */
  build(): PopularityPrior | null {
    if (this.options.mode === 'off') return null;
    const frequency = this.entities.itemFrequency;
    return {
      temperature: this.options.temperature,
      beta: this.betas(),
      logQ: {
        get(id: string): number | undefined {
          const q = frequency.probability(id);
          return q > 0 ? Math.log(q) : undefined;
        },
      },
      // An item without an estimate was pruned: rarer than any item the estimate still holds.
      floor: frequency.prunedLogProbability(),
      trending: this.entities.trendingItems(this.options.trendingDepth),
    };
  }

  test(events: readonly InteractionEvent[]): void {
    if (this.options.mode !== 'auto') return;
    const live = this.live();
    const prior = live?.snapshot.prior;
    const allowed = this.budget.take(events.length);
    const returning = events.filter((e) => this.returning.note(e.userId, e.timestamp));
    if (!live || !prior || allowed === 0 || returning.length === 0) {
      this.budget.giveBack(allowed);
      return;
    }
    // Evenly spaced over the batch's returning events, so that one burst does not take every check.
    const n = Math.min(allowed, returning.length);
    this.budget.giveBack(allowed - n);
    for (let c = 0; c < n; c++) {
      const e = returning[Math.floor((c * returning.length) / n)]!;
      const seen = live.seenItems(e.userId);
      const query = live.query(e.userId);
      if (!query || seen.has(e.itemId)) continue;
      const candidates = priorCandidates(live.snapshot.items, query, seen, prior);
      const hits = PRIOR_BETAS.map((beta) => rankWithPrior(candidates, prior, beta, this.options.checkK).some((x) => x.id === e.itemId));
      this.evidence.record(priorSegment(seen.size), hits);
    }
  }

  forgetUser(userId: string): void {
    this.returning.forget(userId);
  }

  toData(): PopularityPriorProbeData {
    return { ...this.evidence.toData(), budget: this.budget.carried, lastSeen: this.returning.toData() };
  }

  restore(data: PopularityPriorProbeData): void {
    this.evidence.restore(data);
    this.budget.restore(data.budget);
    this.returning.restore(data.lastSeen);
  }

  /**
   * The segment's best beta so far (ties keep the smaller); a segment with fewer than `minChecks`
   * checks follows all checks pooled, and 0 until those are enough too.
   */
  choice(segment: PriorSegment): number {
    return PRIOR_BETAS[this.evidence.best(segment)]!;
  }

  /** Per segment: the decayed hit rate of each candidate beta and the checks so far. */
  stats(): { candidates: readonly number[]; segments: Record<PriorSegment, { hitRates: number[]; checks: number; beta: number }> } {
    const segments = {} as Record<PriorSegment, { hitRates: number[]; checks: number; beta: number }>;
    const betas = this.betas();
    for (const s of PRIOR_SEGMENTS) segments[s] = { hitRates: this.evidence.hitRates(s), checks: this.evidence.checks(s), beta: betas[s] };
    return { candidates: PRIOR_BETAS, segments };
  }
}
