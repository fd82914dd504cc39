import type { InteractionEvent } from '../events/interactionEvent.js';
import { BruteForceIndex } from '../index/bruteForceIndex.js';
import { HnswIndex, type HnswOptions } from '../index/hnswIndex.js';
import type { AnnIndex, Neighbor } from '../index/annIndex.js';
import { itemFields, prepareBatch, userFields, type AccidentalHitMode } from '../model/batchBuilder.js';
import { EmbeddingStore } from '../model/embeddingStore.js';
import { FeatureState } from '../model/featureState.js';
import { DecayedFrequencyEstimator } from '../model/frequencyEstimator.js';
import { buildTowerInput } from '../model/towerInput.js';
import { encodeWithTower, Trainer, type StepResult } from '../model/trainer.js';
import { TwoTowerModel } from '../model/twoTowerModel.js';
import type { IndexSnapshot } from './indexSnapshot.js';

export interface LearnerOptions {
  seed: number;
  embeddingDim: number;
  hiddenDim: number;
  outputDim: number;
  temperature: number;
  historyLength: number;
  sparseLearningRate: number;
  denseLearningRate: number;
  logQ: boolean;
  logQHalfLifeEvents: number;
  accidentalHits: AccidentalHitMode;
  /** 'hnsw' for serving; 'exact' (brute force) for evaluation oracles and tiny catalogues. */
  indexKind: 'hnsw' | 'exact';
  hnsw: Omit<HnswOptions, 'dim' | 'initialCapacity'>;
}

export const LEARNER_DEFAULTS: LearnerOptions = {
  seed: 42,
  embeddingDim: 32,
  hiddenDim: 128,
  outputDim: 32,
  temperature: 0.1,
  historyLength: 20,
  sparseLearningRate: 0.05,
  denseLearningRate: 0.002,
  logQ: true,
  logQHalfLifeEvents: 2000,
  accidentalHits: 'ignore',
  indexKind: 'hnsw',
  hnsw: { m: 16, efConstruction: 200, efSearch: 100, seed: 100 },
};

const ENCODE_CHUNK = 2048;

/**
 * The online learner (River style): `learnMany` applies one training step to a micro-batch,
 * `refreshIndex` publishes a fresh immutable IndexSnapshot, and recall reads the current snapshot.
 * learnMany calls must be serialised (the pipeline guarantees it).
 */
export class OnlineLearner {
  readonly options: LearnerOptions;
  readonly store: EmbeddingStore;
  readonly state: FeatureState;
  readonly model: TwoTowerModel;
  private readonly estimator: DecayedFrequencyEstimator;
  private readonly trainer: Trainer;
  private readonly seen = new Map<string, Set<string>>();
  private current: IndexSnapshot | null = null;
  private trained = 0;
  private steps = 0;

  constructor(options: Partial<LearnerOptions> = {}) {
    const o = (this.options = { ...LEARNER_DEFAULTS, ...options, hnsw: { ...LEARNER_DEFAULTS.hnsw, ...options.hnsw } });
    this.store = new EmbeddingStore({ dim: o.embeddingDim, seed: o.seed, learningRate: o.sparseLearningRate });
    this.state = new FeatureState(o.historyLength);
    this.estimator = new DecayedFrequencyEstimator(o.logQHalfLifeEvents);
    this.model = new TwoTowerModel({ embeddingDim: o.embeddingDim, hiddenDim: o.hiddenDim, outputDim: o.outputDim, temperature: o.temperature, seed: o.seed });
    this.trainer = new Trainer(this.model, this.store, { denseLearningRate: o.denseLearningRate });
  }

  get trainedEvents(): number {
    return this.trained;
  }

  get stepCount(): number {
    return this.steps;
  }

  get snapshot(): IndexSnapshot | null {
    return this.current;
  }

  /** Record attributes without learning (e.g. for held-back events): the entity becomes encodable. */
  observe(event: InteractionEvent): void {
    this.state.observeAttributes(event);
  }

  /** One training step on a micro-batch of valid events. */
  async learnMany(events: readonly InteractionEvent[]): Promise<StepResult> {
    if (events.length === 0) return { loss: 0, terms: {} };
    for (const e of events) this.state.observeAttributes(e);
    this.estimator.observe(events.map((e) => e.itemId));
    const batch = prepareBatch(events, this.state, this.estimator, { accidentalHits: this.options.accidentalHits, logQ: this.options.logQ });
    const result = await this.trainer.step(batch);
    for (const e of events) {
      this.state.appendInteraction(e);
      let s = this.seen.get(e.userId);
      if (!s) this.seen.set(e.userId, (s = new Set()));
      s.add(e.itemId);
    }
    this.trained += events.length;
    this.steps++;
    if (this.steps % 1000 === 0) this.estimator.prune();
    return result;
  }

  /** Items the user interacted with in training (excluded from U2I recall). */
  seenItems(userId: string): ReadonlySet<string> {
    return this.seen.get(userId) ?? EMPTY;
  }

  async encodeUsers(ids: readonly string[]): Promise<Float32Array> {
    return this.encodeChunked(ids, (chunk) => (rows) => buildTowerInput(chunk.map((id) => userFields(id, this.state, true)), rows), 'user');
  }

  async encodeItems(ids: readonly string[]): Promise<Float32Array> {
    return this.encodeChunked(ids, (chunk) => (rows) => buildTowerInput(chunk.map((id) => itemFields(id, this.state, true)), rows), 'item');
  }

  /** Encode every known user and item and publish a new snapshot (previous one stays valid for readers). */
  async refreshIndex(): Promise<IndexSnapshot> {
    const userIds = [...this.state.knownUsers()];
    const itemIds = [...this.state.knownItems()];
    const users = this.newIndex(userIds.length);
    const items = this.newIndex(itemIds.length);
    if (userIds.length > 0) users.add(userIds, await this.encodeUsers(userIds));
    if (itemIds.length > 0) items.add(itemIds, await this.encodeItems(itemIds));
    this.current = { version: (this.current?.version ?? 0) + 1, createdAt: Date.now(), trainedEvents: this.trained, users, items };
    return this.current;
  }

  /** U2I from the current snapshot, excluding items seen in training. Null when the user is not indexed. */
  recallItemsForUser(userId: string, k: number): Neighbor[] | null {
    const snap = this.current;
    const v = snap?.users.vector(userId);
    if (!snap || !v) return null;
    return snap.items.query(v, k, this.seenItems(userId));
  }

  dispose(): void {
    this.model.dispose();
  }

  private newIndex(expected: number): AnnIndex {
    const dim = this.options.outputDim;
    if (this.options.indexKind === 'exact') return new BruteForceIndex(dim, expected);
    return new HnswIndex({ dim, ...this.options.hnsw, initialCapacity: Math.max(16, expected) });
  }

  private async encodeChunked(
    ids: readonly string[],
    builder: (chunk: readonly string[]) => Parameters<typeof encodeWithTower>[2],
    side: 'user' | 'item',
  ): Promise<Float32Array> {
    const dim = this.options.outputDim;
    const out = new Float32Array(ids.length * dim);
    const tower = side === 'user' ? this.model.userTower : this.model.itemTower;
    for (let start = 0; start < ids.length; start += ENCODE_CHUNK) {
      const chunk = ids.slice(start, start + ENCODE_CHUNK);
      out.set(await encodeWithTower(tower, this.store, builder(chunk)), start * dim);
    }
    return out;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
