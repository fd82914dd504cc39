/**
 * Strings numbered densely in the order first seen: the id table of a state written with numbers
 * in place of repeated ids (each id stored once, however many rows name it).
 */
export class IdTable {
  /** The ids, each at its number. */
  readonly ids: string[] = [];
  private readonly numbers = new Map<string, number>();

  /** The number of `id`, the next free one when it is new (an arrow: pass it to `map`). */
  readonly numberOf = (id: string): number => {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numbers.set(id, n);
      this.ids.push(id);
    }
    return n;
  };
}
