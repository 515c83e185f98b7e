/**
 * Every shipped caption and alt text fits Mastodon (issue 11): 500 characters
 * as a Mastodon instance counts them (graphemes, each link as 23;
 * `countForPlatform`), at most 4 images, alt text within 1,500 characters.
 * Rendered for offices unlike the sample: 1–6 services, 1–31 service days,
 * names and texts at the longest the config accepts, WITA and WIT, a
 * cancellation, a correction, an empty week. Built like caption-fit.test.ts
 * (its calendar builders, copied: a test file cannot import another's).
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countCodePoints, countForPlatform } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlannedPost, PostFacts, PostKind, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { addDays } from '../../src/time/plain-date';
import { aPost, aRelease } from './post-builder';
import { SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';

/** Text of exactly `length` characters that reads like the real thing (words, spaces). */
function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

const WITA_OFFICE: PostFacts['office'] = {
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

function postOf(template: string, channelId: string, facts: Partial<PostFacts> & Pick<PostFacts, 'services'>, dueAt: string, office: PostFacts['office'] = WITA_OFFICE): PlannedPost {
  const kind = template === 'weekly' ? 'digest' : template === 'correction' ? 'correction' : template === 'cancellation' ? 'cancellation' : 'announcement';
  return {
    id: `fit-${template}`,
    officeId: office.id,
    ruleId: template,
    channelId,
    kind,
    releaseId: facts.release?.id ?? null,
    subject: 'fit',
    template,
    dueAt: new Date(dueAt),
    deadline: null,
    fingerprint: 'fit',
    facts: { office, ...facts },
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


/** Every post of one calendar shape, for one channel. */
function postsFor(dayCount: number, serviceCount: number, channelId: string, office: PostFacts['office'] = WITA_OFFICE): PlannedPost[] {
  const services = servicesOf(serviceCount);
  const posts: PlannedPost[] = [];
  // Equal counts fold into few rows: the h-1 post checks that path; every
  // template gets the worst case (all counts different, closed days between).
  const folded = releaseOf(dayCount, services, { distinct: false, closedEvery: null });
  posts.push(postOf('h-1', channelId, { services, release: folded, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z', office));
  {
    const release = releaseOf(dayCount, services, { distinct: true, closedEvery: 3 });
    const announcement = { services, release, timing: { kind: 'before-opening' as const, minutes: 60 } };
    posts.push(postOf('h-1', channelId, { ...announcement, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z', office));
    posts.push(postOf('h-60m', channelId, announcement, '2027-02-26T05:00:00.000Z', office));
    posts.push(postOf('opening', channelId, { ...announcement, timing: { kind: 'before-opening', minutes: 0 } }, '2027-02-26T06:00:00.000Z', office));
    const previous = { ...release, opensAt: '2027-02-26T02:00:00.000Z', days: release.days.map((d) => ({ ...d, quota: Object.fromEntries(Object.entries(d.quota).map(([k, v]) => [k, v - 1])) })) };
    posts.push(postOf('correction', channelId, { services, release, previous }, '2027-02-25T12:00:00.000Z', office));
    posts.push(
      postOf('cancellation', channelId, { services, release: { ...release, status: 'cancelled', cancelReason: textOf('Gangguan sistem antrean nasional', TEXT_LIMITS.cancelReason) } }, '2027-02-25T12:00:00.000Z', office),
    );
  }
  posts.push(postOf('weekly', channelId, { services, digest: digestOf(dayCount, services, true) }, '2027-02-28T10:00:00.000Z', office));
  posts.push(postOf('weekly', channelId, { services, digest: digestOf(Math.min(dayCount, 7), services, false) }, '2027-02-28T10:00:00.000Z', office));
  return posts;
}

const MASTODON_USES = SAMPLE_USES.map((use) => ({ ...use, channelIds: ['mastodon'] }));
const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, MASTODON_USES);
const LIMITS = PLATFORM_LIMITS.mastodon;

/** Papua: WIT, a different clock from the sample's WIB. */
const WIT_OFFICE: PostFacts['office'] = { ...WITA_OFFICE, id: 'kanim-jayapura', timezone: 'Asia/Jayapura' };

/** What does not fit, as messages; empty when every post fits. */
function overLimit(posts: PlannedPost[]): string[] {
  const over: string[] = [];
  for (const post of posts) {
    const caption = renderCaption(templates!, post);
    const alts = renderAltTexts(templates!, post);
    const length = countForPlatform(caption, 'mastodon');
    if (length > LIMITS.maxTextLength) over.push(`${post.template} ${post.releaseId ?? ''} caption ${length}:\n${caption}`);
    for (const alt of alts) if (countCodePoints(alt) > LIMITS.maxAltTextLength!) over.push(`${post.template} alt ${countCodePoints(alt)}`);
    const media = alts.map((alt, i) => ({ file: `card-${i}.png`, mime: LIMITS.preferredMime, width: 1080, height: 1350, bytes: 1000, alt }));
    const errors = checkRenderedPost({ text: caption, media }, LIMITS, 'mastodon').filter((p) => p.severity === 'error');
    if (errors.length > 0) over.push(`${post.template}: ${errors.map((e) => e.message).join('; ')}`);
  }
  return over;
}

describe('render/caption: every shipped template fits Mastodon', () => {
  it('loads the sample templates for a mastodon channel', () => {
    expect(problems).toEqual([]);
  });

  it('keeps every caption and alt text within 500 characters (links as 23) and 1,500 for 1–31 days × 1–6 services, WITA', () => {
    const over: string[] = [];
    let renders = 0;
    for (const dayCount of DAY_COUNTS) {
      for (let serviceCount = 1; serviceCount <= 6; serviceCount++) {
        const posts = postsFor(dayCount, serviceCount, 'mastodon');
        renders += posts.length;
        over.push(...overLimit(posts).map((line) => `${dayCount}d×${serviceCount}s ${line}`));
      }
    }
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
  }, 240_000);

  it('fits for an office in WIT too (1, 7 and 31 days; 1 and 6 services)', () => {
    const over: string[] = [];
    for (const dayCount of [1, 7, 31]) for (const serviceCount of [1, 6]) over.push(...overLimit(postsFor(dayCount, serviceCount, 'mastodon', WIT_OFFICE)));
    expect(over).toEqual([]);
    const [h1] = postsFor(1, 1, 'mastodon', WIT_OFFICE);
    expect(renderCaption(templates!, h1!)).toContain('WIT');
  });

  it('shortens only as far as it must: the sample office keeps its per-service counts, booking line, website and every hashtag', () => {
    const sample = (template: string, kind: PostKind, facts: Partial<PostFacts> = {}): string => renderCaption(templates!, aPost({ template, kind, channelId: 'mastodon', facts }));
    const h1 = sample('h-1', 'announcement');
    expect(h1).toBe(
      [
        '📢 Kuota antrean paspor Imigrasi Pontianak dibuka besok, Jumat, 18 Desember 2026, pukul 14.00 WIB.',
        '',
        'Tanggal layanan: 21–24 Des 2026.',
        'Kuota: 480 Reguler dan 80 Percepatan.',
        '',
        'Siapkan akun dan data diri sebelum pukul 14.00 WIB. Daftar via aplikasi M-Paspor (info: pontianak.imigrasi.go.id). GRATIS, waspada calo!',
        '',
        '#ImigrasiPontianak #MPaspor #KuotaPaspor',
      ].join('\n'),
    );
    expect(sample('weekly', 'digest')).toContain('• Rab, 23 Des: 80/20\n• Kam, 24 Des: 120/20\n• Jum, 25 Des: libur');
    const previous = aRelease({ days: aRelease().days.map((day, i) => (i === 1 ? { ...day, quota: { reguler: 100, percepatan: 20 } } : day)) });
    expect(sample('correction', 'correction', { previous })).toContain('pukul 14.00 WIB:\n• Reguler Sel, 22 Des: 100 → 120\n\nMohon maaf');
    expect(sample('cancellation', 'cancellation', { release: aRelease({ status: 'cancelled', cancelReason: 'gangguan sistem antrean' }) })).toContain('Alasan: gangguan sistem antrean.');
    for (const template of ['h-1', 'h-60m', 'opening']) expect(countForPlatform(sample(template, 'announcement'), 'mastodon')).toBeLessThan(400);
  });
});
