/**
 * Every shipped caption and alt text fits a Facebook Page post, for offices
 * unlike the sample: 1 and 6 services (and every count between), 1–31 service
 * days with closed days between, names and texts at the longest the config
 * accepts (schema.ts TEXT_LIMITS), offices in WITA and WIT, a correction, a
 * cancellation, a week with quota and an empty week. Facebook has no
 * `.facebook.hbs` overrides: the generic (Instagram-style) captions fit its
 * 63,206 code points with room to spare, so Facebook gets them in FULL detail
 * (compact level 0) where Instagram's 2,200 must shorten them. Counted as
 * `check` counts for Facebook (code points, text-length.ts).
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countForPlatform } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { addDays } from '../../src/time/plain-date';
import { SAMPLE_TEMPLATES } from './template-dir';

const LIMITS = PLATFORM_LIMITS.facebook;
const TEMPLATES = ['h-1', 'h-60m', 'opening', 'weekly', 'correction', 'cancellation'] as const;
const KIND = { 'h-1': 'announcement', 'h-60m': 'announcement', opening: 'announcement', weekly: 'digest', correction: 'correction', cancellation: 'cancellation' } as const;
// One facebook channel and one instagram channel, each named after its platform.
const { templates, problems } = loadTemplates(
  SAMPLE_TEMPLATES,
  TEMPLATES.map((name) => ({ name, kind: KIND[name], channelIds: ['facebook', 'instagram'] })),
);

function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

function officeIn(timezone: 'Asia/Makassar' | 'Asia/Jayapura'): PostFacts['office'] {
  return {
    id: timezone === 'Asia/Makassar' ? 'kanim-balikpapan' : 'kanim-jayapura',
    name: textOf('Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Balikpapan', TEXT_LIMITS.officeName),
    shortName: textOf('Imigrasi Balikpapan', TEXT_LIMITS.officeShortName),
    timezone,
    locale: 'id-ID',
    info: {
      bookingChannel: textOf('aplikasi M-Paspor (unduh di Play Store atau App Store)', TEXT_LIMITS.bookingChannel),
      website: textOf('balikpapan.imigrasi.go.id', TEXT_LIMITS.website).replace(/ /g, '-'),
      hashtags: Array.from({ length: TEXT_LIMITS.hashtags }, (_, i) => `KuotaPasporBalikpapan${i}`.padEnd(TEXT_LIMITS.hashtag, 'X')),
    },
  };
}

function servicesOf(count: number): PostFacts['services'] {
  return Array.from({ length: count }, (_, i) => ({
    id: `layanan-${i}`,
    name: textOf(`Paspor Elektronik Layanan ${i + 1}`, TEXT_LIMITS.serviceName),
    shortName: textOf(`Layanan${i + 1}`, TEXT_LIMITS.serviceShortName),
  }));
}

const LONG_REASON = textOf('Cuti bersama Hari Raya Idulfitri 1448 Hijriah', TEXT_LIMITS.closureReason);

/** `dayCount` service days from 2027-03-01, a closed day after every third, every count different. */
function releaseOf(dayCount: number, services: PostFacts['services'], opensAt = '2027-02-26T06:00:00.000Z'): ReleaseFacts {
  const days: ReleaseFacts['days'] = [];
  const removedDays: ReleaseFacts['removedDays'] = [];
  let date = '2027-03-01';
  while (days.length < dayCount) {
    if (days.length > 0 && days.length % 3 === 0 && removedDays.length < days.length / 3) removedDays.push({ date, reason: LONG_REASON, kind: 'closure' });
    else days.push({ date, quota: Object.fromEntries(services.map((s, i) => [s.id, 99_999 - days.length * 7 - i])) });
    date = addDays(date, 1);
  }
  return { id: `rilis-${dayCount}`, opensAt, closesAt: '2027-02-27T15:30:00.000Z', status: 'open', days, removedDays, note: textOf('Pemohon lansia, ibu hamil dan penyandang disabilitas didahulukan', TEXT_LIMITS.note) };
}

function digestOf(dayCount: number, services: PostFacts['services'], withQuota: boolean): NonNullable<PostFacts['digest']> {
  const days: NonNullable<PostFacts['digest']>['days'] = [];
  for (let i = 0; i < dayCount; i++) {
    const date = addDays('2027-03-01', i);
    if (withQuota && i % 5 === 4) days.push({ date, quota: null, closedReason: LONG_REASON, weekend: false });
    else days.push({ date, quota: withQuota ? Object.fromEntries(services.map((s, k) => [s.id, 99_999 - i * 7 - k])) : null, weekend: false });
  }
  const openings = withQuota
    ? Array.from({ length: Math.ceil(dayCount / 7) }, (_, w) => ({
        ...releaseOf(5, services, `${addDays('2027-03-05', 7 * w)}T06:00:00.000Z`),
        id: `mingguan-${w}`,
        ...(w % 2 === 1 ? { status: 'cancelled' as const, cancelReason: textOf('Pemeliharaan sistem antrean nasional', TEXT_LIMITS.cancelReason) } : {}),
      }))
    : [];
  return { from: '2027-03-01', to: addDays('2027-03-01', dayCount - 1), days, openings, ...(withQuota ? { nextOpening: releaseOf(20, services, '2027-04-02T06:00:00.000Z') } : {}) };
}

function postOf(template: (typeof TEMPLATES)[number], office: PostFacts['office'], facts: Omit<PostFacts, 'office'>, dueAt: string): PlannedPost {
  return {
    id: `fit-${template}`,
    officeId: office.id,
    ruleId: template,
    channelId: 'facebook',
    kind: KIND[template],
    releaseId: facts.release?.id ?? null,
    subject: 'fit',
    template,
    dueAt: new Date(dueAt),
    deadline: null,
    fingerprint: 'fit',
    facts: { office, ...facts },
  } as PlannedPost;
}

/** Every shipped template for one calendar shape: announcements, correction, cancellation, a full and an empty week. */
function postsFor(office: PostFacts['office'], dayCount: number, serviceCount: number): PlannedPost[] {
  const services = servicesOf(serviceCount);
  const release = releaseOf(dayCount, services);
  const announcement = { services, release, timing: { kind: 'before-opening' as const, minutes: 60 } };
  const previous = { ...release, opensAt: '2027-02-26T02:00:00.000Z', days: release.days.map((d) => ({ ...d, quota: Object.fromEntries(Object.entries(d.quota).map(([k, v]) => [k, v - 1])) })) };
  return [
    postOf('h-1', office, { ...announcement, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z'),
    postOf('h-60m', office, announcement, '2027-02-26T05:00:00.000Z'),
    postOf('opening', office, { ...announcement, timing: { kind: 'before-opening', minutes: 0 } }, '2027-02-26T06:00:00.000Z'),
    postOf('correction', office, { services, release, previous }, '2027-02-25T12:00:00.000Z'),
    postOf('cancellation', office, { services, release: { ...release, status: 'cancelled', cancelReason: textOf('Gangguan sistem antrean nasional', TEXT_LIMITS.cancelReason) } }, '2027-02-25T12:00:00.000Z'),
    postOf('weekly', office, { services, digest: digestOf(dayCount, services, true) }, '2027-02-28T10:00:00.000Z'),
    postOf('weekly', office, { services, digest: digestOf(Math.min(dayCount, 7), services, false) }, '2027-02-28T10:00:00.000Z'),
  ];
}

const DAY_COUNTS = Array.from({ length: 31 }, (_, i) => i + 1);

describe('render/caption: every shipped template fits a Facebook Page post', () => {
  it('loads the sample templates', () => {
    expect(problems).toEqual([]);
  });

  it.each(['Asia/Makassar', 'Asia/Jayapura'] as const)('keeps every caption and alt text within Facebook limits for 1–31 days × 1–6 services (%s)', (timezone) => {
    const office = officeIn(timezone);
    const over: string[] = [];
    let renders = 0;
    for (const dayCount of DAY_COUNTS) {
      for (let serviceCount = 1; serviceCount <= 6; serviceCount++) {
        for (const post of postsFor(office, dayCount, serviceCount)) {
          renders++;
          const caption = renderCaption(templates!, post);
          const alts = renderAltTexts(templates!, post);
          // What `check` runs for a facebook channel.
          const media = alts.map((alt, i) => ({ file: `card-${i}.jpg`, mime: LIMITS.preferredMime, width: 1080, height: 1350, bytes: 300_000, alt }));
          const errors = checkRenderedPost({ text: caption, media }, LIMITS, 'facebook').filter((p) => p.severity === 'error');
          if (errors.length > 0) over.push(`${post.template} ${dayCount}d×${serviceCount}s: ${errors.map((e) => e.message).join('; ')}`);
          if (media.length > LIMITS.maxImages) over.push(`${post.template} ${dayCount}d×${serviceCount}s: ${media.length} cards`);
        }
      }
    }
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(31 * 6 * 7);
  }, 240_000);

  it('gives Facebook the full caption where Instagram must shorten it: every row with its counts, the booking line, every hashtag', () => {
    const office = officeIn('Asia/Makassar');
    const [h1] = postsFor(office, 31, 6);
    const facebook = renderCaption(templates!, h1!);
    const instagram = renderCaption(templates!, { ...h1!, channelId: 'instagram' });
    expect(countForPlatform(instagram, 'instagram')).toBeLessThanOrEqual(2200);
    expect(countForPlatform(facebook, 'facebook')).toBeGreaterThan(2200);
    expect(countForPlatform(facebook, 'facebook')).toBeLessThanOrEqual(LIMITS.maxTextLength);
    expect(facebook).toContain('Total: ');
    expect(facebook).not.toContain('Rincian kuota per tanggal ada di gambar.');
    expect(facebook).toContain('• Senin, 1 Maret 2027: ');
    expect(facebook).toContain(`Daftar hanya melalui ${office.info.bookingChannel}`);
    for (const tag of office.info.hashtags ?? []) expect(facebook).toContain(`#${tag}`);
    expect(instagram).toContain('Rincian kuota per tanggal ada di gambar.');
  });
});
