/**
 * Conversions between instants and wall-clock time in an IANA zone. The host
 * time zone is never consulted.
 *
 * The zone rules come from the Temporal polyfill (@js-temporal/polyfill, the
 * TC39 API on top of the engine's Intl data): a hand-made cache of offsets per
 * UTC hour got zones whose clocks change off the hour wrong
 * (Australia/Lord_Howe moves by 30 minutes at 15:30 UTC).
 *
 * Speed: planning a year for 200 offices converts hundreds of thousands of
 * times, and one Temporal conversion costs 30–50 µs. So we remember, per zone,
 * the spans between two of Temporal's own transitions (`getTimeZoneTransition`)
 * with their offset: a span is exact by construction, and a year has two or
 * three of them. Wall-time → instant uses a span only when no other offset is
 * within two days (then the answer is unique, see `fromLocal`); everything
 * near a transition is left to Temporal.
 *
 * test/time/zone-transitions.test.ts checks every IANA zone around each
 * transition 2026–2030 against Intl.DateTimeFormat.
 */
import { Temporal } from '@js-temporal/polyfill';
import { type PlainDate } from './plain-date';

export interface LocalDateTime {
  date: PlainDate;
  /** `HH:mm`, 24-hour. */
  time: string;
}

// `fromLocal` also takes `HH:mm:ss`: explicit releases may open at a second
// (drills and end-to-end tests use openings seconds away).

const NS_PER_MS = 1_000_000;
const TWO_DAYS_MS = 2 * 86_400_000;
/** Spans remembered per zone before the list is dropped and rebuilt (bounds memory). */
const MAX_SPANS_PER_ZONE = 1_000;

/** [startMs, endMs) during which `zone` keeps one UTC offset. */
interface OffsetSpan {
  startMs: number;
  endMs: number;
  offsetMs: number;
}

const spansByZone = new Map<string, OffsetSpan[]>();

/** The span of constant offset that holds `instantMs`, from cache or from Temporal. */
function spanAt(zone: string, instantMs: number): OffsetSpan {
  let spans = spansByZone.get(zone);
  if (!spans) {
    spans = [];
    spansByZone.set(zone, spans);
  }
  // Spans are kept sorted by start; a planning walk hits the same few.
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = spans[mid]!;
    if (instantMs < span.startMs) high = mid - 1;
    else if (instantMs >= span.endMs) low = mid + 1;
    else return span;
  }
  const span = spanFromTemporal(zone, instantMs);
  if (spans.length >= MAX_SPANS_PER_ZONE) spans.length = 0;
  const at = spans.findIndex((s) => s.startMs > span.startMs);
  spans.splice(at === -1 ? spans.length : at, 0, span);
  return span;
}

function spanFromTemporal(zone: string, instantMs: number): OffsetSpan {
  const here = Temporal.Instant.fromEpochMilliseconds(instantMs).toZonedDateTimeISO(zone);
  // "previous" is strictly before its argument: ask from 1 ns later so that a
  // transition exactly at `instantMs` starts this span.
  const justAfter = Temporal.Instant.fromEpochNanoseconds(here.epochNanoseconds + 1n).toZonedDateTimeISO(zone);
  const previous = justAfter.getTimeZoneTransition('previous');
  const next = here.getTimeZoneTransition('next');
  return {
    startMs: previous ? previous.epochMilliseconds : Number.NEGATIVE_INFINITY,
    endMs: next ? next.epochMilliseconds : Number.POSITIVE_INFINITY,
    offsetMs: here.offsetNanoseconds / NS_PER_MS,
  };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to UTC to get wall-clock time in `zone` at `instantMs`. */
export function zoneOffsetMs(zone: string, instantMs: number): number {
  return spanAt(zone, instantMs).offsetMs;
}

/** A change of a zone's UTC offset (a DST start or end, or a change of standard time). */
export interface ClockChange {
  at: Date;
  offsetBeforeMs: number;
  offsetAfterMs: number;
}

/** Every offset change of `zone` in [from, to), in order. */
export function clockChanges(zone: string, from: Date, to: Date): ClockChange[] {
  const out: ClockChange[] = [];
  let span = spanAt(zone, from.getTime());
  while (span.endMs < to.getTime()) {
    const next = spanAt(zone, span.endMs);
    out.push({ at: new Date(span.endMs), offsetBeforeMs: span.offsetMs, offsetAfterMs: next.offsetMs });
    span = next;
  }
  return out;
}

/** The wall-clock date and time in `zone` at `instant`. */
export function toLocal(instant: Date, zone: string): LocalDateTime {
  // Shifting by the offset and reading the result as UTC is much cheaper than
  // asking Temporal for each field; the offset is the only zone-dependent part.
  const ms = instant.getTime();
  const iso = new Date(ms + zoneOffsetMs(zone, ms)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * The instant when the wall clock in `zone` shows `date time`.
 *
 * Daylight-saving traps, resolved as Temporal's `compatible` disambiguation
 * (and RFC 5545) do: a time skipped by a spring-forward gap resolves to the
 * same wall time shifted by the gap (02:30 → 03:30 in Europe/Berlin); a time
 * that happens twice in an autumn overlap resolves to the first occurrence.
 */
export function fromLocal(date: PlainDate, time: string, zone: string): Date {
  const [h, m, sec] = time.split(':').map(Number);
  const [y, mo, d] = date.split('-').map(Number);
  const wallAsUtc = Date.UTC(y!, mo! - 1, d!, h!, m!, sec ?? 0);
  // Fast path: the guess shows the asked wall time, and its span of one offset
  // reaches two days either way. Any other instant with that wall time would
  // lie under another offset, as far away as the two offsets differ: never two
  // days (the largest jump on record is 24 h 40 min, Pacific/Kiritimati 1994),
  // which that span rules out. So the guess is the only answer.
  const guess = wallAsUtc - zoneOffsetMs(zone, wallAsUtc);
  const span = spanAt(zone, guess);
  if (guess + span.offsetMs === wallAsUtc && span.startMs <= guess - TWO_DAYS_MS && guess + TWO_DAYS_MS < span.endMs) {
    return new Date(guess);
  }
  return new Date(toPlainDateTime(date, time).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds);
}

/** What a wall time is on one date in a zone: normal, skipped by a gap, or repeated. */
export type LocalTimeKind =
  | { kind: 'normal'; at: Date }
  /** Does not exist; `at` is the instant `fromLocal` gives (shifted by the gap). */
  | { kind: 'skipped'; at: Date; gapMinutes: number }
  /** Happens twice; `fromLocal` gives `first`. */
  | { kind: 'repeated'; first: Date; second: Date };

export function classifyLocalTime(date: PlainDate, time: string, zone: string): LocalTimeKind {
  const wall = toPlainDateTime(date, time);
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = wall.toZonedDateTime(zone, { disambiguation: 'later' });
  if (earlier.epochNanoseconds === later.epochNanoseconds) return { kind: 'normal', at: new Date(earlier.epochMilliseconds) };
  // Both resolutions show the asked wall time only when it happens twice.
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), wall) === 0) {
    return { kind: 'repeated', first: new Date(earlier.epochMilliseconds), second: new Date(later.epochMilliseconds) };
  }
  const gapMinutes = (later.offsetNanoseconds - earlier.offsetNanoseconds) / NS_PER_MS / 60_000;
  const compatible = wall.toZonedDateTime(zone, { disambiguation: 'compatible' });
  return { kind: 'skipped', at: new Date(compatible.epochMilliseconds), gapMinutes };
}

function toPlainDateTime(date: PlainDate, time: string): Temporal.PlainDateTime {
  const [h, m, sec] = time.split(':').map(Number);
  const [y, mo, d] = date.split('-').map(Number);
  return new Temporal.PlainDateTime(y!, mo!, d!, h!, m!, sec ?? 0);
}
