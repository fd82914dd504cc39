/**
 * Strings numbered densely in the order first seen: the id table of a state written with numbers
 * in place of repeated ids (each id stored once, however many rows name it).
 */
export class IdTable {
    /** The ids, each at its number. */
    ids = [];
    numbers = new Map();
    /** The number of `id`, the next free one when it is new (an arrow: pass it to `map`). */
    numberOf = (id) => {
        let n = this.numbers.get(id);
        if (n === undefined) {
            n = this.ids.length;
            this.numbers.set(id, n);
            this.ids.push(id);
        }
        return n;
    };
}
//# sourceMappingURL=idTable.js.map