/** console/view-parts and console/month-grid: pure pieces of both pages. */
import { monthsBetween, monthWeeks } from '../../src/console/month-grid';
import { livePostLink } from '../../src/console/view-parts';

describe('console/view-parts livePostLink', () => {
  const x = { channelId: 'x', label: 'x', platform: 'x' as const, dryRun: false };
  test('the address the driver recorded wins', () => {
    expect(livePostLink({ remoteId: '1', remoteUrl: 'https://x.com/a/status/1' }, x)).toBe('https://x.com/a/status/1');
  });
  test('an X post recorded without an address still has one by its id', () => {
    expect(livePostLink({ remoteId: '1862000000000000001', remoteUrl: null }, x)).toBe('https://x.com/i/status/1862000000000000001');
  });
  test('no link for the outbox, or for an Instagram media id (its permalink is not derivable)', () => {
    expect(livePostLink({ remoteId: '1862000000000000001', remoteUrl: null }, { ...x, dryRun: true })).toBeNull();
    expect(livePostLink({ remoteId: '17900000000000000', remoteUrl: null }, { ...x, platform: 'instagram' })).toBeNull();
  });
});

describe('console/month-grid', () => {
  test('months across a year end', () => {
    expect(monthsBetween('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });
  test('February 2027 starts on a Monday and fills exactly four weeks; every week is Monday to Sunday', () => {
    const weeks = monthWeeks('2027-02');
    expect(weeks).toHaveLength(4);
    expect(weeks[0]![0]!.date).toBe('2027-02-01');
    expect(weeks[3]![6]!.date).toBe('2027-02-28');
    for (const month of ['2026-03', '2026-08', '2027-05']) {
      for (const week of monthWeeks(month)) expect(new Date(`${week[0]!.date}T00:00Z`).getUTCDay()).toBe(1);
    }
  });
});
