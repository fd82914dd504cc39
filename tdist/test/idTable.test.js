import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdTable } from '../src/util/idTable.js';
test('IdTable numbers ids densely in first-seen order and gives a known id its number again', () => {
    const table = new IdTable();
    assert.deepEqual(['b', 'a', 'b', '__proto__', 'a', 'c'].map(table.numberOf), [0, 1, 0, 2, 1, 3]);
    assert.deepEqual(table.ids, ['b', 'a', '__proto__', 'c']);
    for (const [n, id] of table.ids.entries())
        assert.equal(table.numberOf(id), n);
});
//# sourceMappingURL=idTable.test.js.map