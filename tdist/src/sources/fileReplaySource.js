import { gatedObservable } from './gatedObservable.js';
import { loadDataset } from './datasetFiles.js';
/**
 * Replays a dataset (RecBole atomic files, a MovieLens folder or JSONL of events) in timestamp order.
 * Records are emitted unvalidated (jsonl lines as text) so that the pipeline's validation and
 * dead-letter path sees exactly what a Kafka topic would deliver.
 * `skip`: records a restored checkpoint already covers, not emitted again. `onNotes` gets what the
 * reader inferred from the files (columns, attributes, time unit), once, before any record.
 * @throws DatasetError (synchronously) when the files are missing or malformed.
 */
export function fileReplaySource(path, options = {}) {
    const { gate, skip = 0, onNotes } = options;
    const data = loadDataset(path);
    onNotes?.(data.notes);
    const records = data.format === 'jsonl' ? data.lines : data.events;
    return gatedObservable(() => records[Symbol.iterator](), gate, skip);
}
//# sourceMappingURL=fileReplaySource.js.map