import type { Observable } from 'rxjs';
import type { FlowGate } from './flowGate.js';
import { gatedObservable } from './gatedObservable.js';
import { DEFAULT_DROPPED_FIELDS, loadDataset } from './datasetFiles.js';

/**
 * Replays a dataset (RecBole atomic files, MovieLens CSV or JSONL of events) in timestamp order.
 * Records are emitted unvalidated (jsonl lines as text) so that the pipeline's validation and
 * dead-letter path sees exactly what a Kafka topic would deliver.
 * `skip`: records a restored checkpoint already covers, not emitted again.
 * @throws DatasetError (synchronously) when the files are missing or malformed.
 */
export function fileReplaySource(
  path: string,
  gate?: FlowGate,
  droppedFields: readonly string[] = DEFAULT_DROPPED_FIELDS,
  skip = 0,
): Observable<unknown> {
  const data = loadDataset(path, droppedFields);
  const records: readonly unknown[] = data.format === 'jsonl' ? data.lines : data.events;
  return gatedObservable(() => records[Symbol.iterator](), gate, skip);
}
