import { composeNotice, composeSummary, type OfficeLabel } from '../../src/alerts/alert-notice';

/** An alert about a post due 07:00 UTC on Friday 4 December 2026, deadline an hour later. */
const expired = {
  kind: 'expired',
  message: 'p-9f8e (x-main, h-60m, due 2026-12-04T07:00:00.000Z) could not go out before its deadline 2026-12-04T08:00:00.000Z and expired; post it by hand if it still matters',
  post: { id: 'p-9f8e', channelId: 'x-main', dueAt: new Date('2026-12-04T07:00:00Z'), deadline: new Date('2026-12-04T08:00:00Z') },
};
const RAISED = new Date('2026-12-04T08:00:05Z');

const office = (zone: string): OfficeLabel => ({ name: 'Kantor Imigrasi', zone });

describe('alerts/alert-notice: staff read office-local time', () => {
  it.each([
    ['Asia/Jakarta', 'Jum 4 Des 14.00 WIB', 'Jum 4 Des 15.00 WIB', 'Jum 4 Des 15.00 WIB'],
    ['Asia/Makassar', 'Jum 4 Des 15.00 WITA', 'Jum 4 Des 16.00 WITA', 'Jum 4 Des 16.00 WITA'],
    ['Asia/Jayapura', 'Jum 4 Des 16.00 WIT', 'Jum 4 Des 17.00 WIT', 'Jum 4 Des 17.00 WIT'],
    ['Europe/Berlin', 'Jum 4 Des 08.00 CET', 'Jum 4 Des 09.00 CET', 'Jum 4 Des 09.00 CET'],
  ])('an office in %s: due, deadline and raised time in its zone, the message too', (zone, due, deadline, raised) => {
    const notice = composeNotice(expired, office(zone), RAISED);
    expect(notice.text).toBe(
      [
        'Kantor Imigrasi: expired',
        '',
        `p-9f8e (x-main, h-60m, due ${due}) could not go out before its deadline ${deadline} and expired; post it by hand if it still matters`,
        '',
        `Post: p-9f8e on x-main, due ${due}, deadline ${deadline}`,
        `Raised: ${raised}`,
        'Everything that needs attention: run `quota-herald status`.',
      ].join('\n'),
    );
    expect(notice.subject).toBe(`[quota-herald] expired: p-9f8e (x-main, h-60m, due ${due}) could not go out…`);
    // What is stored and compared for dedupe stays as raised.
    expect(notice.message).toBe(expired.message);
  });

  it('across the spring clock change in Berlin, each time carries its own abbreviation', () => {
    // 2027-03-28: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    const notice = composeNotice(
      { kind: 'expired', message: 'retry after 2027-03-28T01:30:00Z', post: { id: 'p-1', channelId: 'ig', dueAt: new Date('2027-03-28T00:30:00Z'), deadline: new Date('2027-03-28T01:30:00Z') } },
      office('Europe/Berlin'),
      new Date('2027-03-28T01:45:00Z'),
    );
    expect(notice.text.split('\n')).toEqual([
      'Kantor Imigrasi: expired',
      '',
      'retry after Min 28 Mar 03.30 CEST',
      '',
      'Post: p-1 on ig, due Min 28 Mar 01.30 CET, deadline Min 28 Mar 03.30 CEST',
      'Raised: Min 28 Mar 03.45 CEST',
      'Everything that needs attention: run `quota-herald status`.',
    ]);
  });

  it('names the year of a time in another year than now', () => {
    const notice = composeNotice(
      { kind: 'token-expiry', message: 'the Instagram token expires on 2027-01-04T02:00:00.000Z: renew it' },
      office('Asia/Jayapura'),
      new Date('2026-12-30T02:00:00Z'),
    );
    expect(notice.text).toContain('the Instagram token expires on Sen 4 Jan 2027 11.00 WIT: renew it');
    expect(notice.text).toContain('Raised: Rab 30 Des 11.00 WIT');
  });

  it('the rate-limit summary is stamped in office time too', () => {
    const summary = composeSummary(3, office('Asia/Makassar'), new Date('2026-12-04T07:00:00Z'));
    expect(summary.text).toBe(['Kantor Imigrasi: summary', '', '3 more alerts, see `quota-herald status` (held back so staff are not flooded).', '', 'Raised: Jum 4 Des 15.00 WITA'].join('\n'));
  });
});
