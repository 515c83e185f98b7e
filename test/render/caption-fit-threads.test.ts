/**
 * Every shipped caption fits Threads: 500 UTF-8 bytes ("Emojis are counted as
 * the number of UTF-8 bytes"), where `•` and `–` take 3 bytes and an emoji 4
 * or more. Rendered for offices unlike the sample: 1–31 service days × 1–6
 * services (counts up to 99,999, all different, closed days between), names,
 * booking text, reasons and hashtags at the longest the config accepts, in
 * WITA and WIT, with a cancellation, a correction and an empty week; each
 * caption counted as Threads counts it and run through what `check` runs. The
 * alt texts fit the 1,000 characters the driver sends.
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

const officeIn = (timezone: string): PostFacts['office'] => ({
  id: 'kanim-panjang',
  name: textOf('Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Balikpapan', TEXT_LIMITS.officeName),
  shortName: textOf('Imigrasi Balikpapan', TEXT_LIMITS.officeShortName),
  timezone,
  locale: 'id-ID',
  info: {
    bookingChannel: textOf('aplikasi M-Paspor (unduh di Play Store atau App Store)', TEXT_LIMITS.bookingChannel),
    website: textOf('balikpapan.imigrasi.go.id', TEXT_LIMITS.website).replace(/ /g, '-'),
    hashtags: Array.from({ length: TEXT_LIMITS.hashtags }, (_, i) => `KuotaPasporBalikpapan${i}`.padEnd(TEXT_LIMITS.hashtag, 'X')),
  },
});
let OFFICE = officeIn('Asia/Makassar');

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

// The sample's uses, each also posted to a channel `threads` (taken to be platform threads).
const USES = SAMPLE_USES.map((use) => ({ ...use, channelIds: [...use.channelIds, 'threads'] }));
const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, USES);
const LIMITS = PLATFORM_LIMITS.threads;

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

/** Every caption over the limit or with a `check` error, for `dayCounts` × 1–6 services. */
function overTheLimit(dayCounts: readonly number[]): { over: string[]; renders: number; longest: number } {
  const over: string[] = [];
  let renders = 0;
  let longest = 0;
  for (const dayCount of dayCounts) {
    for (let serviceCount = 1; serviceCount <= 6; serviceCount++) {
      for (const post of postsFor(dayCount, serviceCount, 'threads')) {
        renders++;
        const caption = renderCaption(templates!, post);
        const bytes = countForPlatform(caption, 'threads');
        longest = Math.max(longest, bytes);
        if (bytes > LIMITS.maxTextLength) over.push(`${post.template} ${dayCount}d×${serviceCount}s caption ${bytes} bytes:\n${caption}`);
        const alts = renderAltTexts(templates!, post);
        for (const alt of alts) if (countCodePoints(alt) > LIMITS.maxAltTextLength!) over.push(`${post.template} ${dayCount}d×${serviceCount}s alt ${countCodePoints(alt)}`);
        const media = alts.map((alt, i) => ({ file: `card-${i}.jpg`, mime: LIMITS.preferredMime, width: 1080, height: 1350, bytes: 1000, alt }));
        const errors = checkRenderedPost({ text: caption, media }, LIMITS, 'threads').filter((p) => p.severity === 'error');
        if (errors.length > 0) over.push(`${post.template} ${dayCount}d×${serviceCount}s: ${errors.map((e) => e.message).join('; ')}`);
      }
    }
  }
  return { over, renders, longest };
}

describe('render/caption: every shipped template fits Threads (500 UTF-8 bytes)', () => {
  afterEach(() => {
    OFFICE = officeIn('Asia/Makassar');
  });

  it('loads the sample templates with a caption override for threads for every name', () => {
    expect(problems).toEqual([]);
    for (const use of USES) expect(templates!.groups.get(use.name)!.channelCaptions.get('threads')?.file).toMatch(new RegExp(`${use.name}\\.threads\\.hbs$`));
  });

  it('counts as Threads does: bullets, dashes and emoji by their UTF-8 bytes', () => {
    expect(countForPlatform('• – 🟢 🗓️', 'threads')).toBe(3 + 1 + 3 + 1 + 4 + 1 + 7);
  });

  it('keeps every caption and alt text within the limits for 1–31 days × 1–6 services, in WITA', () => {
    const { over, renders } = overTheLimit(DAY_COUNTS);
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
  }, 240_000);

  it('and in WIT (Asia/Jayapura)', () => {
    OFFICE = officeIn('Asia/Jayapura');
    const { over } = overTheLimit([1, 5, 7, 14, 31]);
    expect(over.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('shortens only as far as it must: an ordinary office keeps the counts per service and the booking line', () => {
    const sampleLike = officeIn('Asia/Pontianak');
    OFFICE = { ...sampleLike, name: 'Kantor Imigrasi Kelas I TPI Pontianak', shortName: 'Imigrasi Pontianak', info: { bookingChannel: 'aplikasi M-Paspor', website: 'pontianak.imigrasi.go.id', hashtags: ['ImigrasiPontianak', 'MPaspor'] } };
    const services = [
      { id: 'regular', name: 'Paspor Reguler', shortName: 'Reguler' },
      { id: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan' },
    ];
    const post = postOf('h-1', 'threads', { services, release: releaseOf(5, services, { distinct: false, closedEvery: null }), timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z');
    const caption = renderCaption(templates!, post);
    expect(caption).toBe(
      [
        '📢 Kuota antrean paspor Imigrasi Pontianak dibuka besok, Jum, 26 Feb, pukul 13.00 WIB.',
        'Layanan 1–5 Mar 2027: 499.995 Reguler dan 499.995 Percepatan. Rincian per tanggal ada di gambar.',
        'Siapkan akun aplikasi M-Paspor sebelum pukul 13.00 WIB.',
        'Info: pontianak.imigrasi.go.id',
        'Pendaftaran GRATIS, waspada calo!',
        '#ImigrasiPontianak #MPaspor',
      ].join('\n'),
    );
  });

  it('the worst case still says where the rest is: the card, and the website', () => {
    for (const dayCount of [1, 31]) {
      for (const post of postsFor(dayCount, 6, 'threads')) {
        const caption = renderCaption(templates!, post);
        expect(caption).toContain(`Info: ${OFFICE.info.website}`);
        if (post.template !== 'cancellation' && !caption.includes('tidak ada kuota')) expect(caption).toMatch(/ada di gambar/);
      }
    }
  });
});
