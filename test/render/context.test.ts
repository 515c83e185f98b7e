import { buildRenderContext } from '../../src/render/context';
import { CONTEXT_SHAPES, type Shape } from '../../src/render/context-shape';
import type { PostKind } from '../../src/plan/types';
import { aDigest, aPost, aRelease } from './post-builder';

/** Every key path of a value, with list elements as `[]`. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? pathsOf(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => pathsOf(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function shapePaths(shape: Shape, prefix = ''): string[] {
  if (shape.t === 'list') return shapePaths(shape.of, `${prefix}[]`);
  if (shape.t === 'object') {
    return Object.entries(shape.fields).flatMap(([key, child]) => shapePaths(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

function postOf(kind: PostKind) {
  if (kind === 'correction') {
    return aPost({ kind, template: 'correction', facts: { previous: aRelease({ opensAt: '2026-12-17T07:00:00.000Z', days: aRelease().days.slice(1) }) } });
  }
  return aPost({ kind, template: kind });
}

describe('render/context', () => {
  it('derives names, totals and local times for an announcement', () => {
    const context = buildRenderContext(aPost());
    expect(context.office.hashtags).toEqual(['#ImigrasiPontianak', '#MPaspor', '#KuotaPaspor']);
    expect(context.release).toMatchObject({
      opensDate: '2026-12-18',
      opensTime: '14:00',
      grandTotal: 560,
      firstDay: '2026-12-21',
      lastDay: '2026-12-24',
      note: null,
      cancelled: false,
    });
    expect(context.release!.totals).toEqual([
      { serviceId: 'reguler', serviceName: 'Paspor Reguler', shortName: 'Reguler', count: 480 },
      { serviceId: 'percepatan', serviceName: 'Paspor Percepatan', shortName: 'Percepatan', count: 80 },
    ]);
    expect(context.release!.days[0]).toEqual({
      date: '2026-12-21',
      total: 140,
      quotas: [
        { serviceId: 'reguler', serviceName: 'Paspor Reguler', shortName: 'Reguler', count: 120 },
        { serviceId: 'percepatan', serviceName: 'Paspor Percepatan', shortName: 'Percepatan', count: 20 },
      ],
      cells: [
        { serviceId: 'reguler', shortName: 'Reguler', count: 120 },
        { serviceId: 'percepatan', shortName: 'Percepatan', count: 20 },
      ],
    });
    expect(context.timing).toEqual({ kind: 'days-before', minutesBefore: null, daysBefore: 1, atOpening: false });
  });

  it('lists what a correction changes', () => {
    const before = aRelease();
    const after = aRelease({
      opensAt: '2026-12-18T08:00:00.000Z',
      days: before.days.map((d, i) => (i === 1 ? { ...d, quota: { reguler: 80, percepatan: 20 } } : d)),
    });
    const context = buildRenderContext(aPost({ kind: 'correction', facts: { release: after, previous: before } }));
    expect(context.changes).toEqual({
      opensAtChanged: true,
      counts: [{ date: '2026-12-22', serviceId: 'reguler', serviceName: 'Paspor Reguler', shortName: 'Reguler', before: 120, after: 80 }],
    });
  });

  it('marks digest days closed, weekend or with quota', () => {
    const digest = buildRenderContext(aPost({ kind: 'digest', template: 'weekly' })).digest!;
    expect(digest.days.map((d) => [d.date, d.closed, d.weekend, d.total])).toEqual([
      ['2026-12-21', false, false, 140],
      ['2026-12-22', false, false, 140],
      ['2026-12-23', false, false, 100],
      ['2026-12-24', false, false, 140],
      ['2026-12-25', true, false, 0],
      ['2026-12-26', false, true, 0],
      ['2026-12-27', false, true, 0],
    ]);
    expect(digest.serviceDays).toHaveLength(5);
    expect(digest.grandTotal).toBe(520);
  });

  it.each([
    ['the Sunday before', '2026-12-20T11:00:00.000Z', 'next-week'],
    ['the Monday of the week', '2026-12-21T01:00:00.000Z', 'this-week'],
    ['the Sunday of the week, late evening WIB', '2026-12-27T16:59:00.000Z', 'this-week'],
    ['Monday of the week after, just past midnight WIB', '2026-12-27T17:00:00.000Z', 'period'],
    ['two weeks before', '2026-12-13T11:00:00.000Z', 'period'],
  ])('calls the digest week from the day the post goes out: %s', (_label, dueAt, when) => {
    expect(buildRenderContext(aPost({ kind: 'digest', template: 'weekly', dueAt })).digest!.when).toBe(when);
  });

  it('calls a period that is not a Monday–Sunday week by its dates', () => {
    const digest = { ...aDigest(), from: '2026-12-22', to: '2026-12-28' };
    expect(buildRenderContext(aPost({ kind: 'digest', template: 'weekly', dueAt: '2026-12-20T11:00:00.000Z', facts: { digest } })).digest!.when).toBe('period');
  });

  it('names the next opening after the period, or null when there is none', () => {
    const withNext = buildRenderContext(aPost({ kind: 'digest', template: 'weekly' })).digest!;
    expect(withNext.nextOpening).toMatchObject({ id: 'mingguan@2027-01-01', opensDate: '2026-12-31', opensTime: '14:00' });
    const { nextOpening: _dropped, ...withoutNext } = aDigest();
    expect(buildRenderContext(aPost({ kind: 'digest', template: 'weekly', facts: { digest: withoutNext } })).digest!.nextOpening).toBeNull();
  });

  it('aligns table cells with the service columns when a day lacks a service', () => {
    const release = aRelease({
      days: [
        { date: '2026-12-21', quota: { reguler: 120, percepatan: 20 } },
        { date: '2026-12-22', quota: { percepatan: 10 } },
      ],
    });
    const context = buildRenderContext(aPost({ facts: { release } }));
    expect(context.release!.days[1]!.cells).toEqual([
      { serviceId: 'reguler', shortName: 'Reguler', count: null },
      { serviceId: 'percepatan', shortName: 'Percepatan', count: 10 },
    ]);
  });

  it.each(['announcement', 'digest', 'correction', 'cancellation'] as PostKind[])(
    'offers a %s template exactly the fields the checker allows',
    (kind) => {
      const context = buildRenderContext(postOf(kind)) as unknown as Record<string, unknown>;
      const allowed = shapePaths(CONTEXT_SHAPES[kind]).sort();
      const present = Object.keys(CONTEXT_SHAPES[kind].t === 'object' ? (CONTEXT_SHAPES[kind] as { fields: object }).fields : {})
        .flatMap((key) => pathsOf(context[key], key))
        .sort();
      expect(present).toEqual(allowed);
    },
  );
});
