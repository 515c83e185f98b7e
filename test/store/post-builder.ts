/**
 * PlannedPost objects built by hand for the store suite (the planner is
 * written in parallel, and the store must not depend on its choices).
 */
import type { PlannedPost, PostFacts } from '../../src/plan/types';

/** An instant from an ISO literal with an explicit offset (never the host zone). */
export function at(iso: string): Date {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(iso)) throw new Error(`at(): give an offset in ${iso}`);
  return new Date(iso);
}

/** Minutes after an instant. */
export function plusMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * 60_000);
}

export function buildFacts(release = 'rel-2026-11-27', regular = 120): PostFacts {
  return {
    office: {
      id: 'kanim-pontianak',
      name: 'Kantor Imigrasi Kelas I TPI Pontianak',
      shortName: 'Kanim Pontianak',
      timezone: 'Asia/Pontianak',
      locale: 'id-ID',
      info: { hashtags: ['#paspor'] },
    },
    services: [{ id: 'regular', name: 'Paspor reguler', shortName: 'Reguler' }],
    release: {
      id: release,
      opensAt: '2026-11-27T07:00:00.000Z',
      closesAt: null,
      status: 'open',
      days: [{ date: '2026-11-30', quota: { regular } }],
      removedDays: [],
    },
    timing: { kind: 'before-opening', minutes: 60 },
  };
}

let counter = 0;

/**
 * A planned post; `n` makes a distinct id. Defaults: an "h-60" announcement on
 * channel x, due 2026-11-27 13:00 WIB, deadline at opening 14:00 WIB.
 */
export function buildPost(overrides: Partial<PlannedPost> & { n?: number } = {}): PlannedPost {
  const { n, ...rest } = overrides;
  const index = n ?? (counter += 1);
  const subject = rest.releaseId ?? `rel-${index}`;
  return {
    id: `post-${index}`,
    officeId: 'kanim-pontianak',
    ruleId: 'h-60',
    channelId: 'x',
    kind: 'announcement',
    releaseId: subject,
    subject,
    template: 'h-60',
    dueAt: at('2026-11-27T13:00+07:00'),
    deadline: at('2026-11-27T14:00+07:00'),
    fingerprint: 'fp-1',
    facts: buildFacts(subject),
    ...rest,
  };
}

/** `count` posts due one minute apart from `first`, deadlines an hour after each. */
export function buildPosts(count: number, first: Date, overrides: Partial<PlannedPost> = {}): PlannedPost[] {
  return Array.from({ length: count }, (_, i) => {
    const dueAt = plusMinutes(first, i);
    return buildPost({ n: i + 1, dueAt, deadline: plusMinutes(dueAt, 60), ...overrides });
  });
}
