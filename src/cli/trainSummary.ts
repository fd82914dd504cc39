// What `micstream train` reports when its source ends, and the text it prints.
import type { HoldoutResult } from '../measure/holdout.js';
import type { OnlineLearner } from '../learner/onlineLearner.js';

export interface TrainSummary {
  backend: string;
  source: string;
  records: number;
  /** Trained events in total, the restored checkpoint's included. */
  trainedEvents: number;
  /** Trained events the restored checkpoint covered (0 without one). */
  restoredEvents: number;
  heldOutEvents: number;
  invalidEvents: number;
  invalidByReason: Record<string, number>;
  steps: number;
  seconds: number;
  eventsPerSecond: number;
  finalLoss: number;
  indexVersion: number;
  indexedUsers: number;
  indexedItems: number;
  holdout: HoldoutResult;
  prequential: { k: number; trials: number; hitRate: number };
  /** Blend of the attribute-only user vector in the served U2I queries, and the auto mode's evidence. */
  u2iBlend: { mode: string; served: number; checks: number; hitRates: { blend: number; hitRate: number }[] | null };
  peakInFlight: number;
  publishedIndexes: number;
  embeddingRows: number;
  embeddingBytes: number;
}

export function formatSummary(s: TrainSummary, url: string): string {
  const lift = s.holdout.randomHitRate > 0 ? s.holdout.hitRate / s.holdout.randomHitRate : 0;
  const invalid = Object.entries(s.invalidByReason)
    .map(([r, n]) => `${r}=${n}`)
    .join(' ');
  const restored = s.restoredEvents ? ` after ${s.restoredEvents} restored from a checkpoint` : '';
  const blendDetail = s.u2iBlend.hitRates
    ? ` (auto over ${s.u2iBlend.checks} returning-user checks, HR@20 by blend: ` +
      `${s.u2iBlend.hitRates.map((r) => `${r.blend}=${r.hitRate.toFixed(3)}`).join(' ')})`
    : ' (fixed)';
  return [
    '=== micstream summary ===',
    `source            ${s.source}`,
    `backend           ${s.backend}`,
    `records           ${s.records} (trained ${s.trainedEvents - s.restoredEvents}${restored}, held back ${s.heldOutEvents}, ` +
      `invalid ${s.invalidEvents}${invalid ? `: ${invalid}` : ''})`,
    `training          ${s.steps} steps in ${s.seconds.toFixed(1)} s = ${s.eventsPerSecond.toFixed(0)} events/s, final loss ${s.finalLoss.toFixed(4)}`,
    `index             v${s.indexVersion}: ${s.indexedUsers} users, ${s.indexedItems} items (HNSW)`,
    s.heldOutEvents === 0
      ? 'held-back recall  off (nothing held back: every event trained)'
      : `held-back recall  HR@${s.holdout.k} = ${s.holdout.hitRate.toFixed(4)} over ${s.holdout.events} held-back events (random ranking ` +
        `${s.holdout.randomHitRate.toFixed(4)}, lift ${lift.toFixed(1)}x)`,
    `prequential       HR@${s.prequential.k} = ${s.prequential.hitRate.toFixed(4)} over ${s.prequential.trials} test-then-train checks`,
    `U2I user blend    ${s.u2iBlend.served}${blendDetail}`,
    `backpressure      peak ${s.peakInFlight} records in flight`,
    `embeddings        ${s.embeddingRows} rows, ${(s.embeddingBytes / 1048576).toFixed(1)} MiB`,
    `try               curl '${url}/v1/recall/u2i?user=ID&k=10'  (also /v1/recall/u2u?user=ID, /v1/recall/i2i?item=ID, /v1/recall/merged?user=ID, /metrics)`,
  ].join('\n');
}

export function u2iBlendSummary(mode: string, served: number, stats: ReturnType<OnlineLearner['u2iBlendStats']>): TrainSummary['u2iBlend'] {
  return {
    mode,
    served,
    checks: stats?.checks ?? 0,
    hitRates: stats ? stats.candidates.map((blend, c) => ({ blend, hitRate: stats.hitRates[c] ?? 0 })) : null,
  };
}
