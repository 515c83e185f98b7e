/**
 * Cell-level reading for the CSV import: the date and time forms staff
 * spreadsheets produce, and where each cell starts in a raw line.
 */
import { isPlainDate } from '../time/plain-date';

/** Picks `;` when the header line has more semicolons than commas (outside quotes). */
export function detectDelimiter(text: string): ',' | ';' {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const count = (ch: string): number => outsideQuotes.split(ch).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Start offset of each cell in one raw record, honouring quotes. */
export function cellOffsets(raw: string, delimiter: string): number[] {
  const offsets = [0];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) offsets.push(i + 1);
  }
  return offsets;
}

/** `YYYY-MM-DD` or `DD/MM/YYYY` → PlainDate, or undefined. */
export function parseDateCell(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const local = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : local ? [local[3], local[2], local[1]] : [];
  if (!y || !m || !d) return undefined;
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isPlainDate(date) ? date : undefined;
}

/** `14:00`, `14.00`, `9:30`, `14:00:00` (Excel) → `HH:mm`, or undefined. */
export function parseTimeCell(text: string): string | undefined {
  const match = /^([01]?\d|2[0-3])[:.]([0-5]\d)(?::00)?$/.exec(text);
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : undefined;
}

export function parseClosesCell(text: string, openDate: string): { date: string; time: string } | undefined {
  const time = parseTimeCell(text);
  if (time) return { date: openDate, time };
  const match = /^(\S+)[ T](\S+)$/.exec(text);
  if (!match) return undefined;
  const date = parseDateCell(match[1]!);
  const at = parseTimeCell(match[2]!);
  return date && at ? { date, time: at } : undefined;
}
