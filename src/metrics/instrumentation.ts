/**
 * Namespaced instrumentation events (kafkajs style). Metrics and logs subscribe; emitting never
 * throws into the emitter (a failing listener is reported on `instrumentation.listener_error`).
 */
/** Merged recall's fusion per user segment: the served I2I / generic weights, the checks, the served and the configured weights' decayed hit rates. */
/** The I2I fusion as served: the co-occurrence weight and the generic list's, each with its checks' decayed hit rate per candidate. */
export interface I2IFusionStats {
  weight: number;
  candidates: readonly number[];
  hitRates: readonly number[];
  checks: number;
  /** Item pairs held by the co-occurrence table. */
  pairs: number;
  generic: { weight: number; candidates: readonly number[]; hitRates: readonly number[] };
}

export type MergedFusionStats = Record<
  string,
  { i2i: number; generic: number; checks: number; hitRate: number; configuredHitRate: number }
>;

/** The popularity prior's evidence: candidate betas, and per user segment the served beta, hit rates and checks. */
export interface PriorStats {
  candidates: readonly number[];
  segments: Record<string, { beta: number; hitRates: readonly number[]; checks: number }>;
}

export interface InstrumentationEvents {
  'trainer.step': {
    step: number;
    events: number;
    loss: number;
    terms: Record<string, number>;
    durationMs: number;
    totalEvents: number;
    extrasFrom?: { worker: number; inline: number };
  };
  /** A step failed on its data: its events were dead-lettered (`step_failed`) and the stream goes on. */
  'trainer.error': { events: number; error: unknown };
  /** A step failed with a bug, or too many steps in a row failed: the pipeline stops, readiness fails. */
  'trainer.fatal': { events: number; consecutiveFailures: number; error: unknown };
  'event.invalid': { reason: string; message: string };
  'event.holdout': { userId: string; itemId: string };
  'index.published': {
    version: number;
    users: number;
    items: number;
    durationMs: number;
    createdAt: number;
    u2iBlend?: number;
    /** Events trained when the index was encoded. */
    trainedEvents?: number;
  };
  /** The auto U2I blend's evidence at an index refresh: decayed hit rate per candidate. */
  'u2i.blend': { chosen: number; candidates: readonly number[]; hitRates: readonly number[]; checks: number };
  /** A generic list at an index refresh, per audience (first-time or returning users): the one served and the evidence per candidate. */
  'generic.list': { audience: string; served: string; candidates: readonly string[]; hitRates: readonly number[]; checks: number };
  /** The popularity prior of U2I answers at an index refresh: per user segment, the served beta and the evidence per candidate. */
  'popularity.prior': PriorStats;
  /** Merged recall's fusion at an index refresh, per user segment: the served I2I and generic weights, checks, hit rates. */
  'merged.fusion': MergedFusionStats;
  /** The I2I co-occurrence fusion at an index refresh: the served weights, the evidence per candidate weight, the table's pairs. */
  'i2i.fusion': I2IFusionStats;
  /** The U2U co-consumption fusion at an index refresh: the served weight, the evidence per candidate weight. */
  'u2u.fusion': { weight: number; candidates: readonly number[]; hitRates: readonly number[]; checks: number };
  'prequential.hit': { hit: boolean; k: number };
  'pipeline.end': { events: number; invalid: number };
  'store.size': { rows: number; bytes: number };
  /** Entries per per-id structure of the entity state (EntityState.sizes), every so many steps. */
  'entity.sizes': Readonly<Record<string, number>>;
  'deadletter.error': { error: unknown };
  'consumer.paused': { partitions: number };
  'consumer.resumed': { partitions: number };
  'consumer.crash': { error: unknown; restart: boolean };
  'consumer.lag': { topic: string; partition: number; lag: number };
  'consumer.commit': { offsets: number };
  'consumer.rebalance': { partitions: number };
  'index.publish_failed': { version: number; error: unknown };
  /** A background index build failed; the previous snapshot stays live and the next refresh retries. */
  'index.build_failed': { error: unknown };
  /** A checkpoint is durable: what it covers (source position, trained events) and what it cost. */
  'checkpoint.written': { sequence: number; bytes: number; captureMs: number; totalMs: number; trainedEvents: number; reason: string };
  /** A checkpoint could not be written: offsets stay uncommitted and the next interval tries again. */
  'checkpoint.failed': { reason: string; error: unknown };
  /** A skipped checkpoint at restore (partial, corrupt, incompatible) and why. */
  'checkpoint.skipped': { name: string; why: string };
  /** A recall server swapped in a version; `writerEpoch`: the learner that wrote it (0: unknown). */
  'recall.loaded': { version: number; channel: string; writerEpoch?: number };
  'recall.rejected': { version: number; reason: string };
  'instrumentation.listener_error': { event: string; error: unknown };
}

export type InstrumentationEventName = keyof InstrumentationEvents;
type Listener<K extends InstrumentationEventName> = (payload: InstrumentationEvents[K]) => void;

export class Instrumentation {
  private readonly listeners = new Map<InstrumentationEventName, Set<Listener<never>>>();

  /** Subscribe; returns the function that unsubscribes. */
  on<K extends InstrumentationEventName>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => {
      set!.delete(listener as Listener<never>);
    };
  }

  emit<K extends InstrumentationEventName>(event: K, payload: InstrumentationEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        if (event !== 'instrumentation.listener_error') this.emit('instrumentation.listener_error', { event, error });
      }
    }
  }
}
