import { groupDayRows, type RowDay } from '../../src/render/day-rows';
import { buildRenderContext } from '../../src/render/context';
import { aPost, aRelease } from './post-builder';

const q = (regular: number, express?: number) => [
  { serviceId: 'regular', serviceName: 'Paspor Reguler', shortName: 'Reguler', count: regular },
  ...(express === undefined ? [] : [{ serviceId: 'express', serviceName: 'Paspor Percepatan', shortName: 'Percepatan', count: express }]),
];
const service = (date: string, regular: number, express?: number): RowDay => {
  const quotas = q(regular, express);
  return { date, kind: 'service', quotas, cells: quotas.map(({ serviceId, shortName, count }) => ({ serviceId, shortName, count })), reason: null, closedKind: null };
};
const closed = (date: string, reason: string): RowDay => ({ date, kind: 'closed', quotas: [], cells: [], reason, closedKind: 'holiday' });

describe('render/day-rows', () => {
  it('folds a working week with equal counts into one row', () => {
    const rows = groupDayRows(['2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'].map((d) => service(d, 120, 20)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'service', from: '2027-01-04', to: '2027-01-08', dayCount: 5, single: false, total: 140, rowTotal: 700 });
  });

  it('breaks a run at a gap in the dates, a changed count and a closed day, keeping date order', () => {
    const rows = groupDayRows([
      service('2027-01-11', 200, 35),
      closed('2027-01-13', 'Libur A'),
      service('2027-01-12', 200, 35),
      service('2027-01-14', 200, 35),
      service('2027-01-15', 150, 35),
      // the weekend is not a service day: Monday starts a new row
      service('2027-01-18', 150, 35),
    ]);
    expect(rows.map((r) => [r.kind, r.from, r.to])).toEqual([
      ['service', '2027-01-11', '2027-01-12'],
      ['closed', '2027-01-13', '2027-01-13'],
      ['service', '2027-01-14', '2027-01-14'],
      ['service', '2027-01-15', '2027-01-15'],
      ['service', '2027-01-18', '2027-01-18'],
    ]);
  });

  it('folds consecutive closed days only when the reason is the same', () => {
    const rows = groupDayRows([closed('2026-12-28', 'Pemeliharaan'), closed('2026-12-29', 'Pemeliharaan'), closed('2026-12-30', 'Cuti bersama')]);
    expect(rows.map((r) => [r.from, r.to, r.reason])).toEqual([
      ['2026-12-28', '2026-12-29', 'Pemeliharaan'],
      ['2026-12-30', '2026-12-30', 'Cuti bersama'],
    ]);
  });

  it('keeps a day whose services differ apart even when the counts match', () => {
    const rows = groupDayRows([service('2027-01-04', 120), service('2027-01-05', 120, 0)]);
    expect(rows).toHaveLength(2);
  });

  it('gives releases their rows with closed days in date order', () => {
    const release = aRelease({
      days: ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-28'].map((date) => ({ date, quota: { reguler: 120, percepatan: 20 } })),
      removedDays: [{ date: '2026-12-24', reason: 'Cuti Bersama', kind: 'closure' }, { date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }],
    });
    const rows = buildRenderContext(aPost({ facts: { release } })).release!.rows;
    expect(rows.map((r) => [r.kind, r.from, r.to, r.reason, r.closedKind])).toEqual([
      ['service', '2026-12-21', '2026-12-23', null, null],
      ['closed', '2026-12-24', '2026-12-24', 'Cuti Bersama', 'closure'],
      ['closed', '2026-12-25', '2026-12-25', 'Hari Raya Natal', 'holiday'],
      ['service', '2026-12-28', '2026-12-28', null, null],
    ]);
  });

  it('gives digests rows for service, changed, closed and weekend days', () => {
    const rows = buildRenderContext(aPost({ kind: 'digest', template: 'weekly' })).digest!.rows;
    expect(rows.map((r) => [r.kind, r.from, r.to, r.total])).toEqual([
      ['service', '2026-12-21', '2026-12-22', 140],
      ['service', '2026-12-23', '2026-12-23', 100],
      ['service', '2026-12-24', '2026-12-24', 140],
      ['closed', '2026-12-25', '2026-12-25', 0],
      ['weekend', '2026-12-26', '2026-12-27', 0],
    ]);
  });
});
