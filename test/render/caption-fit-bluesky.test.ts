/**
 * Every shipped caption fits Bluesky as Bluesky counts it (300 graphemes and
 * 3,000 UTF-8 bytes) for offices unlike the sample: 1 and 6 services, 1–31
 * service days with different counts and closed days, names and texts at the
 * longest the config accepts, WIT and WITA, a cancellation, a correction, an
 * empty week. 300 graphemes is tight: the card carries the table, the caption
 * says what and when. Each caption's facets (links, hashtags) must be valid
 * byte ranges of it, and what `check` runs must find no error.
 */
import fs from 'node:fs';
import { detectFacets } from '../../src/channels/bluesky/facets';
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countGraphemes, countUtf8Bytes } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { addDays } from '../../src/time/plain-date';
import { SAMPLE_TEMPLATES } from './template-dir';

const LIMITS = PLATFORM_LIMITS.bluesky;
const TEMPLATES = ['h-1', 'h-60m', 'opening', 'weekly', 'correction', 'cancellation'] as const;
const KINDS = { 'h-1': 'announcement', 'h-60m': 'announcement', opening: 'announcement', weekly: 'digest', correction: 'correction', cancellation: 'cancellation' } as const;
const { templates, problems } = loadTemplates(
  SAMPLE_TEMPLATES,
  TEMPLATES.map((name) => ({ name, kind: KINDS[name], channelIds: ['bsky'], platforms: { bsky: 'bluesky' as const } })),
);

/** Text of exactly `length` characters that reads like the real thing. */
function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

function officeOf(timezone: string, long: boolean): PostFacts['office'] {
  return {
    id: 'kanim-jauh',
    name: long ? textOf('Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Jayapura', TEXT_LIMITS.officeName) : 'Kantor Imigrasi Jayapura',
    shortName: long ? textOf('Imigrasi Jayapura', TEXT_LIMITS.officeShortName) : 'Kanim Jayapura',
    timezone,
    locale: 'id-ID',
    info: {
      bookingChannel: long ? textOf('aplikasi M-Paspor (unduh di Play Store atau App Store)', TEXT_LIMITS.bookingChannel) : 'aplikasi M-Paspor',
      website: long ? textOf('jayapura.imigrasi.go.id', TEXT_LIMITS.website).replace(/ /g, '-') : 'jayapura.imigrasi.go.id',
      hashtags: long ? Array.from({ length: TEXT_LIMITS.hashtags }, (_, i) => `KuotaPasporJayapura${i}`.padEnd(TEXT_LIMITS.hashtag, 'X')) : ['KuotaPaspor', 'ImigrasiJayapura'],
    },
  };
}

function servicesOf(count: number, long: boolean): PostFacts['services'] {
  return Array.from({ length: count }, (_, i) => ({
    id: `layanan-${i}`,
    name: long ? textOf(`Paspor Elektronik Layanan ${i + 1}`, TEXT_LIMITS.serviceName) : `Paspor ${i + 1}`,
    shortName: long ? textOf(`Layanan${i + 1}`, TEXT_LIMITS.serviceShortName) : `P${i + 1}`,
  }));
}

const REASON = textOf('Cuti bersama Hari Raya Idulfitri 1448 Hijriah', TEXT_LIMITS.closureReason);

function releaseOf(dayCount: number, services: PostFacts['services'], opensAt = '2027-02-26T06:00:00.000Z'): ReleaseFacts {
  const days: ReleaseFacts['days'] = [];
  const removedDays: ReleaseFacts['removedDays'] = [];
  let date = '2027-03-01';
  while (days.length < dayCount) {
    if (days.length > 0 && days.length % 3 === 0 && removedDays.length < days.length / 3) removedDays.push({ date, reason: REASON, kind: 'closure' });
    else days.push({ date, quota: Object.fromEntries(services.map((s, i) => [s.id, 99_999 - days.length * 7 - i])) });
    date = addDays(date, 1);
  }
  return { id: `rilis-${dayCount}`, opensAt, closesAt: '2027-02-27T15:30:00.000Z', status: 'open', days, removedDays, note: textOf('Pemohon lansia didahulukan', TEXT_LIMITS.note) };
}

function digestOf(dayCount: number, services: PostFacts['services'], withQuota: boolean): NonNullable<PostFacts['digest']> {
  const days: NonNullable<PostFacts['digest']>['days'] = [];
  for (let i = 0; i < dayCount; i++) {
    const date = addDays('2027-03-01', i);
    if (withQuota && i % 5 === 4) days.push({ date, quota: null, closedReason: REASON, weekend: false });
    else days.push({ date, quota: withQuota ? Object.fromEntries(services.map((s, k) => [s.id, 99_999 - i * 7 - k])) : null, weekend: false });
  }
  const openings = Array.from({ length: Math.ceil(dayCount / 7) }, (_, w) => ({
    ...releaseOf(5, services, `${addDays('2027-03-05', 7 * w)}T06:00:00.000Z`),
    id: `mingguan-${w}`,
    ...(w % 2 === 1 ? { status: 'cancelled' as const, cancelReason: textOf('Pemeliharaan sistem antrean nasional', TEXT_LIMITS.cancelReason) } : {}),
  }));
  return { from: '2027-03-01', to: addDays('2027-03-01', dayCount - 1), days, openings: withQuota && dayCount >= 5 ? openings : [], ...(withQuota ? { nextOpening: releaseOf(20, services, '2027-04-02T06:00:00.000Z') } : {}) };
}

function postOf(template: (typeof TEMPLATES)[number], office: PostFacts['office'], facts: Omit<PostFacts, 'office'>, dueAt: string): PlannedPost {
  return {
    id: `fit-${template}`,
    officeId: office.id,
    ruleId: template,
    channelId: 'bsky',
    kind: KINDS[template],
    releaseId: facts.release?.id ?? null,
    subject: 'fit',
    template,
    dueAt: new Date(dueAt),
    deadline: null,
    fingerprint: 'fit',
    facts: { office, ...facts },
  } as PlannedPost;
}

function postsFor(dayCount: number, serviceCount: number, office: PostFacts['office'], long: boolean): PlannedPost[] {
  const services = servicesOf(serviceCount, long);
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
    // An empty week: no quota at all.
    postOf('weekly', office, { services, digest: digestOf(Math.min(dayCount, 7), services, false) }, '2027-02-28T10:00:00.000Z'),
  ];
}

describe('render/caption: every shipped caption fits Bluesky (300 graphemes, 3,000 bytes)', () => {
  it('loads the Bluesky overrides for every shipped caption', () => {
    expect(problems).toEqual([]);
    // Each caption has its own .bluesky.hbs: the Instagram-length default would never fit.
    for (const name of TEMPLATES) expect(fs.existsSync(`${SAMPLE_TEMPLATES}/captions/${name}.bluesky.hbs`)).toBe(true);
  });

  it.each([
    ['Asia/Jayapura (WIT), longest names', 'Asia/Jayapura', true],
    ['Asia/Makassar (WITA), short names', 'Asia/Makassar', false],
  ])('fits for 1–31 days × 1 and 6 services: %s', (_label, zone, long) => {
    const office = officeOf(zone, long);
    const over: string[] = [];
    let renders = 0;
    for (let dayCount = 1; dayCount <= 31; dayCount++) {
      for (const serviceCount of [1, 6]) {
        for (const post of postsFor(dayCount, serviceCount, office, long)) {
          renders++;
          const caption = renderCaption(templates!, post);
          const where = `${post.template} ${dayCount}d×${serviceCount}s`;
          if (countGraphemes(caption) > LIMITS.maxTextLength) over.push(`${where}: ${countGraphemes(caption)} graphemes:\n${caption}`);
          if (countUtf8Bytes(caption) > LIMITS.maxTextBytes!) over.push(`${where}: ${countUtf8Bytes(caption)} bytes`);
          const bytes = Buffer.byteLength(caption.normalize('NFC'));
          for (const facet of detectFacets(caption.normalize('NFC'))) {
            if (facet.index.byteStart < 0 || facet.index.byteEnd > bytes || facet.index.byteStart >= facet.index.byteEnd) over.push(`${where}: facet out of range`);
          }
          const media = renderAltTexts(templates!, post).map((alt, i) => ({ file: `card-${i}.jpg`, mime: 'image/jpeg' as const, width: 1080, height: 1350, bytes: 300_000, alt }));
          const errors = checkRenderedPost({ text: caption, media }, LIMITS, 'bluesky').filter((p) => p.severity === 'error');
          if (errors.length > 0) over.push(`${where}: ${errors.map((e) => e.message).join('; ')}`);
        }
      }
    }
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(31 * 2 * 7);
  }, 240_000);

  it('keeps what matters when there is room: counts per service, the booking channel as a link, hashtags as tags', () => {
    const office = officeOf('Asia/Pontianak', false);
    const [h1] = postsFor(5, 1, office, false);
    const caption = renderCaption(templates!, h1!);
    expect(caption).toContain('dibuka');
    expect(caption).toContain('jayapura.imigrasi.go.id');
    const features = detectFacets(caption).map((f) => f.features[0]);
    expect(features).toEqual(expect.arrayContaining([{ $type: 'app.bsky.richtext.facet#link', uri: 'https://jayapura.imigrasi.go.id' }, { $type: 'app.bsky.richtext.facet#tag', tag: 'KuotaPaspor' }]));
  });
});
