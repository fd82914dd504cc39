import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { DatasetError } from '../errors.js';
import { readAtomic } from './atomicFiles.js';
import { MOVIELENS_RATINGS, readMovieLens } from './movieLensFiles.js';
import { forEachLine } from './textLines.js';
const LAYOUT_OF = Object.fromEntries(Object.entries(MOVIELENS_RATINGS).map(([layout, file]) => [file, layout]));
export function detectFormat(path) {
    if (!existsSync(path))
        throw new DatasetError(`dataset path does not exist: ${path}`);
    const names = statSync(path).isFile() ? [basename(path)] : readdirSync(path);
    if (names.length === 1 && /\.jsonl?$/i.test(names[0]) && statSync(path).isFile())
        return 'jsonl';
    if (names.some((n) => n.endsWith('.inter')))
        return 'atomic';
    for (const [file, layout] of Object.entries(LAYOUT_OF))
        if (names.includes(file))
            return `movielens-${layout}`;
    throw new DatasetError(statSync(path).isFile()
        ? `cannot tell the format of ${path}: expected a .jsonl file, a .inter file, or MovieLens ratings.csv / ratings.dat / u.data`
        : `folder ${path} holds neither RecBole atomic files (*.inter) nor MovieLens ratings (ratings.csv, ratings.dat or u.data)`);
}
/**
 * Read a dataset into memory in replay order: RecBole atomic files, any of MovieLens' layouts,
 * or JSONL events (kept as lines). @throws DatasetError on missing or unreadable files.
 */
export function loadDataset(path) {
    const format = detectFormat(path);
    const notes = [];
    if (format === 'jsonl') {
        const lines = [];
        forEachLine(path, (line) => {
            if (line.trim().length > 0)
                lines.push(line);
        });
        return { format, events: [], lines, notes };
    }
    const events = format === 'atomic'
        ? readAtomic(path, notes)
        : readMovieLens(statSync(path).isFile() ? dirname(path) : path, format.slice('movielens-'.length), notes);
    return { format, events: stableSortByTime(events), lines: [], notes };
}
function stableSortByTime(events) {
    // Array.prototype.sort is stable in V8, so equal timestamps keep file order.
    return events.sort((a, b) => a.timestamp - b.timestamp);
}
//# sourceMappingURL=datasetFiles.js.map