import type { EmbeddingStoreData } from '../model/embeddingStore.js';
import type { HostAdamData } from '../model/hostAdam.js';
import type { EntityStateData } from './entityState.js';
import type { EventReplayData } from './eventReplay.js';
import type { LearnerOptions } from './learnerOptions.js';
import type { MicExtrasData } from './micExtras.js';
import type { ServingChoicesData } from './servingChoices.js';
import type { SnapshotData } from './snapshotBuilder.js';

export const LEARNER_STATE_FORMAT = 1;

/**
 * Everything an OnlineLearner needs to continue exactly as it would have (the same losses, rows
 * and snapshots for the same later batches): sparse rows with their Adagrad state, dense weights
 * with Adam's, what is known of each id, the replay window, the serving choices' evidence, the
 * clusterings and drift detector, the live snapshot's vectors, the counters and the generators.
 * Plain data with typed arrays: src/checkpoint turns it into checkpoint parts.
 */
export interface LearnerState {
  format: number;
  /** The options a restored learner must share (the shapes of rows and weights). */
  shape: LearnerShape;
  counters: { trainedEvents: number; steps: number; rng: number };
  store: EmbeddingStoreData;
  dense: HostAdamData;
  entities: EntityStateData;
  replay: EventReplayData;
  choices: ServingChoicesData;
  extras: MicExtrasData;
  snapshot: SnapshotData | null;
}

export interface LearnerShape {
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  towerKind: string;
  historyLength: number;
}

export function learnerShape(o: LearnerOptions): LearnerShape {
  return {
    embeddingDim: o.embeddingDim,
    hiddenDim: o.hiddenDim,
    outputDim: o.outputDim,
    towerKind: o.towerKind,
    historyLength: o.historyLength,
  };
}

/**
 * Why a state cannot be restored under these options (null: it can). A learner restored under other
 * shapes could not read its rows and weights; other options (rates, probes) may change between runs.
 */
export function restoreProblem(o: LearnerOptions, state: Partial<LearnerState>): string | null {
  if (state.format !== LEARNER_STATE_FORMAT) return `state format ${String(state.format)}, this build reads ${LEARNER_STATE_FORMAT}`;
  const want = learnerShape(o);
  const got = state.shape as Partial<LearnerShape> | undefined;
  const differ = (Object.keys(want) as (keyof LearnerShape)[]).filter((k) => got?.[k] !== want[k]);
  return differ.length === 0
    ? null
    : `written with ${differ.map((k) => `${k} ${String(got?.[k])}`).join(', ')}; configured ${differ.map((k) => `${k} ${want[k]}`).join(', ')}`;
}
