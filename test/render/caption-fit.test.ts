/**
 * Every shipped caption and alt text fits every platform for every valid
 * calendar: 1–31 service days × 1–6 services, counts up to 99,999 (all equal,
 * or all different so no two days fold into one row), closed days between
 * them, names and texts at the longest the config accepts (schema.ts
 * TEXT_LIMITS), an office in WITA. Exhaustive over days × services rather than
 * sampled: 186 calendars × 6 templates (8 posts) × 2 platforms, each with its alt text.
 *
 * Lengths are counted the way each platform counts (X: weighted, NFC) by the
 * same functions `check` uses.
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countCodePoints, countForPlatform } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { addDays } from '../../src/time/plain-date';
import { SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';

/** Text of exactly `length` characters that reads like the real thing (words, spaces). */
function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

const OFFICE: PostFacts['office'] = {
  id: 'kanim-panjang',
  name: textOf('Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Balikpapan', TEXT_LIMITS.officeName),
  shortName: textOf('Imigrasi Balikpapan', TEXT_LIMITS.officeShortName),
  timezone: 'Asia/Makassar',
  locale: 'id-ID',
  info: {
    bookingChannel: textOf('aplikasi M-Paspor (unduh di Play Store atau App Store)', TEXT_LIMITS.bookingChannel),
    website: textOf('balikpapan.imigrasi.go.id', TEXT_LIMITS.website).replace(/ /g, '-'),
    hashtags: Array.from({ length: TEXT_LIMITS.hashtags }, (_, i) => `KuotaPasporBalikpapan${i}`.padEnd(TEXT_LIMITS.hashtag, 'X')),
  },
};

function servicesOf(count: number): PostFacts['services'] {
  return Array.from({ length: count }, (_, i) => ({
    id: `layanan-${i}`,
    name: textOf(`Paspor Elektronik Layanan ${i + 1}`, TEXT_LIMITS.serviceName),
    shortName: textOf(`Layanan${i + 1}`, TEXT_LIMITS.serviceShortName),
  }));
}

const LONG_REASON = textOf('Cuti bersama Hari Raya Idulfitri 1448 Hijriah', TEXT_LIMITS.closureReason);

/**
 * `dayCount` service days from 2027-03-01 (every day a service day: an office
 * may serve on weekends); with `closedEvery`, a closed day after every that
 * many service days. Counts all 99,999, or all different.
 */
function releaseOf(dayCount: number, services: PostFacts['services'], variant: { distinct: boolean; closedEvery: number | null }, opensAt = '2027-02-26T06:00:00.000Z'): ReleaseFacts {
  const days: ReleaseFacts['days'] = [];
  const removedDays: ReleaseFacts['removedDays'] = [];
  let date = '2027-03-01';
  while (days.length < dayCount) {
    if (variant.closedEvery !== null && days.length > 0 && days.length % variant.closedEvery === 0 && removedDays.length < days.length / variant.closedEvery) {
      removedDays.push({ date, reason: LONG_REASON, kind: 'closure' });
    } else {
      const index = days.length;
      days.push({ date, quota: Object.fromEntries(services.map((s, i) => [s.id, variant.distinct ? 99_999 - index * 7 - i : 99_999])) });
    }
    date = addDays(date, 1);
  }
  return {
    id: `rilis-${dayCount}`,
    opensAt,
    closesAt: '2027-02-27T15:30:00.000Z',
    status: 'open',
    days,
    removedDays,
    note: textOf('Pemohon lansia, ibu hamil dan penyandang disabilitas didahulukan', TEXT_LIMITS.note),
  };
}

function postOf(template: string, channelId: string, facts: Partial<PostFacts> & Pick<PostFacts, 'services'>, dueAt: string): PlannedPost {
  const kind = template === 'weekly' ? 'digest' : template === 'correction' ? 'correction' : template === 'cancellation' ? 'cancellation' : 'announcement';
  return {
    id: `fit-${template}`,
    officeId: OFFICE.id,
    ruleId: template,
    channelId,
    kind,
    releaseId: facts.release?.id ?? null,
    subject: 'fit',
    template,
    dueAt: new Date(dueAt),
    deadline: null,
    fingerprint: 'fit',
    facts: { office: OFFICE, ...facts },
  } as PlannedPost;
}

/** A digest of `dayCount` days (1–31) from Monday 2027-03-01, every day with different counts, some closed, openings inside. */
function digestOf(dayCount: number, services: PostFacts['services'], withQuota: boolean): NonNullable<PostFacts['digest']> {
  const days: NonNullable<PostFacts['digest']>['days'] = [];
  for (let i = 0; i < dayCount; i++) {
    const date = addDays('2027-03-01', i);
    if (withQuota && i % 5 === 4) days.push({ date, quota: null, closedReason: LONG_REASON, weekend: false });
    else days.push({ date, quota: withQuota ? Object.fromEntries(services.map((s, k) => [s.id, 99_999 - i * 7 - k])) : null, weekend: false });
  }
  const openings = Array.from({ length: Math.ceil(dayCount / 7) }, (_, w) => ({
    ...releaseOf(5, services, { distinct: true, closedEvery: null }, `${addDays('2027-03-05', 7 * w)}T06:00:00.000Z`),
    id: `mingguan-${w}`,
    ...(w % 2 === 1 ? { status: 'cancelled' as const, cancelReason: textOf('Pemeliharaan sistem antrean nasional', TEXT_LIMITS.cancelReason) } : {}),
  }));
  return {
    from: '2027-03-01',
    to: addDays('2027-03-01', dayCount - 1),
    days,
    openings: dayCount >= 5 ? openings : [],
    nextOpening: releaseOf(20, services, { distinct: true, closedEvery: 4 }, '2027-04-02T06:00:00.000Z'),
  };
}

const DAY_COUNTS = process.env.FIT_DAYS ? process.env.FIT_DAYS.split(',').map(Number) : Array.from({ length: 31 }, (_, i) => i + 1);

const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);

/** Every post of one calendar shape, for one channel. */
function postsFor(dayCount: number, serviceCount: number, channelId: string): PlannedPost[] {
  const services = servicesOf(serviceCount);
  const posts: PlannedPost[] = [];
  // Equal counts fold into few rows: the h-1 post checks that path; every
  // template gets the worst case (all counts different, closed days between).
  const folded = releaseOf(dayCount, services, { distinct: false, closedEvery: null });
  posts.push(postOf('h-1', channelId, { services, release: folded, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z'));
  {
    const release = releaseOf(dayCount, services, { distinct: true, closedEvery: 3 });
    const announcement = { services, release, timing: { kind: 'before-opening' as const, minutes: 60 } };
    posts.push(postOf('h-1', channelId, { ...announcement, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z'));
    posts.push(postOf('h-60m', channelId, announcement, '2027-02-26T05:00:00.000Z'));
    posts.push(postOf('opening', channelId, { ...announcement, timing: { kind: 'before-opening', minutes: 0 } }, '2027-02-26T06:00:00.000Z'));
    const previous = { ...release, opensAt: '2027-02-26T02:00:00.000Z', days: release.days.map((d) => ({ ...d, quota: Object.fromEntries(Object.entries(d.quota).map(([k, v]) => [k, v - 1])) })) };
    posts.push(postOf('correction', channelId, { services, release, previous }, '2027-02-25T12:00:00.000Z'));
    posts.push(
      postOf('cancellation', channelId, { services, release: { ...release, status: 'cancelled', cancelReason: textOf('Gangguan sistem antrean nasional', TEXT_LIMITS.cancelReason) } }, '2027-02-25T12:00:00.000Z'),
    );
  }
  posts.push(postOf('weekly', channelId, { services, digest: digestOf(dayCount, services, true) }, '2027-02-28T10:00:00.000Z'));
  posts.push(postOf('weekly', channelId, { services, digest: digestOf(Math.min(dayCount, 7), services, false) }, '2027-02-28T10:00:00.000Z'));
  return posts;
}

describe('render/caption: every shipped template fits every valid calendar', () => {
  it('loads the sample templates', () => {
    expect(problems).toEqual([]);
  });

  describe.each(['instagram', 'x'] as const)('on %s', (platform) => {
    it('keeps every caption and alt text within the platform limits for 1–31 days × 1–6 services', () => {
      const over: string[] = [];
      let renders = 0;
      for (const dayCount of DAY_COUNTS) {
        for (let serviceCount = 1; serviceCount <= 6; serviceCount++) {
          for (const post of postsFor(dayCount, serviceCount, platform)) {
            renders++;
            const caption = renderCaption(templates!, post);
            const alts = renderAltTexts(templates!, post);
            const captionLength = countForPlatform(caption, platform);
            if (captionLength > PLATFORM_LIMITS[platform].maxTextLength) over.push(`${post.template} ${dayCount}d×${serviceCount}s caption ${captionLength}:\n${caption}`);
            for (const alt of alts) if (countCodePoints(alt) > 1000) over.push(`${post.template} ${dayCount}d×${serviceCount}s alt ${countCodePoints(alt)}:\n${alt}`);
            // What `check` runs: no error about text or alt text.
            const media = alts.map((alt, i) => ({ file: `card-${i}.png`, mime: PLATFORM_LIMITS[platform].preferredMime, width: 1080, height: 1350, bytes: 1000, alt }));
            const errors = checkRenderedPost({ text: caption, media }, PLATFORM_LIMITS[platform], platform).filter((p) => p.severity === 'error');
            if (errors.length > 0) over.push(`${post.template} ${dayCount}d×${serviceCount}s: ${errors.map((e) => e.message).join('; ')}`);
          }
        }
      }
      expect(over.slice(0, 3)).toEqual([]);
      expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
    }, 240_000); // ~20 s on a loaded 2-core machine; generous so a CPU hog cannot fail it
  });

  it('shortens only as far as it must: a weekly two-service release keeps every row and count', () => {
    const services = servicesOf(2);
    const post = postOf('h-1', 'x', { services, release: releaseOf(5, services, { distinct: false, closedEvery: null }), timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z');
    const ig = renderCaption(templates!, { ...post, channelId: 'instagram' });
    expect(ig).toContain(`• Senin–Jumat, 1–5 Maret 2027: ${services[0]!.shortName} 99.999 dan ${services[1]!.shortName} 99.999 per hari`);
    expect(ig).not.toContain('Rincian kuota per tanggal ada di gambar.');
  });

  it('drops per-row detail for a monthly release with four services and a long booking text, which it did not fit before', () => {
    const services = servicesOf(4);
    const release = releaseOf(21, services, { distinct: true, closedEvery: 5 });
    const post = postOf('h-1', 'instagram', { services, release, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z');
    const ig = renderCaption(templates!, post);
    expect(countForPlatform(ig, 'instagram')).toBeLessThanOrEqual(2200);
    expect(ig).toContain('• Tanggal layanan: 1–25 Mar 2027, 21 hari');
    expect(ig).toContain('Rincian kuota per tanggal ada di gambar.');
    const x = renderCaption(templates!, { ...post, channelId: 'x' });
    expect(countForPlatform(x, 'x')).toBeLessThanOrEqual(280);
  });
});

describe('channels/check-post: alt text limit', () => {
  const media = (alt: string) => [{ file: 'card.png', mime: 'image/png' as const, width: 1080, height: 1350, bytes: 1000, alt }];

  it('reports X alt text over 1,000 characters as an error naming the file and what to do', () => {
    const problems = checkRenderedPost({ text: 'Halo', media: media('a'.repeat(1001)) }, PLATFORM_LIMITS.x, 'x');
    expect(problems).toEqual([
      {
        severity: 'error',
        message: 'card.png alt text is 1001 characters, over the limit of 1000: shorten the alt template (e.g. list fewer rows under {{#if (compact)}})',
      },
    ]);
  });

  it('accepts exactly 1,000', () => {
    expect(checkRenderedPost({ text: 'Halo', media: media('a'.repeat(1000)) }, PLATFORM_LIMITS.x, 'x')).toEqual([]);
  });
});
