import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { Attributes, InteractionEvent } from '../events/interactionEvent.js';

export type DatasetFormat = 'atomic' | 'movielens-csv' | 'jsonl';

/**
 * Side-file columns that are not useful attributes: near-unique free text or codes that would act
 * as a second id. Everything else in the .user/.item (or movies.csv) files becomes an attribute.
 */
export const DEFAULT_DROPPED_FIELDS: readonly string[] = ['movie_title', 'title', 'zip_code'];

export interface LoadedDataset {
  format: DatasetFormat;
  /** Valid events in replay order (stable-sorted by timestamp). Empty for jsonl, see `lines`. */
  events: InteractionEvent[];
  /** Raw lines of a jsonl file, replayed as they are so that the pipeline validates them. */
  lines: string[];
}

export function detectFormat(path: string): DatasetFormat {
  if (!existsSync(path)) throw new DatasetError(`dataset path does not exist: ${path}`);
  if (statSync(path).isFile()) {
    if (/\.jsonl?$/i.test(path)) return 'jsonl';
    if (path.endsWith('.inter')) return 'atomic';
    if (path.endsWith('ratings.csv')) return 'movielens-csv';
    throw new DatasetError(`cannot tell the format of ${path}: expected a .jsonl file, a .inter file, ratings.csv or a folder`);
  }
  const names = readdirSync(path);
  if (names.some((n) => n.endsWith('.inter'))) return 'atomic';
  if (names.includes('ratings.csv')) return 'movielens-csv';
  throw new DatasetError(`folder ${path} holds neither RecBole atomic files (*.inter) nor MovieLens ratings.csv`);
}

/** Read a dataset into memory in replay order. @throws DatasetError on missing or malformed files. */
export function loadDataset(path: string, droppedFields: readonly string[] = DEFAULT_DROPPED_FIELDS): LoadedDataset {
  const format = detectFormat(path);
  if (format === 'jsonl') {
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0);
    return { format, events: [], lines };
  }
  const events = format === 'atomic' ? readAtomic(path, droppedFields) : readMovieLensCsv(path, droppedFields);
  return { format, events: stableSortByTime(events), lines: [] };
}

function stableSortByTime(events: InteractionEvent[]): InteractionEvent[] {
  // Array.prototype.sort is stable in V8, so equal timestamps keep file order.
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

interface Table {
  columns: { name: string; type: string }[];
  rows: string[][];
}

function readAtomicTable(file: string): Table {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const header = lines[0]?.replace(/\r$/, '');
  if (!header) throw new DatasetError(`${file} is empty`);
  const columns = header.split('\t').map((h) => {
    const [name, type] = h.split(':');
    return { name: name!, type: type ?? 'token' };
  });
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.length === 0) continue;
    const cells = line.split('\t');
    if (cells.length !== columns.length)
      throw new DatasetError(`${file}:${i + 1}: expected ${columns.length} fields, found ${cells.length}`);
    rows.push(cells);
  }
  return { columns, rows };
}

function sideAttributes(table: Table, idColumn: string, dropped: readonly string[]): Map<string, Attributes> {
  const idIndex = table.columns.findIndex((c) => c.name === idColumn);
  if (idIndex < 0) throw new DatasetError(`side file lacks the ${idColumn} column`);
  const out = new Map<string, Attributes>();
  for (const row of table.rows) {
    const attrs: Attributes = {};
    table.columns.forEach((col, i) => {
      if (i === idIndex || dropped.includes(col.name)) return;
      const cell = row[i]!.trim();
      if (cell.length === 0) return;
      attrs[col.name] = col.type === 'token_seq' ? cell.split(/\s+/) : cell;
    });
    out.set(row[idIndex]!, attrs);
  }
  return out;
}

function readAtomic(path: string, dropped: readonly string[]): InteractionEvent[] {
  const dir = statSync(path).isFile() ? join(path, '..') : path;
  const names = readdirSync(dir);
  const interName = statSync(path).isFile() ? path.slice(dir.length + 1) : names.find((n) => n.endsWith('.inter'));
  if (!interName) throw new DatasetError(`no .inter file in ${dir}`);
  const stem = interName.slice(0, -'.inter'.length);
  const inter = readAtomicTable(join(dir, interName));
  const col = (name: string): number => {
    const i = inter.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new DatasetError(`${interName} lacks the ${name} column`);
    return i;
  };
  const [u, it, ts] = [col('user_id'), col('item_id'), col('timestamp')];
  const userFile = join(dir, `${stem}.user`);
  const itemFile = join(dir, `${stem}.item`);
  const users = existsSync(userFile) ? sideAttributes(readAtomicTable(userFile), 'user_id', dropped) : new Map<string, Attributes>();
  const items = existsSync(itemFile) ? sideAttributes(readAtomicTable(itemFile), 'item_id', dropped) : new Map<string, Attributes>();
  return inter.rows.map((row, i) => {
    const timestamp = Number(row[ts]) * 1000;
    if (!Number.isFinite(timestamp)) throw new DatasetError(`${interName}:${i + 2}: timestamp is not a number`);
    return withAttributes({ userId: row[u]!, itemId: row[it]!, timestamp, type: 'rating' }, users.get(row[u]!), items.get(row[it]!));
  });
}

/** Split one CSV line, honouring double-quoted cells (MovieLens titles contain commas). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

function readMovieLensCsv(path: string, dropped: readonly string[]): InteractionEvent[] {
  const dir = statSync(path).isFile() ? join(path, '..') : path;
  const ratingLines = readFileSync(join(dir, 'ratings.csv'), 'utf8').split('\n');
  const header = splitCsvLine(ratingLines[0]!.trim());
  const [u, it, ts] = ['userId', 'movieId', 'timestamp'].map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new DatasetError(`ratings.csv lacks the ${name} column`);
    return i;
  }) as [number, number, number];
  const items = new Map<string, Attributes>();
  const moviesFile = join(dir, 'movies.csv');
  if (existsSync(moviesFile)) {
    const movieLines = readFileSync(moviesFile, 'utf8').split('\n');
    const mh = splitCsvLine(movieLines[0]!.trim());
    for (const line of movieLines.slice(1)) {
      if (line.trim().length === 0) continue;
      const cells = splitCsvLine(line.replace(/\r$/, ''));
      const attrs: Attributes = {};
      mh.forEach((name, i) => {
        if (name === 'movieId' || dropped.includes(name) || !cells[i]) return;
        attrs[name] = name === 'genres' ? cells[i]!.split('|') : cells[i]!;
      });
      items.set(cells[mh.indexOf('movieId')]!, attrs);
    }
  }
  const events: InteractionEvent[] = [];
  for (let i = 1; i < ratingLines.length; i++) {
    const line = ratingLines[i]!.trim();
    if (line.length === 0) continue;
    const cells = splitCsvLine(line);
    const timestamp = Number(cells[ts]) * 1000;
    if (!Number.isFinite(timestamp)) throw new DatasetError(`ratings.csv:${i + 1}: timestamp is not a number`);
    events.push(withAttributes({ userId: cells[u]!, itemId: cells[it]!, timestamp, type: 'rating' }, undefined, items.get(cells[it]!)));
  }
  return events;
}

function withAttributes(event: InteractionEvent, user: Attributes | undefined, item: Attributes | undefined): InteractionEvent {
  if (user) event.userAttributes = user;
  if (item) event.itemAttributes = item;
  return event;
}
