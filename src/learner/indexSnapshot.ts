import type { AnnIndex } from '../index/annIndex.js';

/** One immutable published version of the user and item indexes; swapped whole, never mutated. */
export interface IndexSnapshot {
  version: number;
  createdAt: number;
  /** Events trained when the snapshot was built (freshness). */
  trainedEvents: number;
  users: AnnIndex;
  items: AnnIndex;
}
