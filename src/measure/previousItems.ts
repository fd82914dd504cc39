import type { InteractionEvent } from '../events/interactionEvent.js';

/**
 * The I2I question of a stream, asked test-then-train: "the user just consumed p; is the next item
 * among p's similar items?". Each event's query is its user's previous item in stream order (an
 * earlier event of the same batch included), none for a user's first event or a repeat of the same
 * item (a query item is never its own neighbour), as the held-out I2I pairs are formed.
 */
export class PreviousItems {
  private readonly last = new Map<string, string>();

  /** The query of each event, in order; notes the events (call once per batch, every batch). */
  queries(events: readonly InteractionEvent[]): (string | null)[] {
    return events.map((e) => {
      const previous = this.last.get(e.userId);
      this.last.set(e.userId, e.itemId);
      return previous !== undefined && previous !== e.itemId ? previous : null;
    });
  }
}
