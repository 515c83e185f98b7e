/**
 * Conversions between instants and wall-clock time in an IANA zone, with
 * nothing but Intl: no host time zone is ever consulted.
 *
 * Offsets are cached per zone and UTC hour because planning a year for many
 * offices converts hundreds of thousands of times and Intl is the slow part.
 */
import { PlainDate } from './plain-date';

export interface LocalDateTime {
  date: PlainDate;
  /** `HH:mm`, 24-hour. */
  time: string;
}

// `fromLocal` also takes `HH:mm:ss`: explicit releases may open at a second
// (drills and end-to-end tests use openings seconds away).

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to UTC to get wall-clock time in `zone` at `instantMs`. */
export function zoneOffsetMs(zone: string, instantMs: number): number {
  const hourKey = Math.floor(instantMs / 3_600_000);
  const key = `${zone}|${hourKey}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(hourKey * 3_600_000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = asUtc - hourKey * 3_600_000;
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The wall-clock date and time in `zone` at `instant`. */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(zone, instant.getTime()));
  const iso = shifted.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * The instant when the wall clock in `zone` shows `date time`.
 *
 * Daylight-saving traps: a time skipped by a spring-forward gap resolves to the
 * same wall time shifted by the gap (02:30 → 03:30 in Europe/Berlin); a time
 * that happens twice in an autumn overlap resolves to the first occurrence.
 */
export function fromLocal(date: PlainDate, time: string, zone: string): Date {
  const [h, m, sec] = time.split(':').map(Number);
  const [y, mo, d] = date.split('-').map(Number);
  const wallAsUtc = Date.UTC(y!, mo! - 1, d!, h!, m!, sec ?? 0);
  // Two passes settle every case: the offset an instant near the answer has.
  const firstGuess = wallAsUtc - zoneOffsetMs(zone, wallAsUtc);
  const earlierOffset = zoneOffsetMs(zone, firstGuess - 3_600_000 * 3);
  const laterOffset = zoneOffsetMs(zone, firstGuess + 3_600_000 * 3);
  const candidates = [wallAsUtc - earlierOffset, wallAsUtc - laterOffset].filter(
    (ms) => ms + zoneOffsetMs(zone, ms) === wallAsUtc,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In a gap: keep the wall time's distance from the last valid instant.
  return new Date(wallAsUtc - earlierOffset);
}

/** Parses ISO 8601; without an offset, the text is read as wall time in `zone`. */
export function parseInstant(text: string, zone: string): Date | null {
  const trimmed = text.trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (local) {
    const time = `${local[2] ?? '00'}:${local[3] ?? '00'}`;
    const instant = fromLocal(local[1]!, time, zone);
    return new Date(instant.getTime() + Number(local[4] ?? 0) * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) return null;
  const parsed = new Date(trimmed);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
