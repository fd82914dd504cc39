import type { InteractionEvent } from '../events/interactionEvent.js';
import type { IndexSnapshot } from '../index/indexSnapshot.js';
import { fusedHits, mergedSources, type ChannelWeights, type MergedRecallOptions } from '../index/mergedRecall.js';
import { usersWithoutItems } from '../index/userNeighbours.js';
import { PRIOR_SEGMENTS, priorSegment, type PriorSegment } from '../index/popularityPrior.js';
import { CheckBudget, RETURNING_CHECKS_CARRIED, type TestThenTrainProbe } from '../measure/probe.js';
import { remapEvidence, ReturningUsers, SegmentEvidence, type SegmentEvidenceData } from './segmentEvidence.js';

/**
 * The I2I and generic-list weights the checks compare (U2I and U2U keep their configured weights).
 * The generic weight stops at 2: checked on a list fresh every step a larger one can win by a little,
 * while where the list ages (a replica between refreshes, a model that stops updating) it costs the
 * personal channels much more (amazon-beauty, docs/BENCHMARKS.md session 27).
 */
export const MERGED_I2I_WEIGHTS = [0, 0.1, 0.25, 0.5, 1] as const;
export const MERGED_GENERIC_WEIGHTS = [0, 0.1, 0.25, 0.5, 1, 2] as const;

/** Every (I2I, generic) pair of the candidate weights, I2I-major. */
function weightPairs(genericWeights: readonly number[]): readonly { i2i: number; generic: number }[] {
  return MERGED_I2I_WEIGHTS.flatMap((i2i) => genericWeights.map((generic) => ({ i2i, generic })));
}

const CANDIDATES = weightPairs(MERGED_GENERIC_WEIGHTS);

/** The pairs of checkpoints written before the candidates were recorded (generic weights up to 4). */
const UNRECORDED_CANDIDATES = weightPairs([0, 0.1, 0.25, 0.5, 1, 2, 4]);

export interface MergedFusionOptions {
  /** 'auto' = chosen per user segment by the checks; 'fixed' = the configured weights. */
  mode: 'auto' | 'fixed';
  /** The configured merged recall (its U2I / U2U weights stay; its I2I / generic weights are the default choice). */
  merged: MergedRecallOptions;
  /** One check per this many trained events; 0 = none. */
  eventsPerCheck: number;
  /** K of the checks. */
  checkK: number;
  halfLifeChecks: number;
  /** Checks of a segment before its evidence can move it away from the configured weights. */
  minChecks: number;
  /** An event is checked only when the user's previous one is at least this old (stream time, ms): a returning user. */
  gapMs: number;
  /** A segment leaves the configured weights only when the best candidate's paired win over them exceeds this many standard errors. */
  zScore: number;
}

export const MERGED_FUSION_DEFAULTS: Omit<MergedFusionOptions, 'mode' | 'merged' | 'gapMs'> = {
  eventsPerCheck: 16,
  checkK: 20,
  halfLifeChecks: 1000,
  minChecks: 50,
  zScore: 2,
};

/** What a check reads: the serving snapshot and the users' trained items. */
export interface MergedCheckInputs {
  snapshot: IndexSnapshot;
  seenItems(userId: string): ReadonlySet<string>;
}

export interface MergedFusionProbeData extends SegmentEvidenceData {
  budget: number;
  lastSeen: [string, number][];
  /** The (I2I, generic) pair of each evidence entry (absent in older checkpoints: generic weights up to 4). */
  candidates?: { i2i: number; generic: number }[];
}

/**
 * Merged recall's fusion weights per user segment, chosen by the learner itself, test-then-train:
 * before a batch is learned, sampled events of returning users (the previous event at least `gapMs`
 * old, or none; one check per `eventsPerCheck` events) ask whether the event's item is in the top K
 * of the merged answer under each candidate pair of I2I and generic-list weights (U2I and U2U at
 * their configured weights), from the serving snapshot, with the same lists and fusion as serving
 * (src/index/mergedRecall.ts). Decayed hit counts per segment (by trained history length, as the
 * prior's); each snapshot serves the argmax per segment once its paired win over the configured
 * weights is significant (`zScore`: with 30 candidates the plain argmax follows noise), else the
 * configured weights. Why per segment: a user with a long history is
 * answered well by their own vector, a short one by what is popular now and by their last item.
 */
export class MergedFusionProbe implements TestThenTrainProbe {
  readonly options: MergedFusionOptions;
  private readonly evidence: SegmentEvidence;
  private readonly budget: CheckBudget;
  private readonly returning: ReturningUsers;
  /** The candidate the configured weights are (the default choice). */
  private readonly configured: number;
  private readonly withoutItems = new WeakMap<object, ReadonlySet<string>>();
  private readonly candidateWeights: ChannelWeights[];

  constructor(
    options: Pick<MergedFusionOptions, 'mode' | 'merged' | 'gapMs'> & Partial<MergedFusionOptions>,
    private readonly live: () => MergedCheckInputs | null,
  ) {
    this.options = { ...MERGED_FUSION_DEFAULTS, ...options };
    this.budget = new CheckBudget(this.options.eventsPerCheck, RETURNING_CHECKS_CARRIED);
    this.returning = new ReturningUsers(this.options.gapMs);
    const w = this.options.merged.weights;
    this.configured = CANDIDATES.findIndex((c) => c.i2i === w.i2i && c.generic === w.generic);
    this.evidence = new SegmentEvidence(CANDIDATES.length, this.options.halfLifeChecks, this.options.minChecks, {
      reference: Math.max(0, this.configured),
      zScore: this.options.zScore,
    });
    this.candidateWeights = CANDIDATES.map((_, i) => this.weightsOf(i));
  }

  /** Weights per segment to serve (null when fixed: the configured weights apply). */
  weights(): Record<PriorSegment, ChannelWeights> | null {
    if (this.options.mode !== 'auto') return null;
    const out = {} as Record<PriorSegment, ChannelWeights>;
    for (const s of PRIOR_SEGMENTS) out[s] = this.candidateWeights[this.choice(s)]!;
    return out;
  }

  test(events: readonly InteractionEvent[]): void {
    if (this.options.mode !== 'auto') return;
    const allowed = this.budget.take(events.length);
    const returning = events.filter((e) => this.returning.note(e.userId, e.timestamp));
    const live = this.live();
    if (!live || allowed === 0 || returning.length === 0) {
      this.budget.giveBack(allowed);
      return;
    }
    const merged = this.options.merged;
    // Every candidate channel computed once; each candidate only re-fuses them.
    const all: ChannelWeights = { ...merged.weights, i2i: 1, generic: 1 };
    // U2U pools only users with items: that set costs a scan of the users, once per snapshot, and only when U2U is on.
    const users = live.snapshot.users;
    let without = this.withoutItems.get(users);
    if (!without)
      this.withoutItems.set(users, (without = all.u2u > 0 ? usersWithoutItems(live.snapshot.users, live.seenItems) : new Set()));
    const input = { snapshot: live.snapshot, seenItems: live.seenItems, usersWithoutItems: without };
    const n = Math.min(allowed, returning.length);
    this.budget.giveBack(allowed - n);
    const k = this.options.checkK;
    for (let c = 0; c < n; c++) {
      const e = returning[Math.floor((c * returning.length) / n)]!;
      const seen = live.seenItems(e.userId);
      if (seen.has(e.itemId)) continue;
      const sources = mergedSources(input, e.userId, Math.max(k, merged.depth), merged, all);
      if (!sources) continue;
      const hits = fusedHits(sources, e.itemId, k, merged.rrfK, this.candidateWeights);
      this.evidence.record(priorSegment(seen.size), hits);
    }
  }

  forgetUser(userId: string): void {
    this.returning.forget(userId);
  }

  /** Per segment: the served I2I / generic weights, the checks, and the best candidate's decayed hit rate against the configured one's. */
  stats(): Record<PriorSegment, { i2i: number; generic: number; checks: number; hitRate: number; configuredHitRate: number }> {
    const out = {} as ReturnType<MergedFusionProbe['stats']>;
    for (const s of PRIOR_SEGMENTS) {
      const rates = this.evidence.hitRates(s);
      const best = this.choice(s);
      out[s] = {
        ...CANDIDATES[best]!,
        checks: this.evidence.checks(s),
        hitRate: rates[best]!,
        configuredHitRate: rates[this.configured] ?? 0,
      };
    }
    return out;
  }

  toData(): MergedFusionProbeData {
    return {
      ...this.evidence.toData(),
      budget: this.budget.carried,
      lastSeen: this.returning.toData(),
      candidates: CANDIDATES.map((c) => ({ ...c })),
    };
  }

  /** Evidence of a pair no longer a candidate is dropped; a new pair starts with none. */
  restore(data: MergedFusionProbeData): void {
    const saved = data.candidates ?? UNRECORDED_CANDIDATES;
    const map = saved.map((c) => CANDIDATES.findIndex((n) => n.i2i === c.i2i && n.generic === c.generic));
    const same = saved.length === CANDIDATES.length && map.every((j, i) => j === i);
    this.evidence.restore(same ? data : remapEvidence(data, map, CANDIDATES.length));
    this.budget.restore(data.budget);
    this.returning.restore(data.lastSeen);
  }

  /**
   * The segment's best candidate (a segment short of evidence follows the pooled checks); the configured weights (or,
   * when they are no candidate, the first) unless the best one's win over them is significant.
   */
  private choice(segment: PriorSegment): number {
    return this.evidence.best(segment);
  }

  private weightsOf(candidate: number): ChannelWeights {
    const c = CANDIDATES[candidate]!;
    return { ...this.options.merged.weights, i2i: c.i2i, generic: c.generic };
  }
}
