/**
 * Side-file columns known to be free text or codes that would act as a second id. Columns like
 * them under other names are caught by the distinct-value rule in `sideAttributes`.
 */
export const FREE_TEXT_FIELDS = ['movie_title', 'title', 'item_name', 'name', 'address', 'zip_code', 'url'];
/** A number column with at most this many distinct values is a category (stars, a flag); more is continuous. */
const MAX_NUMBER_CATEGORIES = 32;
/** A token column is near-unique (an identifier, a name) when it has more distinct values than this share of its rows... */
const NEAR_UNIQUE_SHARE = 0.5;
/** ...and more than this many: a small table is too small to tell. */
const NEAR_UNIQUE_MIN_DISTINCT = 64;
/** MovieLens writes this where an item has no genre: no attribute, not a genre of its own. */
const NO_VALUE = new Set(['(no genres listed)']);
/**
 * Attributes per id. Columns dropped, each named in `notes`: free-text names (FREE_TEXT_FIELDS),
 * near-unique tokens (they would act as a second id and help no other entity) and continuous
 * numbers (latitude, counts: as tokens each value would be its own attribute).
 */
export function sideAttributes(table, notes) {
    const kept = [];
    const dropped = [];
    table.columns.forEach((column, index) => {
        if (index === table.idColumn)
            return;
        if (FREE_TEXT_FIELDS.includes(column.name))
            return dropped.push(`${column.name} (free text)`);
        const distinct = new Set();
        for (const row of table.rows)
            if (row[index])
                distinct.add(row[index].trim());
        if (column.kind === 'number' && distinct.size > MAX_NUMBER_CATEGORIES)
            return dropped.push(`${column.name} (continuous, ${distinct.size} values)`);
        if (column.kind !== 'number' && distinct.size > Math.max(NEAR_UNIQUE_MIN_DISTINCT, NEAR_UNIQUE_SHARE * table.rows.length))
            return dropped.push(`${column.name} (near-unique, ${distinct.size} values in ${table.rows.length} rows)`);
        kept.push({ index, column });
    });
    notes.push(`${table.file}: attributes ${kept.map((k) => k.column.name).join(', ') || 'none'}` +
        (dropped.length > 0 ? `; dropped ${dropped.join(', ')}` : ''));
    const out = new Map();
    for (const row of table.rows) {
        const attrs = {};
        for (const { index, column } of kept) {
            const cell = row[index]?.trim() ?? '';
            if (cell.length === 0 || NO_VALUE.has(cell))
                continue;
            attrs[column.name] = column.kind === 'list' ? cell.split(column.separator ?? /\s+/) : cell;
        }
        out.set(row[table.idColumn].trim(), attrs);
    }
    return out;
}
//# sourceMappingURL=sideAttributes.js.map