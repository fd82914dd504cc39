import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/** The shared datasets folder (never copied into the repo): ../shared/datasets from the repo root. */
export const SHARED_DATASETS = fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));
/** The shared ml-100k folder. */
export const ML100K = `${SHARED_DATASETS}/ml-100k`;
/** The datasets of ../shared/datasets, each with the reference numbers its README gives. */
export const SHARED_DATASET_NAMES = ['ml-100k', 'amazon-beauty', 'yelp-2019'];
/**
 * The reference numbers, read from the datasets' README (computed independently of this project):
 * `| name | users (warm / cold) | a / b / c | a / b / c | a / b / c | hr | pairs |`.
 */
export function referenceNumbers() {
    const text = readFileSync(`${SHARED_DATASETS}/README.md`, 'utf8');
    const rows = new Map();
    for (const line of text.split('\n')) {
        const cells = line.split('|').map((c) => c.trim());
        if (cells.length < 9 || !SHARED_DATASET_NAMES.includes(cells[1]))
            continue;
        const users = /^([\d,]+) \(([\d,]+) \/ ([\d,]+)\)$/.exec(cells[2]);
        if (!users)
            continue;
        const int = (s) => Number(s.replace(/,/g, ''));
        const triple = (s) => s.split('/').map((x) => Number(x.trim()));
        rows.set(cells[1], {
            dataset: cells[1],
            testUsers: int(users[1]),
            warmUsers: int(users[2]),
            coldUsers: int(users[3]),
            pop: triple(cells[3]),
            popRecent: triple(cells[4]),
            itemKnn: triple(cells[5]),
            itemCfI2I: Number(cells[6]),
            i2iPairs: int(cells[7]),
        });
    }
    return rows;
}
//# sourceMappingURL=datasets.js.map