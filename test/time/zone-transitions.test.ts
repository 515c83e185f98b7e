/**
 * Every IANA zone the engine knows, around every offset change 2026–2030:
 * `toLocal` and `fromLocal` against Intl.DateTimeFormat, which this file uses
 * directly (its own transition search, its own reading of wall times), so the
 * reference shares no code with src/time/zone.ts.
 */
import { classifyLocalTime, fromLocal, toLocal } from '../../src/time/zone';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2031, 0, 1);
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

interface Reference {
  /** Wall time at an instant, `YYYY-MM-DD HH:mm:ss`. */
  wall(ms: number): string;
  /** UTC offset at an instant, in ms. */
  offset(ms: number): number;
}

function referenceFor(zone: string): Reference {
  // One formatter gives both the wall time and the offset name (GMT, GMT+10:30, GMT-03:00).
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  });
  // The daily scan needs only the offset: format() is several times cheaper than formatToParts().
  const offsetOnly = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const read = (ms: number): Record<string, string> => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = part.value;
    return parts;
  };
  return {
    wall(ms) {
      const p = read(ms);
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    },
    offset(ms) {
      const name = offsetOnly.format(ms).split(', ')[1]!;
      const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
      if (!match) throw new Error(`unexpected offset name ${name} in ${zone}`);
      if (!match[1]) return 0;
      const size = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
      return match[1] === '-' ? -size : size;
    },
  };
}

/** Every instant in [FROM, TO) where the offset changes, to the second: a daily scan, then bisection. */
function transitionsOf(reference: Reference): number[] {
  const out: number[] = [];
  let previous = reference.offset(FROM);
  for (let day = FROM + DAY_MS; day <= TO; day += DAY_MS) {
    const offset = reference.offset(day);
    if (offset === previous) continue;
    let low = day - DAY_MS; // offset `previous`
    let high = day; // offset `offset`
    while (high - low > 1000) {
      const mid = low + Math.floor((high - low) / 2000) * 1000;
      if (reference.offset(mid) === previous) low = mid;
      else high = mid;
    }
    out.push(high);
    previous = offset;
  }
  return out;
}

/** `YYYY-MM-DD HH:mm:ss` → date and time as fromLocal takes them. */
function split(wall: string): { date: string; time: string } {
  return { date: wall.slice(0, 10), time: wall.slice(11) };
}

/** The instant a wall time means by the reference: the first that shows it, else (in a gap) shifted by the gap. */
function expectedInstant(reference: Reference, wall: string, before: number, after: number): number {
  const asUtc = Date.parse(`${wall.replace(' ', 'T')}Z`);
  const showing = [asUtc - before, asUtc - after].filter((ms) => reference.wall(ms) === wall);
  return showing.length > 0 ? Math.min(...showing) : asUtc - before;
}

const zones = Intl.supportedValuesOf('timeZone');

describe('time/zone against Intl, every zone, every transition 2026–2030', () => {
  it('knows a few hundred zones and finds the transitions of the known ones', () => {
    expect(zones.length).toBeGreaterThan(300);
    expect(transitionsOf(referenceFor('Europe/Berlin')).map((ms) => new Date(ms).toISOString()).slice(0, 2)).toEqual([
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
    ]);
    expect(transitionsOf(referenceFor('Australia/Lord_Howe')).map((ms) => new Date(ms).toISOString()).slice(0, 2)).toEqual([
      '2026-04-04T15:00:00.000Z',
      '2026-10-03T15:30:00.000Z',
    ]);
    expect(transitionsOf(referenceFor('Asia/Jakarta'))).toEqual([]);
  });

  it.each(zones)('%s', (zone) => {
    const reference = referenceFor(zone);
    const mismatches: string[] = [];
    // Zones without transitions still get a few instants checked.
    const transitions = transitionsOf(reference);
    const probes = transitions.length > 0 ? transitions : [Date.UTC(2027, 2, 28, 1), Date.UTC(2029, 9, 28, 1)];
    for (const transition of probes) {
      for (const delta of [-61 * MINUTE_MS, -1, 0, 15 * MINUTE_MS, 45 * MINUTE_MS, 61 * MINUTE_MS]) {
        const ms = transition + delta;
        const expected = reference.wall(ms).slice(0, 16);
        const local = toLocal(new Date(ms), zone);
        const actual = `${local.date} ${local.time}`;
        if (actual !== expected) mismatches.push(`toLocal(${new Date(ms).toISOString()}) = ${actual}, Intl says ${expected}`);
      }
      const before = reference.offset(transition - 1000);
      const after = reference.offset(transition);
      // Wall times on both sides of the change, and inside the gap or the repeated span.
      const walls = new Set<string>();
      for (const delta of [-60, -1, 0, 60]) walls.add(reference.wall(transition + delta * MINUTE_MS));
      // Skipped (gap) or repeated (overlap) wall times start at the change instant read with the smaller offset.
      const spanStart = transition + Math.min(before, after);
      for (const minutes of [0, 1, 29, 59, 60]) {
        walls.add(new Date(spanStart + minutes * MINUTE_MS).toISOString().slice(0, 19).replace('T', ' '));
      }
      for (const wall of walls) {
        const { date, time } = split(wall);
        const expected = expectedInstant(reference, wall, before, after);
        const actual = fromLocal(date, time, zone).getTime();
        if (actual !== expected) {
          mismatches.push(`fromLocal(${wall}) = ${new Date(actual).toISOString()}, Intl says ${new Date(expected).toISOString()}`);
        }
        const showing = [before, after].map((o) => Date.parse(`${wall.replace(' ', 'T')}Z`) - o).filter((ms) => reference.wall(ms) === wall);
        const kind = classifyLocalTime(date, time, zone).kind;
        const expectedKind = new Set(showing).size === 2 ? 'repeated' : showing.length === 0 ? 'skipped' : 'normal';
        if (kind !== expectedKind) mismatches.push(`classifyLocalTime(${wall}) = ${kind}, Intl says ${expectedKind}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
