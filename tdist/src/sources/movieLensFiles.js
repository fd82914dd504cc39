import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { InteractionRows } from './interactionRows.js';
import { sideAttributes } from './sideAttributes.js';
import { forEachLine } from './textLines.js';
export const MOVIELENS_RATINGS = { csv: 'ratings.csv', dat: 'ratings.dat', '100k': 'u.data' };
/** Reads a MovieLens folder of any of the three layouts; movie genres / years and user fields become attributes. */
export function readMovieLens(dir, layout, notes) {
    const ratings = MOVIELENS_RATINGS[layout];
    const split = layout === 'csv' ? splitCsvLine : layout === 'dat' ? (l) => l.split('::') : (l) => l.split('\t');
    let positions = [0, 1, 3];
    const rows = new InteractionRows(ratings, true);
    forEachLine(join(dir, ratings), (line, lineNumber) => {
        if (layout === 'csv' && lineNumber === 1) {
            positions = csvPositions(split(line));
            return;
        }
        if (line.trim().length === 0)
            return;
        const cells = split(line);
        rows.add(cells[positions[0]], cells[positions[1]], cells[positions[2]], lineNumber);
    });
    const items = layout === '100k' ? items100k(dir, notes) : itemsFrom(dir, layout, notes);
    const users = usersFrom(dir, layout, notes);
    notes.push(`MovieLens ${layout} layout (${ratings})`);
    return rows.toEvents(users, items, notes);
}
function csvPositions(header) {
    return ['userId', 'movieId', 'timestamp'].map((name) => {
        const i = header.indexOf(name);
        if (i < 0)
            throw new DatasetError(`ratings.csv lacks the ${name} column`);
        return i;
    });
}
/** movies.csv (header row, quoted titles) or movies.dat (MovieID::Title::Genres). */
function itemsFrom(dir, layout, notes) {
    const file = layout === 'csv' ? 'movies.csv' : 'movies.dat';
    if (!existsSync(join(dir, file)))
        return new Map();
    let columns = [
        { name: 'movieId', kind: 'token' },
        { name: 'title', kind: 'token' },
        { name: 'genres', kind: 'list', separator: '|' },
    ];
    const rows = [];
    forEachLine(join(dir, file), (line, lineNumber) => {
        if (layout === 'csv' && lineNumber === 1) {
            columns = splitCsvLine(line).map((name) => (name === 'genres' ? { name, kind: 'list', separator: '|' } : { name, kind: 'token' }));
            return;
        }
        if (line.trim().length > 0)
            rows.push(layout === 'csv' ? splitCsvLine(line) : line.split('::'));
    });
    const idColumn = columns.findIndex((c) => c.name === 'movieId');
    if (idColumn < 0)
        throw new DatasetError(`${file} lacks the movieId column`);
    return sideAttributes({ file, columns, idColumn, rows }, notes);
}
/** users.dat (UserID::Gender::Age::Occupation::Zip-code) or u.user (id|age|gender|occupation|zip); ratings.csv layouts have none. */
function usersFrom(dir, layout, notes) {
    const file = layout === 'dat' ? 'users.dat' : layout === '100k' ? 'u.user' : null;
    if (!file || !existsSync(join(dir, file)))
        return new Map();
    const names = layout === 'dat' ? ['userId', 'gender', 'age', 'occupation', 'zip_code'] : ['userId', 'age', 'gender', 'occupation', 'zip_code'];
    const rows = [];
    forEachLine(join(dir, file), (line) => {
        if (line.trim().length > 0)
            rows.push(layout === 'dat' ? line.split('::') : line.split('|'));
    });
    const columns = names.map((name) => ({ name, kind: 'token' }));
    return sideAttributes({ file, columns, idColumn: 0, rows }, notes);
}
/** u.item: id|title|release date|video release|URL|19 genre flags named by u.genre. */
function items100k(dir, notes) {
    if (!existsSync(join(dir, 'u.item')))
        return new Map();
    const genres = [];
    if (existsSync(join(dir, 'u.genre')))
        forEachLine(join(dir, 'u.genre'), (line) => {
            const [name, index] = line.split('|');
            if (name && index !== undefined)
                genres[Number(index)] = name;
        });
    const rows = [];
    forEachLine(join(dir, 'u.item'), (line) => {
        if (line.trim().length === 0)
            return;
        const cells = line.split('|');
        const flags = cells.slice(5);
        const itemGenres = flags.flatMap((flag, i) => (flag === '1' ? [genres[i] ?? `genre${i}`] : []));
        rows.push([cells[0], cells[1] ?? '', /(\d{4})$/.exec(cells[2] ?? '')?.[1] ?? '', itemGenres.join('|')]);
    });
    const columns = [
        { name: 'movieId', kind: 'token' },
        { name: 'title', kind: 'token' },
        { name: 'release_year', kind: 'token' },
        { name: 'genres', kind: 'list', separator: '|' },
    ];
    return sideAttributes({ file: 'u.item', columns, idColumn: 0, rows }, notes);
}
/** Split one CSV line, honouring double-quoted cells (MovieLens titles contain commas). */
export function splitCsvLine(line) {
    const cells = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (quoted) {
            if (ch === '"' && line[i + 1] === '"') {
                cur += '"';
                i++;
            }
            else if (ch === '"')
                quoted = false;
            else
                cur += ch;
        }
        else if (ch === '"')
            quoted = true;
        else if (ch === ',') {
            cells.push(cur);
            cur = '';
        }
        else
            cur += ch;
    }
    cells.push(cur);
    return cells;
}
//# sourceMappingURL=movieLensFiles.js.map