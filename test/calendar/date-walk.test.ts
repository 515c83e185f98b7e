import { datesOnWeekdays, walkDates } from '../../src/calendar/date-walk';
import { eachDate, weekdayOf } from '../../src/time/plain-date';

describe('calendar/date-walk', () => {
  it('walks the same dates and weekdays as eachDate/weekdayOf, across a leap day and year ends', () => {
    const walked: [string, number][] = [];
    walkDates('2027-12-25', '2029-01-05', (date, weekday) => walked.push([date, weekday]));
    const expected = eachDate('2027-12-25', '2029-01-05').map((date) => [date, weekdayOf(date)]);
    expect(walked).toEqual(expected);
    expect(walked.map(([d]) => d)).toContain('2028-02-29');
    expect(walked).toHaveLength(378);
  });

  it('visits nothing when the end is before the start, and one date when equal', () => {
    const seen: string[] = [];
    walkDates('2026-12-02', '2026-12-01', (date) => seen.push(date));
    expect(seen).toEqual([]);
    walkDates('2026-12-02', '2026-12-02', (date) => seen.push(date));
    expect(seen).toEqual(['2026-12-02']);
  });

  it('picks dates by weekday', () => {
    expect(datesOnWeekdays('2026-11-30', '2026-12-13', new Set([0, 3]))).toEqual([
      '2026-12-02', '2026-12-06', '2026-12-09', '2026-12-13',
    ]);
  });
});
