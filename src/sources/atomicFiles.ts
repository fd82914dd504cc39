import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { Attributes, InteractionEvent } from '../events/interactionEvent.js';
import { InteractionRows } from './interactionRows.js';
import { sideAttributes, type SideColumn, type SideTable } from './sideAttributes.js';
import { firstLine, forEachLine } from './textLines.js';

/** RecBole's field names first, then the names other atomic datasets give the user (sessions stand in for users). */
const USER_FIELDS = ['user_id', 'uid', 'userid', 'session_id'];
/** RecBole's item_id first, then the item columns of RecBole's own conversions (yelp: business_id, lastfm: artist_id...). */
const ITEM_FIELDS = [
  'item_id',
  'business_id',
  'venue_id',
  'poi_id',
  'product_id',
  'movie_id',
  'track_id',
  'song_id',
  'artist_id',
  'book_id',
  'isbn',
];
const TIME_FIELDS = ['timestamp', 'time', 'date', 'datetime', 'ts'];
/** Ids of the interaction itself, never the item. */
const ROW_ID = /^(review|session|order|event|interaction|log|record|rating)_?id$/i;

interface Column {
  name: string;
  type: string;
}

/**
 * Reads a RecBole atomic folder (or one .inter file): `<stem>.inter` with `<stem>.user` / `<stem>.item`
 * beside it. The user, item and time columns are found by name (RecBole's user_id / item_id /
 * timestamp, or the names RecBole's other conversions use); side columns become attributes as
 * `sideAttributes` decides. What was inferred is appended to `notes`.
 */
export function readAtomic(path: string, notes: string[]): InteractionEvent[] {
  const isFile = statSync(path).isFile();
  const dir = isFile ? dirname(path) : path;
  const interName = isFile
    ? basename(path)
    : readdirSync(dir)
        .filter((n) => n.endsWith('.inter'))
        .sort()[0];
  if (!interName) throw new DatasetError(`no .inter file in ${dir}`);
  const interFile = join(dir, interName);
  const stem = interName.slice(0, -'.inter'.length);
  const columns = headerOf(interFile);
  const user = pickColumn(columns, USER_FIELDS, null);
  if (user < 0) throw new DatasetError(`${interName} has no user column (looked for ${USER_FIELDS.join(', ')}; found ${names(columns)})`);
  const item = pickItemColumn(columns, user, interName);
  const time = pickColumn(columns, TIME_FIELDS, null);
  notes.push(
    `${interName}: user ${columns[user]!.name}, item ${columns[item]!.name}, time ${time >= 0 ? columns[time]!.name : 'none (file order)'}`,
  );

  const sideOf = (suffix: string, idName: string): Map<string, Attributes> => {
    const file = join(dir, `${stem}${suffix}`);
    return existsSync(file) ? sideAttributes(readSideTable(file, idName), notes) : new Map();
  };
  const users = sideOf('.user', columns[user]!.name);
  const items = sideOf('.item', columns[item]!.name);

  const rows = new InteractionRows(interName, time >= 0);
  forEachLine(interFile, (line, lineNumber) => {
    if (lineNumber === 1 || line.length === 0) return;
    const cells = line.split('\t');
    if (cells.length !== columns.length) return rows.add(undefined, undefined, undefined, lineNumber);
    rows.add(cells[user], cells[item], time >= 0 ? cells[time] : undefined, lineNumber);
  });
  return rows.toEvents(users, items, notes);
}

function headerOf(file: string): Column[] {
  const header = firstLine(file);
  if (header.trim().length === 0) throw new DatasetError(`${file} is empty`);
  return parseHeader(header);
}

/** An atomic header line: `name:type` per tab-separated field (type token when absent). */
function parseHeader(line: string): Column[] {
  return line.split('\t').map((h) => {
    const [name, type] = h.trim().split(':');
    return { name: name!, type: type ?? 'token' };
  });
}

function names(columns: readonly Column[]): string {
  return columns.map((c) => c.name).join(', ');
}

/** The first of `preferred` present (case-insensitive), skipping `exclude`; -1 when none is. */
function pickColumn(columns: readonly Column[], preferred: readonly string[], exclude: number | null): number {
  for (const want of preferred) {
    const i = columns.findIndex((c, k) => k !== exclude && c.name.toLowerCase() === want);
    if (i >= 0) return i;
  }
  return -1;
}

/** A known item field, else the one token column named like an id that is neither the user nor a row id. */
function pickItemColumn(columns: readonly Column[], user: number, interName: string): number {
  const known = pickColumn(columns, ITEM_FIELDS, user);
  if (known >= 0) return known;
  const ids = columns
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => i !== user && c.type === 'token' && /_?id$/i.test(c.name) && !ROW_ID.test(c.name));
  if (ids.length === 1) return ids[0]!.i;
  throw new DatasetError(
    `${interName}: cannot tell the item column (looked for ${ITEM_FIELDS.join(', ')}` +
      (ids.length > 1 ? `; candidates ${ids.map(({ c }) => c.name).join(', ')}` : '') +
      `; found ${names(columns)}); name it item_id`,
  );
}

function readSideTable(file: string, idName: string): SideTable {
  const columns: SideColumn[] = [];
  const rows: string[][] = [];
  let width = 0;
  forEachLine(file, (line, lineNumber) => {
    if (lineNumber === 1) {
      for (const { name, type } of parseHeader(line))
        columns.push({ name, kind: type === 'float' || type === 'float_seq' ? 'number' : type === 'token_seq' ? 'list' : 'token' });
      width = columns.length;
      return;
    }
    if (line.length === 0) return;
    const cells = line.split('\t');
    if (cells.length !== width) throw new DatasetError(`${basename(file)}:${lineNumber}: expected ${width} fields, found ${cells.length}`);
    rows.push(cells);
  });
  const idColumn = columns.findIndex((c) => c.name === idName);
  if (idColumn < 0) throw new DatasetError(`${basename(file)} lacks the ${idName} column`);
  return { file: basename(file), columns, idColumn, rows };
}
