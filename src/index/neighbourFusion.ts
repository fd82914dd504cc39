import type { Neighbor } from './annIndex.js';

/**
 * The rank offset of the fusion: small, so that each source's first places dominate (I2I's question
 * is the next item, read off the top of the list; U2U's items come from its first neighbours), yet
 * an entity both sources hold near their tops beats one that only one of them ranks first.
 */
const RANK_OFFSET = 10;

/**
 * Weighted reciprocal-rank fusion of the towers' neighbours and a memory-based source's (item
 * co-occurrence for I2I, user co-consumption for U2U):
 * score(i) = (1 - w) / (RANK_OFFSET + rank_towers(i)) + w / (RANK_OFFSET + rank_memory(i)), ranks from
 * 0, a list that lacks i adds nothing. Ties: the towers' order, then the memory source's order. Ranks,
 * not scores: a cosine and a normalised count live on different scales. w = 0 and w = 1 still
 * rank the other source's items after the chosen one's (a short list is filled, not left short).
 * An optional generic list (I2I: the snapshot's non-personal list) adds g / (RANK_OFFSET + rank) on
 * top, g >= 0 unbounded: at g = 0 it adds nothing, at g > 1 its first places outrank both sources.
 */
export function fuseNeighbours(
  towers: readonly Neighbor[],
  memory: readonly Neighbor[],
  weight: number,
  k: number,
  generic?: GenericTerm | null,
): Neighbor[] {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`neighbour fusion: weight must be in [0, 1], got ${weight}`);
  if (generic && !(generic.weight >= 0 && Number.isFinite(generic.weight)))
    throw new RangeError(`neighbour fusion: generic weight must be a finite number >= 0, got ${generic.weight}`);
  // The floor keeps the other source's order as the tie-break inside an all-or-nothing weight.
  const wt = Math.max(1 - weight, 1e-6);
  const wc = Math.max(weight, 1e-6);
  const fused = new Map<string, Neighbor>();
  towers.forEach((n, r) => fused.set(n.id, { id: n.id, score: wt / (RANK_OFFSET + r) }));
  memory.forEach((n, r) => {
    const entry = fused.get(n.id);
    if (entry) entry.score += wc / (RANK_OFFSET + r);
    else fused.set(n.id, { id: n.id, score: wc / (RANK_OFFSET + r) });
  });
  if (generic && generic.weight > 0)
    generic.ids.forEach((id, r) => {
      const add = generic.weight / (RANK_OFFSET + r);
      const entry = fused.get(id);
      if (entry) entry.score += add;
      else fused.set(id, { id, score: add });
    });
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}

/** A ranked id list fused on top of the two sources, with its weight (see `fuseNeighbours`). */
export interface GenericTerm {
  ids: readonly string[];
  weight: number;
}
