import type { EntityFields } from '../model/towerInput.js';
import type { Rng } from '../util/random.js';

/** Per-field masking probabilities of one side (user or item). */
export interface MaskingOptions {
  /** Probability of masking the id field. */
  id: number;
  /** Probability of masking each attribute value independently (age, gender, each genre, …). */
  attribute: number;
  /** Probability of masking the whole interaction-sequence field. */
  history: number;
  /** Probability of masking each remaining entry of the interaction sequence independently. */
  historyItem: number;
}

export const USER_MASKING_DEFAULTS: MaskingOptions = { id: 0.5, attribute: 0.2, history: 0.2, historyItem: 0.3 };
export const ITEM_MASKING_DEFAULTS: MaskingOptions = { id: 0.5, attribute: 0.2, history: 0.2, historyItem: 0.3 };

/**
 * MIC's multi-level perturbation: independent Bernoulli masks on the id, on each attribute value,
 * on the whole interaction sequence and on each of its entries. Masked values are simply left out, so mean pooling renormalises over what remains;
 * a masked id reads as the zero vector (as an id the model has never seen would).
 */
export function maskFields(fields: EntityFields, rng: Rng, options: MaskingOptions): EntityFields {
  return {
    id: fields.id !== null && rng.next() >= options.id ? fields.id : null,
    attributes: options.attribute > 0 ? fields.attributes.filter(() => rng.next() >= options.attribute) : fields.attributes,
    history: rng.next() < options.history ? [] : options.historyItem > 0 ? fields.history.filter(() => rng.next() >= options.historyItem) : fields.history,
  };
}
