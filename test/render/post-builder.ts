/**
 * Hand-built PlannedPosts for the render tests: the sample Pontianak office
 * and a typical week (quota opened Friday 14.00 WIB for Monday–Friday of the
 * next week, Christmas removing one day). The planner is not involved.
 */
import type { PlannedPost, PostFacts, PostKind, ReleaseFacts } from '../../src/plan/types';

export const OFFICE: PostFacts['office'] = {
  id: 'kanim-pontianak',
  name: 'Kantor Imigrasi Kelas I TPI Pontianak',
  shortName: 'Imigrasi Pontianak',
  timezone: 'Asia/Pontianak',
  locale: 'id-ID',
  info: {
    bookingChannel: 'aplikasi M-Paspor',
    website: 'pontianak.imigrasi.go.id',
    hashtags: ['ImigrasiPontianak', '#MPaspor', 'KuotaPaspor'],
  },
};

export const SERVICES: PostFacts['services'] = [
  { id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler' },
  { id: 'percepatan', name: 'Paspor Percepatan', shortName: 'Percepatan' },
];

/** Opens Friday 18 Dec 2026 14.00 WIB (07.00 UTC) for 21–25 Dec; the 25th is Christmas. */
export function aRelease(overrides: Partial<ReleaseFacts> = {}): ReleaseFacts {
  return {
    id: 'mingguan@2026-12-18',
    opensAt: '2026-12-18T07:00:00.000Z',
    closesAt: null,
    status: 'open',
    days: ['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24'].map((date) => ({
      date,
      quota: { reguler: 120, percepatan: 20 },
    })),
    removedDays: [{ date: '2026-12-25', reason: 'Hari Raya Natal', kind: 'holiday' }],
    ...overrides,
  };
}

export interface PostOptions {
  kind?: PostKind;
  template?: string;
  channelId?: string;
  dueAt?: string;
  facts?: Partial<PostFacts>;
  office?: Partial<PostFacts['office']>;
}

export function aPost(options: PostOptions = {}): PlannedPost {
  const kind = options.kind ?? 'announcement';
  const facts: PostFacts = {
    office: { ...OFFICE, ...options.office },
    services: SERVICES,
    ...(kind === 'digest' ? { digest: aDigest() } : { release: aRelease() }),
    ...(kind === 'announcement' ? { timing: { kind: 'days-before' as const, days: 1, time: '19:00' } } : {}),
    ...options.facts,
  };
  return {
    id: `post-${kind}-${options.template ?? 'h-1'}`,
    officeId: facts.office.id,
    ruleId: options.template ?? 'h-1',
    channelId: options.channelId ?? 'instagram',
    kind,
    releaseId: facts.release?.id ?? null,
    subject: facts.release?.id ?? 'digest:2026-12-21..2026-12-27',
    template: options.template ?? 'h-1',
    // 19.00 WIB the evening before the opening.
    dueAt: new Date(options.dueAt ?? '2026-12-17T12:00:00.000Z'),
    deadline: new Date('2026-12-18T07:00:00.000Z'),
    fingerprint: 'test',
    facts,
  };
}

/** The week of 21–27 Dec 2026 as posted on Sunday 20 Dec 18.00 WIB. */
export function aDigest(): NonNullable<PostFacts['digest']> {
  const quota = { reguler: 120, percepatan: 20 };
  return {
    from: '2026-12-21',
    to: '2026-12-27',
    openings: [
      aRelease({
        id: 'mingguan@2026-12-25',
        opensAt: '2026-12-24T07:00:00.000Z',
        days: ['2026-12-28', '2026-12-29', '2026-12-30'].map((date) => ({ date, quota })),
        removedDays: [{ date: '2026-12-31', reason: 'Cuti Bersama', kind: 'holiday' }],
      }),
    ],
    days: [
      { date: '2026-12-21', quota, weekend: false },
      { date: '2026-12-22', quota, weekend: false },
      { date: '2026-12-23', quota: { reguler: 80, percepatan: 20 }, weekend: false },
      { date: '2026-12-24', quota, weekend: false },
      { date: '2026-12-25', quota: null, closedReason: 'Hari Raya Natal', weekend: false },
      { date: '2026-12-26', quota: null, weekend: true },
      { date: '2026-12-27', quota: null, weekend: true },
    ],
    nextOpening: aRelease({ id: 'mingguan@2027-01-01', opensAt: '2026-12-31T07:00:00.000Z' }),
  };
}
