import { canonicalJson, createFingerprinter, fingerprintFacts } from '../../src/plan/fingerprint';
import { planPosts } from '../../src/plan/plan-posts';
import { at, buildCalendar, buildConfig, buildOffice, buildRelease, buildWeeklyReleases } from './builders';
import type { PostFacts } from '../../src/plan/types';

function facts(quota: Record<string, number>): PostFacts {
  return {
    office: { id: 'o', name: 'Office', shortName: 'O', timezone: 'Asia/Pontianak', locale: 'id-ID', info: { hashtags: [] } },
    services: [{ id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler' }],
    release: {
      id: 'r1',
      opensAt: '2026-11-27T07:00:00.000Z',
      closesAt: null,
      status: 'open',
      days: [{ date: '2026-11-30', quota }],
      removedDays: [],
    },
    timing: { kind: 'before-opening', minutes: 60 },
  };
}

describe('plan/fingerprint canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('leaves out undefined properties like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
  });

  it('refuses Date objects: facts must be JSON', () => {
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/ISO strings/);
  });

  it('round-trips through JSON.parse', () => {
    const value = { z: 'ü "quoted"', a: [1.5, true, null, { y: -0 }] };
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });
});

describe('plan/fingerprint fingerprintFacts', () => {
  it('does not depend on the order properties were assigned in', () => {
    expect(fingerprintFacts('h-1', facts({ reguler: 120, percepatan: 20 }))).toBe(
      fingerprintFacts('h-1', facts({ percepatan: 20, reguler: 120 })),
    );
  });

  it('changes when a count changes or the template changes', () => {
    const base = fingerprintFacts('h-1', facts({ reguler: 120 }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintFacts('h-1', facts({ reguler: 100 }))).not.toBe(base);
    expect(fingerprintFacts('h-60m', facts({ reguler: 120 }))).not.toBe(base);
  });
});

describe('plan/fingerprint createFingerprinter', () => {
  it('gives exactly fingerprintFacts for every post of a plan (announcements and digests)', () => {
    const office = buildOffice();
    const releases = [
      ...buildWeeklyReleases('2026-11-20', 4),
      buildRelease({ id: 'batal', opens: '2026-12-01 09:00', days: ['2026-12-03'], status: 'cancelled', cancelReason: 'gangguan "sistem"' }),
    ];
    const calendar = buildCalendar(releases, [{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }]);
    const { posts } = planPosts({
      config: buildConfig([office]),
      calendars: new Map([[office.id, calendar]]),
      range: { from: at('2026-11-23T00:00+07:00'), to: at('2026-12-28T00:00+07:00') },
    });
    expect(posts.filter((p) => p.kind === 'digest' && p.facts.digest!.openings.length > 0).length).toBeGreaterThan(0);
    for (const post of posts) expect(post.fingerprint).toBe(fingerprintFacts(post.template, post.facts));
  });

  it('handles corrections (previous facts) and reuses nothing stale across calls', () => {
    const fingerprint = createFingerprinter();
    const before = facts({ reguler: 120 });
    const correction: PostFacts = { ...before, previous: before.release! };
    expect(fingerprint('koreksi', correction)).toBe(fingerprintFacts('koreksi', correction));
    expect(fingerprint('h-1', before)).toBe(fingerprintFacts('h-1', before));
    const changed = facts({ reguler: 90 });
    expect(fingerprint('h-1', changed)).toBe(fingerprintFacts('h-1', changed));
  });
});
