/**
 * Instants typed by people (`--from 2027-02-01`, `2027-02-01T14:00+07:00`):
 * ISO 8601, with or without an offset. A date or time that does not exist is
 * refused with the reason, never rolled over (`2027-02-30` is not 2 March).
 */
import { daysInMonth, isPlainDate } from './plain-date';
import { fromLocal } from './zone';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why `text` is not an instant we take, or null when it is. */
export function instantTextProblem(text: string): string | null {
  const trimmed = text.trim();
  const match = LOCAL.exec(trimmed) ?? WITH_OFFSET.exec(trimmed);
  if (!match) return `"${text}" is not ISO 8601`;
  const [, y, mo, d, h, mi, s, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  if (month < 1 || month > 12) return `month ${mo} does not exist in "${text}" (01–12)`;
  if (!isPlainDate(`${y}-${mo}-${d}`)) return `${y}-${mo}-${d} does not exist: ${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days`;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) return `${h}:${mi}${s ? `:${s}` : ''} is not a time of day (00:00–23:59)`;
  if (sign !== undefined && (Number(oh) > 14 || Number(om) > 59)) return `${sign}${oh}:${om} is not a UTC offset (-12:00 to +14:00)`;
  return null;
}

/** Parses ISO 8601; without an offset, the text is read as wall time in `zone`. Null when it is not a valid instant. */
export function parseInstant(text: string, zone: string): Date | null {
  if (instantTextProblem(text) !== null) return null;
  const trimmed = text.trim();
  const local = LOCAL.exec(trimmed);
  if (local) {
    const [, y, mo, d, h, mi, s] = local;
    return fromLocal(`${y}-${mo}-${d}`, `${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}`, zone);
  }
  // `+0700` as well as `+07:00`: Date only reads the second.
  const parsed = new Date(trimmed.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
