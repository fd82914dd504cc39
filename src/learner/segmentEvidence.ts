import { PRIOR_SEGMENTS, type PriorSegment } from '../index/popularityPrior.js';
import { advantageZ, recordPaired, restorePaired, type PairedEvidence } from './pairedAdvantage.js';

/** One segment's decayed hit counts per candidate, their decayed weight and the checks (with a guard: their spread). */
export interface Evidence extends PairedEvidence {
  checks: number;
}

/**
 * Leave the reference candidate only for a significant win: the best candidate's paired advantage
 * over the reference (mean of hit_best - hit_reference per check) must exceed `zScore` standard
 * errors. The argmax over many candidates on decayed, noisy counts is biased upward (the winner's
 * curse); without the guard a segment follows whichever candidate the last thousand checks favoured.
 */
export interface EvidenceGuard {
  reference: number;
  zScore: number;
}

export interface SegmentEvidenceData {
  /** In PRIOR_SEGMENTS order. */
  segments: Evidence[];
  pooled: Evidence;
}

/**
 * The evidence of a per-segment serving choice (the prior's beta, merged recall's weights): decayed
 * hit counts of each candidate per user segment, and of every check pooled, which a segment with
 * fewer than `minChecks` checks of its own follows.
 */
export class SegmentEvidence {
  private readonly segments: Record<PriorSegment, Evidence>;
  private readonly pooled: Evidence;
  private readonly decay: number;

  constructor(
    readonly candidates: number,
    halfLifeChecks: number,
    private readonly minChecks: number,
    private readonly guard: EvidenceGuard | null = null,
  ) {
    this.decay = Math.pow(0.5, 1 / halfLifeChecks);
    const none = (): Evidence =>
      guard
        ? { hits: new Float64Array(candidates), weight: 0, checks: 0, squaredDiffs: new Float64Array(candidates), weightSquares: 0 }
        : { hits: new Float64Array(candidates), weight: 0, checks: 0 };
    this.segments = { new: none(), short: none(), medium: none(), long: none() };
    this.pooled = none();
  }

  /** One check of a user in `segment`: whether each candidate hit. */
  record(segment: PriorSegment, hits: readonly boolean[]): void {
    for (const ev of [this.segments[segment], this.pooled]) {
      recordPaired(ev, hits, this.decay, this.guard?.reference ?? 0);
      ev.checks++;
    }
  }

  /**
   * The segment's best candidate: the one whose decayed hits beat `fallback`'s and every earlier
   * one's (ties keep `fallback`, then the earlier candidate); `fallback` until the evidence is in.
   * With a guard, the guard's reference unless the best one's win over it is significant.
   */
  best(segment: PriorSegment, fallback = this.guard?.reference ?? 0): number {
    const own = this.segments[segment];
    const ev = own.checks >= this.minChecks ? own : this.pooled;
    if (ev.checks < this.minChecks) return fallback;
    let best = fallback;
    for (let c = 0; c < this.candidates; c++) if (ev.hits[c]! > ev.hits[best]! + 1e-9) best = c;
    if (this.guard && best !== this.guard.reference && !(advantageZ(ev, best, this.guard.reference) > this.guard.zScore))
      return this.guard.reference;
    return best;
  }

  /** The segment's own decayed hit rate per candidate. */
  hitRates(segment: PriorSegment): number[] {
    const ev = this.segments[segment];
    return Array.from(ev.hits, (h) => (ev.weight > 0 ? h / ev.weight : 0));
  }

  checks(segment: PriorSegment): number {
    return this.segments[segment].checks;
  }

  toData(): SegmentEvidenceData {
    const copy = (ev: Evidence): Evidence => ({
      ...ev,
      hits: ev.hits.slice(),
      ...(ev.squaredDiffs ? { squaredDiffs: ev.squaredDiffs.slice() } : {}),
    });
    return { segments: PRIOR_SEGMENTS.map((s) => copy(this.segments[s])), pooled: copy(this.pooled) };
  }

  /** @throws RangeError when the data holds another number of candidates. */
  restore(data: SegmentEvidenceData): void {
    // A checkpoint from before the guard has no spread: its evidence counts again from now.
    const into = (ev: Evidence, from: Evidence) => (ev.checks = restorePaired(ev, from, 'evidence') ? from.checks : 0);
    PRIOR_SEGMENTS.forEach((s, i) => into(this.segments[s], data.segments[i]!));
    into(this.pooled, data.pooled);
  }
}

/**
 * Evidence kept for another candidate set, carried over to a new one: `map[i]` is where old candidate
 * i goes (-1: dropped); new candidates without an old one start with no hits. Checkpoints written
 * before a candidate set changed restore through it instead of failing.
 */
export function remapEvidence(data: SegmentEvidenceData, map: readonly number[], candidates: number): SegmentEvidenceData {
  const move = (from: Float64Array): Float64Array => {
    const to = new Float64Array(candidates);
    map.forEach((j, i) => {
      if (j >= 0) to[j] = from[i] ?? 0;
    });
    return to;
  };
  const remap = (ev: Evidence): Evidence => ({
    ...ev,
    hits: move(ev.hits),
    ...(ev.squaredDiffs ? { squaredDiffs: move(ev.squaredDiffs) } : {}),
  });
  return { segments: data.segments.map(remap), pooled: remap(data.pooled) };
}

/** Which events are a returning user's: the user's previous event at least `gapMs` old (stream time), or none. */
export class ReturningUsers {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly gapMs: number) {}

  /** Notes the event; @returns whether its user returns (checked before the note): a first event counts. */
  note(userId: string, timestamp: number): boolean {
    const last = this.noted(userId, timestamp);
    return last === undefined || timestamp - last >= this.gapMs;
  }

  /** Notes the event; @returns whether its user had an earlier event at least the gap before (a first event does not count). */
  noteReturn(userId: string, timestamp: number): boolean {
    const last = this.noted(userId, timestamp);
    return last !== undefined && timestamp - last >= this.gapMs;
  }

  private noted(userId: string, timestamp: number): number | undefined {
    const last = this.lastSeen.get(userId);
    this.lastSeen.set(userId, Math.max(last ?? timestamp, timestamp));
    return last;
  }

  forget(userId: string): void {
    this.lastSeen.delete(userId);
  }

  toData(): [string, number][] {
    return [...this.lastSeen];
  }

  restore(data: readonly [string, number][]): void {
    this.lastSeen.clear();
    for (const [user, at] of data) this.lastSeen.set(user, at);
  }
}
