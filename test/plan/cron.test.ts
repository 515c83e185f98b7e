import cron from 'node-cron';
import { cronMatchesDate, parseCron, type CronSchedule } from '../../src/plan/cron';

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

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('plan/cron parseCron', () => {
  it('reads the five fields of a weekly digest', () => {
    const schedule = parsed('0 18 * * 0');
    expect(schedule.seconds).toEqual([0]);
    expect(schedule.minutes).toEqual([0]);
    expect(schedule.hours).toEqual([18]);
    expect(schedule.daysOfMonth).toEqual(range(1, 31));
    expect(schedule.months).toEqual(range(1, 12));
    expect(schedule.daysOfWeek).toEqual([0]);
    expect(schedule.dayOfMonthRestricted).toBe(false);
    expect(schedule.dayOfWeekRestricted).toBe(true);
  });

  it('reads a leading seconds field when there are six', () => {
    const schedule = parsed('30 0 18 * * 0');
    expect(schedule.seconds).toEqual([30]);
    expect(schedule.minutes).toEqual([0]);
    expect(schedule.hours).toEqual([18]);
  });

  it('expands lists, ranges and steps', () => {
    expect(parsed('*/15 * * * *').minutes).toEqual([0, 15, 30, 45]);
    expect(parsed('1-5/2 * * * *').minutes).toEqual([1, 3, 5]);
    expect(parsed('0 8-10,14 * * *').hours).toEqual([8, 9, 10, 14]);
    expect(parsed('0 0 */10 * *').daysOfMonth).toEqual([1, 11, 21, 31]);
    expect(parsed('5,5,1 * * * *').minutes).toEqual([1, 5]);
  });

  it('knows month and weekday names in any case, short or full', () => {
    expect(parsed('0 0 1 jan-mar *').months).toEqual([1, 2, 3]);
    expect(parsed('0 0 1 DEC,February *').months).toEqual([2, 12]);
    expect(parsed('0 14 * * fri').daysOfWeek).toEqual([5]);
    expect(parsed('0 14 * * MON-FRI').daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(parsed('0 14 * * sunday,Wed').daysOfWeek).toEqual([0, 3]);
  });

  it('treats 7 as Sunday, also at the end of a range', () => {
    expect(parsed('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(parsed('0 0 * * 0,7').daysOfWeek).toEqual([0]);
    expect(parsed('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
    expect(parsed('0 0 * * sat-sun').daysOfWeek).toEqual([0, 6]);
    expect(parsed('0 0 * * mon-sun').daysOfWeek).toEqual(range(0, 6));
  });

  it('accepts `?` for either day field and the @nicknames', () => {
    expect(parsed('0 0 ? * 1').dayOfMonthRestricted).toBe(false);
    const daily = parsed('@daily');
    expect([daily.minutes, daily.hours, daily.daysOfWeek]).toEqual([[0], [0], range(0, 6)]);
    expect(parsed('@weekly').daysOfWeek).toEqual([0]);
  });

  it.each([
    ['61 18 * * 0', 'minute 61 is out of range 0–59'],
    ['0 24 * * *', 'hour 24 is out of range 0–23'],
    ['0 0 0 * *', 'day-of-month 0 is out of range 1–31'],
    ['0 0 * 13 *', 'month 13 is out of range 1–12'],
    ['0 0 * * 8', 'day-of-week 8 is out of range 0–7'],
    ['60 0 0 * * *', 'second 60 is out of range 0–59'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got 4'],
    ['0 0 * * * * *', 'got 7'],
    ['', 'the cron expression is empty'],
    ['5-1 * * * *', 'minute range `5-1` runs backwards'],
    ['5/15 * * * *', 'puts a step after a single value; write `5-59/15` or `*/15`'],
    ['*/0 * * * *', 'step `0` must be a whole number of 1 or more'],
    ['*/60 * * * *', 'step 60 is larger than the range 0–59'],
    ['0 0 * * fry', 'day-of-week `fry` is not a number or a day name (sun–sat)'],
    ['0 0 * foo *', 'month `foo` is not a number or a month name (jan–dec)'],
    ['0 0 L * *', 'uses the L/W/# extensions'],
    ['0 0 * * 1#2', 'uses the L/W/# extensions'],
    ['1,,2 * * * *', 'empty list item'],
    ['0 0 30 2 *', 'day-of-month 30 never occurs in February'],
    ['0 0 31 4,6 *', 'never occurs in April, June'],
    ['0\t0 * * *', 'a tab or other non-space whitespace is not allowed'],
    ['0 0 * * 1.5', 'character `.` is not allowed'],
    ['@fortnightly', 'unknown nickname `@fortnightly`'],
  ])('refuses %j: says what is wrong and shows a valid example', (expr, expected) => {
    const message = problem(expr);
    expect(message).toContain(expected);
    expect(message).toMatch(/e\.g\. `0 18 \* \* 0` is Sundays at 18:00$/);
  });

  it('reports every bad field in one message', () => {
    const message = problem('61 25 * * 9');
    expect(message).toContain('minute 61');
    expect(message).toContain('hour 25');
    expect(message).toContain('day-of-week 9');
  });
});

describe('plan/cron cronMatchesDate', () => {
  it('matches a day if EITHER day-of-month or day-of-week matches when both are restricted', () => {
    const schedule = parsed('0 9 13 * 5');
    expect(cronMatchesDate(schedule, '2026-11-13')).toBe(true); // Friday the 13th
    expect(cronMatchesDate(schedule, '2026-11-06')).toBe(true); // a Friday
    expect(cronMatchesDate(schedule, '2026-10-13')).toBe(true); // a Tuesday the 13th
    expect(cronMatchesDate(schedule, '2026-11-12')).toBe(false);
  });

  it('needs both when only one day field is restricted', () => {
    const fridays = parsed('0 9 * * 5');
    expect(cronMatchesDate(fridays, '2026-11-06')).toBe(true);
    expect(cronMatchesDate(fridays, '2026-11-13')).toBe(true);
    expect(cronMatchesDate(fridays, '2026-11-12')).toBe(false);
    const thirteenths = parsed('0 9 13 * *');
    expect(cronMatchesDate(thirteenths, '2026-10-13')).toBe(true);
    expect(cronMatchesDate(thirteenths, '2026-11-06')).toBe(false);
  });

  it('respects the month field', () => {
    const schedule = parsed('0 0 1 jan,jul *');
    expect(cronMatchesDate(schedule, '2026-07-01')).toBe(true);
    expect(cronMatchesDate(schedule, '2026-08-01')).toBe(false);
  });
});

describe('plan/cron agreement with node-cron 4', () => {
  const validSamples = [
    '0 18 * * 0',
    '0 18 * * sun',
    '*/15 * * * *',
    '0 14 * * fri',
    '0 14 * * MON-FRI',
    '1-5/2 * * * *',
    '0 8-10,14 * * *',
    '0 0 1,15 * *',
    '0 0 1 jan-mar *',
    '0 0 * * 7',
    '0 0 * * 5-7',
    '0 0 * * mon-sun',
    '30 0 18 * * 0',
    '0 0 ? * 1',
    '0 0 29 2 *',
    '0 0 31 2,3 *',
    '@daily',
    '@weekly',
    '*/10 * * * *',
  ];

  it.each(validSamples)('both accept %j and expand it to the same values', (expr) => {
    expect(cron.validate(expr)).toBe(true);
    const ours = parsed(expr);
    const theirs = cron.parse(expr);
    expect(ours.seconds).toEqual([...theirs.second].sort((a, b) => a - b));
    expect(ours.minutes).toEqual([...theirs.minute].sort((a, b) => a - b));
    expect(ours.hours).toEqual([...theirs.hour].sort((a, b) => a - b));
    expect(ours.daysOfMonth).toEqual([...theirs.dayOfMonth].map(Number).sort((a, b) => a - b));
    expect(ours.months).toEqual([...theirs.month].sort((a, b) => a - b));
    expect(ours.daysOfWeek).toEqual([...theirs.dayOfWeek].map(Number).sort((a, b) => a - b));
  });

  // Whatever we accept, the live bot (node-cron) must accept too; we may be stricter.
  const corpus = [
    ...validSamples,
    '61 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 0 *', '0 0 * 13 *', '0 0 * * 8', '* * * *', '0 0 * * * * *',
    '5-1 * * * *', '5/15 * * * *', '*/0 * * * *', '*/60 * * * *', '0 0 */31 * *', '0 0 * * fry', '0 0 L * *',
    '0 0 * * 1#2', '1,,2 * * * *', '0 0 30 2 *', '0 0 30 2 1', '0\t0 * * *', '0 0 * * 1.5', '0 0 * * sun/2',
    '0 0 * feb-jan *', '0 0 * * 7-1', '00 018 * * *', ' 0 0 * * * ', '0  0 * * *', '0 0 * * 0-7', 'a b c d e',
  ];

  it.each(corpus)('never accepts %j unless node-cron does', (expr) => {
    const ours = parseCron(expr).ok;
    const theirs = cron.validate(expr);
    expect(!ours || theirs).toBe(true);
  });
});
