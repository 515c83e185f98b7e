import { cronOccurrences, parseCron, type CronSchedule } from '../../src/plan/cron';

function parsed(expr: string): CronSchedule {
  const result = parseCron(expr);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function isoList(expr: string, zone: string, from: string, to: string): string[] {
  return cronOccurrences(parsed(expr), zone, new Date(from), new Date(to)).map((d) => d.toISOString());
}

describe('plan/cron-occurrences cronOccurrences', () => {
  it('fires the weekly digest on Sundays at 18:00 WIB in Asia/Pontianak', () => {
    expect(isoList('0 18 * * 0', 'Asia/Pontianak', '2026-11-01T00:00+07:00', '2026-12-01T00:00+07:00')).toEqual([
      '2026-11-01T11:00:00.000Z',
      '2026-11-08T11:00:00.000Z',
      '2026-11-15T11:00:00.000Z',
      '2026-11-22T11:00:00.000Z',
      '2026-11-29T11:00:00.000Z',
    ]);
  });

  it('is half-open: includes `from`, excludes `to`', () => {
    const sunday = '2026-11-08T18:00+07:00';
    expect(isoList('0 18 * * 0', 'Asia/Pontianak', sunday, '2026-11-15T18:00+07:00')).toEqual(['2026-11-08T11:00:00.000Z']);
    expect(isoList('0 18 * * 0', 'Asia/Pontianak', sunday, sunday)).toEqual([]);
    expect(isoList('0 18 * * 0', 'Asia/Pontianak', '2026-11-15T00:00Z', '2026-11-01T00:00Z')).toEqual([]);
  });

  it('uses the leading seconds field', () => {
    expect(isoList('15,45 0 9 * * *', 'Asia/Pontianak', '2026-11-02T00:00+07:00', '2026-11-03T00:00+07:00')).toEqual([
      '2026-11-02T02:00:15.000Z',
      '2026-11-02T02:00:45.000Z',
    ]);
  });

  it('applies the day-of-month OR day-of-week rule', () => {
    // 1st of the month or any Monday, November 2026 (1 Nov is a Sunday).
    const days = isoList('0 12 1 * 1', 'UTC', '2026-11-01T00:00Z', '2026-12-01T00:00Z').map((iso) => iso.slice(0, 10));
    expect(days).toEqual(['2026-11-01', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30']);
  });

  describe('daylight saving in Europe/Berlin', () => {
    it('fires a wall time skipped by the spring-forward gap once, shifted by the gap', () => {
      // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day.
      expect(isoList('30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00Z', '2026-03-31T00:00Z')).toEqual([
        '2026-03-28T01:30:00.000Z', // 02:30 CET
        '2026-03-29T01:30:00.000Z', // 03:30 CEST, the shifted 02:30
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ]);
    });

    it('does not fire twice when a shifted time meets a regular one', () => {
      // 02:00 → 03:00 and 02:30 → 03:30 coincide with the real 03:00 and 03:30.
      expect(isoList('0,30 2,3 * * *', 'Europe/Berlin', '2026-03-29T00:00+01:00', '2026-03-30T00:00+02:00')).toEqual([
        '2026-03-29T01:00:00.000Z',
        '2026-03-29T01:30:00.000Z',
      ]);
    });

    it('fires a wall time repeated by the autumn overlap once, at its first occurrence', () => {
      // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice.
      expect(isoList('30 2 * * *', 'Europe/Berlin', '2026-10-25T00:00+02:00', '2026-10-26T00:00+01:00')).toEqual([
        '2026-10-25T00:30:00.000Z', // 02:30 CEST, not 01:30Z (02:30 CET)
      ]);
    });

    it('fires every quarter hour of the 25-hour day by wall time: 96 times, not 100', () => {
      const fires = cronOccurrences(parsed('*/15 * * * *'), 'Europe/Berlin', new Date('2026-10-25T00:00+02:00'), new Date('2026-10-26T00:00+01:00'));
      expect(fires).toHaveLength(96);
      const gaps = fires.slice(1).map((d, i) => d.getTime() - fires[i]!.getTime());
      expect(Math.max(...gaps)).toBe(75 * 60_000); // 02:45 CEST → 03:00 CET skips the repeated hour
      expect(gaps.every((g) => g > 0)).toBe(true);
    });

    it('fires every quarter hour of the 23-hour day, shifted ones folded in: 92 times', () => {
      const fires = cronOccurrences(parsed('*/15 * * * *'), 'Europe/Berlin', new Date('2026-03-29T00:00+01:00'), new Date('2026-03-30T00:00+02:00'));
      expect(fires).toHaveLength(92);
      expect(new Set(fires.map((d) => d.getTime())).size).toBe(92);
    });
  });

  it('walks a whole year of a weekly schedule', () => {
    const fires = cronOccurrences(parsed('0 18 * * 0'), 'Europe/Berlin', new Date('2026-01-01T00:00Z'), new Date('2027-01-01T00:00Z'));
    expect(fires).toHaveLength(52);
    // Always 18:00 local: 17:00Z in winter, 16:00Z in summer.
    expect(new Set(fires.map((d) => d.toISOString().slice(11, 16)))).toEqual(new Set(['17:00', '16:00']));
  });
});
