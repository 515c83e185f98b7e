/**
 * Quota kept in a spreadsheet: a CSV export merged into the calendar.
 *
 * One row = one service on one service day of one opening. Rows sharing the
 * opening date and time form one release. Headers may be English or
 * Indonesian; Indonesian Excel writes `;` between cells and DD/MM/YYYY dates.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ExplicitRelease } from './types';
import type { Problem, SourceLocation } from '../errors';
import { cellOffsets, detectDelimiter, parseClosesCell, parseDateCell, parseTimeCell } from './csv-cells';
import { TEXT_LIMITS } from './schema';
import { didYouMean } from './suggest';
import { MAX_CONFIG_BYTES } from './yaml-source';

export { parseDateCell, parseTimeCell } from './csv-cells';

type Column = 'opens_on' | 'opens_at' | 'service_date' | 'service' | 'count' | 'closes_at' | 'note';

/** Accepted header names (after lower-casing and turning spaces into `_`). */
export const CSV_COLUMNS: Record<Column, { aliases: string[]; required: boolean }> = {
  opens_on: { aliases: ['opens_on', 'tanggal_buka'], required: true },
  opens_at: { aliases: ['opens_at', 'jam_buka'], required: true },
  service_date: { aliases: ['service_date', 'tanggal_layanan'], required: true },
  service: { aliases: ['service', 'layanan'], required: true },
  count: { aliases: ['count', 'kuota'], required: true },
  closes_at: { aliases: ['closes_at', 'jam_tutup'], required: false },
  note: { aliases: ['note', 'catatan'], required: false },
};

export interface CsvImportOptions {
  /** Service ids from herald.yaml; a row naming another service is a problem. Undefined: herald.yaml is unusable, accept any. */
  serviceIds: readonly string[] | undefined;
  /** `,` or `;`; detected from the header line when absent. */
  delimiter?: ',' | ';';
}

export interface CsvImportResult {
  releases: ExplicitRelease[];
  problems: Problem[];
}

/**
 * Reads the CSV at `absPath`. `file` is how problems name it; `name` (the
 * file as written in calendar.yaml) goes into release ids `csv:NAME@DATE'T'TIME`.
 */
export function importQuotaCsv(absPath: string, file: string, name: string, options: CsvImportOptions): CsvImportResult {
  const size = statSync(absPath).size;
  if (size > MAX_CONFIG_BYTES) {
    return {
      releases: [],
      problems: [{ location: { file, line: 1, col: 1 }, message: `file is ${size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit: split it into several imports.`, severity: 'error' }],
    };
  }
  return parseQuotaCsv(readFileSync(absPath, 'utf8'), file, name, options);
}

interface Row {
  line: number;
  cells: string[];
  /** Location of each cell. */
  at: SourceLocation[];
  /** Location just past the last cell, for missing cells. */
  end: SourceLocation;
}

/** Parses CSV text; see `importQuotaCsv`. */
export function parseQuotaCsv(text: string, file: string, name: string, options: CsvImportOptions): CsvImportResult {
  const problems: Problem[] = [];
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let rows: Row[];
  try {
    rows = readRows(text, file, delimiter);
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    problems.push({
      location: { file, line: e.lines ?? 1, col: 1 },
      message: `cannot read the CSV: ${e.message ?? String(error)}. Check for an unclosed quote (")`,
      severity: 'error',
    });
    return { releases: [], problems };
  }
  const header = rows.shift();
  if (!header) {
    problems.push({ location: { file, line: 1, col: 1 }, message: `the file is empty: add a header line (${requiredHeaders()}) and one row per service day.`, severity: 'error' });
    return { releases: [], problems };
  }
  const columns = mapHeader(header, file, problems);
  if (!columns) return { releases: [], problems };
  if (rows.length === 0) {
    problems.push({ location: header.at[0]!, message: 'the file has a header but no rows: nothing is imported.', severity: 'warning' });
  }
  const releases = groupRows(rows, columns, file, name, options, problems);
  return { releases, problems };
}

function requiredHeaders(): string {
  return Object.values(CSV_COLUMNS)
    .filter((c) => c.required)
    .map((c) => `${c.aliases[0]} or ${c.aliases[1]}`)
    .join(', ');
}

function readRows(text: string, file: string, delimiter: string): Row[] {
  const records = parse(text, {
    bom: true,
    delimiter,
    info: true,
    raw: true,
    relax_column_count: true,
    // `=HYPERLINK("…")` in an unquoted cell: keep the quotes as text so the
    // formula check below can name the cell instead of failing the whole file.
    relax_quotes: true,
    skip_empty_lines: true,
  }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
  return records.map(({ record, info, raw }) => {
    // `raw` also holds the blank lines skipped before the record.
    const body = raw.replace(/^(\r?\n)+/, '').replace(/^\uFEFF/, '');
    const inner = body.replace(/\r?\n$/, '');
    const startLine = info.lines - (inner.split('\n').length - 1);
    const offsets = cellOffsets(inner, delimiter);
    const position = (offset: number): SourceLocation => {
      const before = inner.slice(0, offset).split('\n');
      return {
        file,
        line: startLine + before.length - 1,
        col: before.length === 1 ? offset + 1 : before[before.length - 1]!.length + 1,
      };
    };
    return { line: startLine, cells: record, at: offsets.map(position), end: position(inner.length) };
  });
}

/** Column → cell index, or undefined when a required column is missing. */
function mapHeader(header: Row, file: string, problems: Problem[]): Map<Column, number> | undefined {
  const normalized = header.cells.map((cell) => cell.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const columns = new Map<Column, number>();
  const unused = new Set(normalized.map((_, i) => i));
  for (const [column, spec] of Object.entries(CSV_COLUMNS) as [Column, (typeof CSV_COLUMNS)[Column]][]) {
    const index = normalized.findIndex((name) => spec.aliases.includes(name));
    if (index >= 0) {
      columns.set(column, index);
      unused.delete(index);
    }
  }
  const allNames = Object.values(CSV_COLUMNS).flatMap((c) => c.aliases);
  let missing = false;
  for (const [column, spec] of Object.entries(CSV_COLUMNS) as [Column, (typeof CSV_COLUMNS)[Column]][]) {
    if (!spec.required || columns.has(column)) continue;
    missing = true;
    const nearMiss = [...unused].find((i) => didYouMean(normalized[i]!, spec.aliases) !== '');
    problems.push({
      location: nearMiss === undefined ? { file, line: header.line, col: 1 } : header.at[nearMiss]!,
      message: nearMiss === undefined
        ? `missing column \`${spec.aliases[0]}\` (or \`${spec.aliases[1]}\`): add it to the header line.`
        : `missing column \`${spec.aliases[0]}\` (or \`${spec.aliases[1]}\`): the header has \`${header.cells[nearMiss]!.trim()}\`; rename it.`,
      severity: 'error',
    });
    if (nearMiss !== undefined) unused.delete(nearMiss);
  }
  for (const i of unused) {
    problems.push({
      location: header.at[i]!,
      message: `unknown column \`${header.cells[i]!.trim()}\` is ignored.${didYouMean(normalized[i]!, allNames)} Known columns: ${allNames.join(', ')}.`,
      severity: 'warning',
    });
  }
  return missing ? undefined : columns;
}

interface Group {
  release: ExplicitRelease;
  /** Row where each (date, service) pair was given, to name it in duplicate problems. */
  given: Map<string, number>;
  closesText?: string;
  noteRow?: number;
}

function groupRows(
  rows: Row[],
  columns: Map<Column, number>,
  file: string,
  name: string,
  options: CsvImportOptions,
  problems: Problem[],
): ExplicitRelease[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const cell = (column: Column): { text: string; at: SourceLocation } | undefined => {
      const index = columns.get(column);
      if (index === undefined) return undefined;
      const text = row.cells[index];
      return text === undefined ? { text: '', at: row.end } : { text: text.trim(), at: row.at[index]! };
    };
    const rowProblems: Problem[] = [];
    const fail = (at: SourceLocation, message: string): void => {
      rowProblems.push({ location: at, message, severity: 'error' });
    };
    const required = (column: Column): { text: string; at: SourceLocation } => {
      const found = cell(column)!;
      if (found.text === '') fail(found.at, `empty \`${headerName(column)}\` cell: fill it in or delete the row.`);
      return found;
    };

    const opensOn = required('opens_on');
    const opensAt = required('opens_at');
    const serviceDate = required('service_date');
    const service = required('service');
    const count = required('count');
    const closes = cell('closes_at');
    const note = cell('note');

    for (const text of [service, note]) {
      if (text && /^[=+\-@\t\r]/.test(text.text)) {
        fail(text.at, `cell starts with \`${text.text[0]}\`, which spreadsheets run as a formula: remove the leading character.`);
      }
    }
    if (note && note.text.length > TEXT_LIMITS.note) {
      fail(note.at, `note is ${note.text.length} characters long; posts have room for ${TEXT_LIMITS.note}: keep the note to one or two sentences.`);
    }
    const openDate = opensOn.text && parseDateCell(opensOn.text);
    if (opensOn.text && !openDate) fail(opensOn.at, badDate(opensOn.text, 'opens_on'));
    const openTime = opensAt.text && parseTimeCell(opensAt.text);
    if (opensAt.text && !openTime) fail(opensAt.at, `bad time \`${opensAt.text}\` in \`${headerName('opens_at')}\`: write HH:mm or HH.mm, e.g. 14:00.`);
    const dayDate = serviceDate.text && parseDateCell(serviceDate.text);
    if (serviceDate.text && !dayDate) fail(serviceDate.at, badDate(serviceDate.text, 'service_date'));
    const known = options.serviceIds;
    const serviceId = known ? known.find((id) => id.toLowerCase() === service.text.toLowerCase()) : service.text || undefined;
    if (known && service.text && !serviceId && !rowProblems.some((p) => p.location === service.at)) {
      fail(service.at, `unknown service \`${service.text}\`: use one of ${known.join(', ')} (the ids in herald.yaml).${didYouMean(service.text, known)}`);
    }
    const slots = /^\d+$/.test(count.text) ? Number(count.text) : undefined;
    if (count.text && slots === undefined) {
      fail(count.at, `bad count \`${count.text}\` in \`${headerName('count')}\`: write a whole number of slots, 0 or more, without dots or commas.`);
    }
    if (openDate && dayDate && dayDate < openDate) {
      fail(serviceDate.at, `service day ${dayDate} is before the opening on ${openDate}: quota must open before the day it is for; check both dates.`);
    }
    if (rowProblems.length > 0 || !openDate || !openTime || !dayDate || !serviceId || slots === undefined) {
      problems.push(...rowProblems);
      continue;
    }

    const key = `${openDate}T${openTime}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        release: { id: `csv:${name}@${key}`, opensAt: { date: openDate, time: openTime }, days: [], cancelled: false, origin: 'csv', location: { file, line: row.line, col: 1 } },
        given: new Map(),
      };
      groups.set(key, group);
    }
    addCloses(group, closes, openDate, openTime, problems);
    if (note && note.text) {
      if (group.release.note === undefined) {
        group.release.note = note.text;
        group.noteRow = row.line;
      } else if (group.release.note !== note.text) {
        problems.push({ location: note.at, message: `this opening already has the note "${group.release.note}" (row ${group.noteRow}): give every row of one opening the same note, or leave it empty.`, severity: 'error' });
      }
    }
    const givenKey = `${dayDate}|${serviceId}`;
    const earlier = group.given.get(givenKey);
    if (earlier !== undefined) {
      problems.push({ location: service.at, message: `${serviceId} on ${dayDate} is already given on line ${earlier} for this opening: keep one row and delete the other.`, severity: 'error' });
      continue;
    }
    group.given.set(givenKey, row.line);
    let day = group.release.days.find((d) => d.date === dayDate);
    if (!day) {
      day = { date: dayDate, quota: {}, location: { file, line: row.line, col: 1 } };
      group.release.days.push(day);
    }
    day.quota[serviceId] = slots;
  }
  return [...groups.values()].map(({ release }) => ({ ...release, days: [...release.days].sort((a, b) => (a.date < b.date ? -1 : 1)) }));
}

function addCloses(
  group: Group,
  closes: { text: string; at: SourceLocation } | undefined,
  openDate: string,
  openTime: string,
  problems: Problem[],
): void {
  if (!closes || closes.text === '') return;
  const parsed = parseClosesCell(closes.text, openDate);
  if (!parsed) {
    problems.push({ location: closes.at, message: `bad closing time \`${closes.text}\` in \`${headerName('closes_at')}\`: write HH:mm (on the opening day) or YYYY-MM-DD HH:mm.`, severity: 'error' });
    return;
  }
  if (`${parsed.date}T${parsed.time}` <= `${openDate}T${openTime}`) {
    problems.push({ location: closes.at, message: `closes at ${parsed.date} ${parsed.time}, not after it opens (${openDate} ${openTime}): fix the closing time.`, severity: 'error' });
    return;
  }
  if (group.closesText !== undefined && group.closesText !== `${parsed.date} ${parsed.time}`) {
    problems.push({ location: closes.at, message: `this opening already closes at ${group.closesText}: give every row of one opening the same closing time, or leave it empty.`, severity: 'error' });
    return;
  }
  group.closesText = `${parsed.date} ${parsed.time}`;
  group.release.closesAt = parsed;
}

function headerName(column: Column): string {
  return CSV_COLUMNS[column].aliases.join('/');
}

function badDate(text: string, column: Column): string {
  return `bad date \`${text}\` in \`${headerName(column)}\`: write a real date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2027-01-16 or 16/01/2027.`;
}

