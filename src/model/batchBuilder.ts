import type { InteractionEvent } from '../events/interactionEvent.js';
import type { DecayedFrequencyEstimator } from './frequencyEstimator.js';
import { keys, type FeatureState } from './featureState.js';
import { buildTowerInput, RowTable, type EntityFields, type TowerInput } from './towerInput.js';

/** How repeated users in a batch treat each other's positives (accidental hits). */
export type AccidentalHitMode = 'ignore' | 'mask';

export interface BatchOptions {
  accidentalHits: AccidentalHitMode;
  /** Apply the logQ correction (from the streaming frequency estimate). */
  logQ: boolean;
}

/** A training batch on the host, ready to become tensors. B events, U unique users, M unique items. */
export interface PreparedBatch {
  rows: RowTable;
  users: TowerInput; // U entities
  items: TowerInput; // M entities
  userIds: string[];
  itemIds: string[];
  eventUser: Int32Array; // [B] index into users
  eventItem: Int32Array; // [B] index into items
  itemLogQ: Float32Array; // [M]
  removeMask: Float32Array | null; // [B * M]
  weights: Float32Array; // [B]
}

export function userFields(userId: string, state: FeatureState, withId: boolean): EntityFields {
  return { id: withId ? keys.user(userId) : null, attributes: state.userAttributeKeys(userId), history: state.userHistoryKeys(userId) };
}

export function itemFields(itemId: string, state: FeatureState, withId: boolean): EntityFields {
  return { id: withId ? keys.item(itemId) : null, attributes: state.itemAttributeKeys(itemId), history: state.itemHistoryKeys(itemId) };
}

/**
 * Turn B events into a PreparedBatch. The estimator must already have observed the batch's items
 * (so that every candidate has a probability); feature state must hold the events' attributes.
 */
export function prepareBatch(events: readonly InteractionEvent[], state: FeatureState, estimator: DecayedFrequencyEstimator, options: BatchOptions): PreparedBatch {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const b = events.length;
  const eventUser = new Int32Array(b);
  const eventItem = new Int32Array(b);
  const weights = new Float32Array(b);
  events.forEach((e, n) => {
    let u = userIndex.get(e.userId);
    if (u === undefined) {
      u = userIds.length;
      userIndex.set(e.userId, u);
      userIds.push(e.userId);
    }
    let i = itemIndex.get(e.itemId);
    if (i === undefined) {
      i = itemIds.length;
      itemIndex.set(e.itemId, i);
      itemIds.push(e.itemId);
    }
    eventUser[n] = u;
    eventItem[n] = i;
    weights[n] = e.weight ?? 1;
  });
  const rows = new RowTable();
  const users = buildTowerInput(userIds.map((id) => userFields(id, state, true)), rows);
  const items = buildTowerInput(itemIds.map((id) => itemFields(id, state, true)), rows);
  const m = itemIds.length;
  const itemLogQ = new Float32Array(m);
  if (options.logQ) itemIds.forEach((id, j) => (itemLogQ[j] = estimator.logProbability(id)));
  let removeMask: Float32Array | null = null;
  if (options.accidentalHits === 'mask') {
    const positivesOfUser = new Map<number, number[]>();
    for (let n = 0; n < b; n++) {
      const list = positivesOfUser.get(eventUser[n]!) ?? [];
      list.push(eventItem[n]!);
      positivesOfUser.set(eventUser[n]!, list);
    }
    removeMask = new Float32Array(b * m);
    for (let n = 0; n < b; n++) {
      for (const j of positivesOfUser.get(eventUser[n]!)!) if (j !== eventItem[n]) removeMask[n * m + j] = 1;
    }
  }
  return { rows, users, items, userIds, itemIds, eventUser, eventItem, itemLogQ, removeMask, weights };
}
