/**
 * web/public/opening-view: an opening as the public reads it: its state in
 * words, the days it covers, its counts as a table (dashes for a service
 * without quota that day), and which openings count as upcoming, past, next.
 */
import type { PublicOpening } from '../../../src/public/types';
import { cancelledBefore, headlineOpenings, nextOpening, openingView, openNow, pastOpenings, upcomingOpenings } from '../../../src/web/public/opening-view';

function opening(releaseId: string, opensAt: string, state: PublicOpening['state'], extra: Partial<PublicOpening> = {}): PublicOpening {
  const services = [
    { serviceId: 'regular', name: 'Paspor Reguler', shortName: 'Reguler' },
    { serviceId: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan' },
  ];
  return {
    officeId: 'kanim-pontianak',
    releaseId,
    status: state === 'dibatalkan' ? 'cancelled' : 'open',
    state,
    opensAt: new Date(opensAt),
    closesAt: null,
    timezone: 'Asia/Pontianak',
    opensLabel: `label ${releaseId}`,
    closesLabel: null,
    days: [
      { date: '2026-12-14', label: 'Senin, 14 Desember 2026', counts: [{ ...services[0]!, count: 1200 }, { ...services[1]!, count: null }], total: 1200 },
      { date: '2026-12-15', label: 'Selasa, 15 Desember 2026', counts: [{ ...services[0]!, count: 120 }, { ...services[1]!, count: 20 }], total: 140 },
    ],
    serviceTotals: [{ ...services[0]!, count: 1320 }, { ...services[1]!, count: 20 }],
    totalQuota: 1340,
    closedDays: [{ date: '2026-12-16', label: 'Rabu, 16 Desember 2026', reason: 'Libur: Natal' }],
    cancelReason: null,
    note: null,
    fingerprint: 'f',
    ...extra,
  };
}

describe('web/public/opening-view', () => {
  it('words the state, the covered days and the counts (Indonesian number format, a dash for no quota, totals)', () => {
    const view = openingView(opening('mingguan@2026-12-11', '2026-12-11T07:00:00Z', 'akan-dibuka'));
    expect(view).toMatchObject({
      id: 'pembukaan-mingguan@2026-12-11',
      stateLabel: 'Akan dibuka',
      cancelled: false,
      opensIso: '2026-12-11T07:00:00.000Z',
      daysSummary: 'Senin, 14 Desember 2026 – Selasa, 15 Desember 2026 (2 hari layanan)',
      totalLabel: '1.340 kuota',
      closedDays: ['Rabu, 16 Desember 2026 (Libur: Natal)'],
    });
    // Short words in the table: it must fit a phone.
    expect(view.table.services).toEqual(['Reguler', 'Percepatan']);
    expect(view.table.rows).toEqual([
      { label: 'Sen, 14 Des', date: '2026-12-14', counts: ['1.200', '–'], total: '1.200' },
      { label: 'Sel, 15 Des', date: '2026-12-15', counts: ['120', '20'], total: '140' },
    ]);
    expect(view.table.totals).toEqual({ counts: ['1.320', '20'], total: '1.340' });
    expect(view.table.caption).toBe('Kuota per hari layanan (–: tidak ada kuota layanan itu pada hari itu)');
  });

  it('a one-day opening has no totals row; a cancelled one carries its reason', () => {
    const one = opening('simpatik', '2026-12-11T02:00:00Z', 'dibatalkan', { cancelReason: 'Dipindahkan', days: [opening('x', '2026-12-11T02:00:00Z', 'dibuka').days[0]!] });
    const view = openingView(one);
    expect(view).toMatchObject({ stateLabel: 'Dibatalkan', cancelled: true, cancelReason: 'Dipindahkan', daysSummary: 'Senin, 14 Desember 2026' });
    expect(view.table.totals).toBeNull();
  });

  it('open now; upcoming: to come, and cancellations still ahead; past: the rest, newest first; next and the headline skip cancellations', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    const closed = opening('a', '2026-12-04T07:00:00Z', 'ditutup');
    const cancelledPast = opening('b', '2026-12-05T02:00:00Z', 'dibatalkan');
    const open = opening('c', '2026-12-09T07:00:00Z', 'dibuka');
    const cancelledAhead = opening('d', '2026-12-11T02:00:00Z', 'dibatalkan');
    const ahead = opening('e', '2026-12-11T07:00:00Z', 'akan-dibuka');
    const all = [closed, cancelledPast, open, cancelledAhead, ahead];
    expect(openNow(all).map((each) => each.releaseId)).toEqual(['c']);
    expect(upcomingOpenings(all, now).map((each) => each.releaseId)).toEqual(['d', 'e']);
    expect(pastOpenings(all, now).map((each) => each.releaseId)).toEqual(['b', 'a']);
    expect(nextOpening(all)?.releaseId).toBe('e');
    expect(headlineOpenings(all).map((each) => each.releaseId)).toEqual(['c', 'e']);
    expect(headlineOpenings([opening('old', '2026-12-02T07:00:00Z', 'dibuka'), open, cancelledAhead]).map((each) => each.releaseId)).toEqual(['c']);
    expect(headlineOpenings([closed, cancelledAhead, ahead]).map((each) => each.releaseId)).toEqual(['e']);
    expect(cancelledBefore([closed, cancelledAhead, ahead], ahead, now).map((each) => each.releaseId)).toEqual(['d']);
    expect(nextOpening([closed, cancelledPast, open])).toBeNull();
    expect(headlineOpenings([closed, cancelledPast])).toEqual([]);
  });
});
