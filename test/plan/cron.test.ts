import { Cron } from 'croner';
import { cronOccurrences, cronOptions, parseCron, startCronTimer, type CronSchedule } from '../../src/plan/cron';

function parsed(expr: string): CronSchedule {
  const result = parseCron(expr);
  if (!result.ok) throw new Error(`expected ${expr} to parse: ${result.message}`);
  return result.value;
}

function problem(expr: string): string {
  const result = parseCron(expr);
  if (result.ok) throw new Error(`expected ${expr} to be refused`);
  return result.message;
}

/** Local `YYYY-MM-DD HH:mm` of every planned occurrence in [from, to). */
function planned(expr: string, zone: string, from: string, to: string): string[] {
  return cronOccurrences(parsed(expr), zone, new Date(from), new Date(to)).map((d) => local(d, zone));
}

function local(date: Date, zone: string): string {
  return date.toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
}

describe('plan/cron parseCron', () => {
  it.each([
    '0 18 * * 0',
    '30 0 18 * * 0',
    '*/15 * * * *',
    '1-5/2 * * * *',
    '0 8-10,14 * * *',
    '0 0 1 jan-mar *',
    '0 14 * * MON-FRI',
    '0 14 * * sunday,Wed',
    '0 0 1 DEC,February *',
    '0 0 * * 7',
    '0 0 * * 5-7',
    '0 0 ? * 1',
    '0 0 29 2 *',
    '@daily',
    '@weekly',
    ' 0 18 * * 0 ',
  ])('accepts %j', (expr) => {
    expect(parsed(expr).expression).toBe(expr.trim());
  });

  it.each([
    ['61 18 * * 0', 'minute 61 is out of range 0–59'],
    ['0 24 * * *', 'hour 24 is out of range 0–23'],
    ['0 0 0 * *', 'day-of-month 0 is out of range 1–31'],
    ['0 0 * 13 *', 'month 13 is out of range 1–12'],
    ['0 0 * * 8', 'day-of-week 8 is out of range 0–7 (0 and 7 are Sunday)'],
    ['60 0 0 * * *', 'second 60 is out of range 0–59'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got 4'],
    ['0 0 * * * * *', 'got 7'],
    ['', 'the cron expression is empty'],
    ['0 18 * * minggu', 'day-of-week `minggu` is not a number or a day name (sun–sat)'],
    ['0 0 * foo *', 'month `foo` is not a number or a month name (jan–dec)'],
    ['5-1 * * * *', "From value is larger than to value: '5-1'"],
    ['5/15 * * * *', 'Use wildcard (*/step) or range (min-max/step) instead'],
    ['*/0 * * * *', 'illegal stepping: 0'],
    ['0 0 30 2 *', 'this expression never fires'],
    ['0 0 31 4,6 *', 'this expression never fires'],
    ['@fortnightly', 'unknown nickname `@fortnightly`'],
  ])('refuses %j: says what is wrong and shows a valid example', (expr, expected) => {
    const message = problem(expr);
    expect(message).toContain(expected);
    expect(message).not.toContain('CronPattern');
    expect(message).toMatch(/; e\.g\. `0 18 \* \* 0` is Sundays at 18:00$/);
  });

  it('reports every bad field in one message', () => {
    expect(problem('61 25 * * 9')).toBe(
      'minute 61 is out of range 0–59; hour 25 is out of range 0–23; day-of-week 9 is out of range 0–7 (0 and 7 are Sunday); e.g. `0 18 * * 0` is Sundays at 18:00',
    );
  });
});

describe('plan/cron which days', () => {
  it('fires on days matching EITHER day field when both are restricted (classic cron)', () => {
    // The 13th or any Friday, October–November 2026.
    const days = planned('0 9 13 * 5', 'Asia/Pontianak', '2026-10-01T00:00+07:00', '2026-11-16T00:00+07:00').map((t) => t.slice(0, 10));
    expect(days).toEqual(['2026-10-02', '2026-10-09', '2026-10-13', '2026-10-16', '2026-10-23', '2026-10-30', '2026-11-06', '2026-11-13']);
  });

  it('needs the restricted field when only one is', () => {
    expect(planned('0 9 * * 5', 'Asia/Pontianak', '2026-11-01T00:00+07:00', '2026-11-15T00:00+07:00')).toEqual(['2026-11-06 09:00', '2026-11-13 09:00']);
    expect(planned('0 9 13 * *', 'Asia/Pontianak', '2026-10-01T00:00+07:00', '2026-12-01T00:00+07:00')).toEqual(['2026-10-13 09:00', '2026-11-13 09:00']);
  });

  it('reads full day and month names as node-cron did', () => {
    expect(planned('0 9 1 february,March sunday', 'UTC', '2027-02-01T00:00Z', '2027-02-15T00:00Z')).toEqual(['2027-02-01 09:00', '2027-02-07 09:00', '2027-02-14 09:00']);
  });
});

describe('plan/cron one reading for the planner and the live timers', () => {
  const samples = ['0 18 * * 0', '0 9 13 * 5', '*/10 * * * *', '17 */6 * * *', '0 7 1,15 * *', '30 0 18 * * 0', '0 0 L * *', '0 12 * * mon#2'];
  const zones = ['Asia/Pontianak', 'Asia/Jayapura', 'Europe/Berlin'];

  it.each(zones.flatMap((zone) => samples.map((expr) => [expr, zone])))('%j in %s: planned times = timer times', (expr, zone) => {
    // A winter month without clock changes: the two must agree to the second.
    const from = new Date('2027-01-01T00:00:00Z');
    const to = new Date('2027-02-01T00:00:00Z');
    const timer = new Cron(expr, cronOptions(zone));
    const timerTimes: string[] = [];
    for (let at = timer.nextRun(new Date(from.getTime() - 1)); at && at < to; at = timer.nextRun(at)) timerTimes.push(at.toISOString());
    const plannedTimes = cronOccurrences(parsed(expr), zone, from, to).map((d) => d.toISOString());
    expect(plannedTimes.length).toBeGreaterThan(0);
    expect(plannedTimes).toEqual(timerTimes);
  });

  describe('startCronTimer', () => {
    afterEach(() => jest.useRealTimers());

    it('fires the live job on the same EITHER days the planner lists (node-cron required both)', () => {
      // Tuesday 13 October 2026, 09:00 WIB: a 13th that is not a Friday.
      jest.useFakeTimers({ now: new Date('2026-10-13T01:59:00Z') });
      const fired: string[] = [];
      const timer = startCronTimer('0 9 13 * 5', 'Asia/Pontianak', () => fired.push(new Date().toISOString()));
      try {
        jest.advanceTimersByTime(2 * 60_000);
        expect(fired).toEqual(['2026-10-13T02:00:00.000Z']);
      } finally {
        timer.stop();
      }
    });

    it('gives the job the occurrence as scheduled, to the second, so instances agree on the period', async () => {
      jest.useFakeTimers({ now: new Date('2026-10-13T01:59:58.500Z') });
      const scheduled: string[] = [];
      const timer = startCronTimer('*/2 * * * * *', 'Asia/Pontianak', (at) => scheduled.push(at.toISOString()));
      try {
        // Async: croner arms the next timeout after the job's promise settles.
        await jest.advanceTimersByTimeAsync(4_100);
        expect(scheduled).toEqual(['2026-10-13T02:00:00.000Z', '2026-10-13T02:00:02.000Z']);
      } finally {
        timer.stop();
      }
    });
  });
});
