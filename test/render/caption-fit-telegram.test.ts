/**
 * Every shipped caption fits a Telegram photo caption (1,024, counted in
 * UTF-16 code units: an emoji costs 2) for offices unlike the sample: 1–31
 * service days × 1–6 services, counts up to 99,999 (all equal, or all
 * different so no two days fold into one row), closed days between them,
 * names and texts at the longest the config accepts (schema.ts TEXT_LIMITS),
 * offices in WITA and WIT, a cancellation, a correction, an empty week.
 *
 * The calendars mirror test/render/caption-fit.test.ts (a test file, so its
 * builders cannot be imported without running its tests here too). Lengths
 * are counted by the function `check` uses (countForPlatform), which counts
 * the way Telegram's own clients and the Bot API do (JavaScript `length`).
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

const LIMIT = PLATFORM_LIMITS.telegram.maxTextLength;

/** Text of exactly `length` characters that reads like the real thing (words, spaces). */
function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

function officeIn(timezone: 'Asia/Makassar' | 'Asia/Jayapura'): PostFacts['office'] {
  return {
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

/** `dayCount` service days from 2027-03-01; with `closedEvery`, a closed day after every that many. */
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

function postOf(template: string, office: PostFacts['office'], facts: Partial<PostFacts> & Pick<PostFacts, 'services'>, dueAt: string): PlannedPost {
  const kind = template === 'weekly' ? 'digest' : template === 'correction' ? 'correction' : template === 'cancellation' ? 'cancellation' : 'announcement';
  return {
    id: `fit-${template}`,
    officeId: office.id,
    ruleId: template,
    channelId: 'telegram',
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

/** A digest of `dayCount` days from Monday 2027-03-01; `withQuota: false` is an empty week. */
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

/** Every post of one calendar shape: 8 posts over the 6 shipped templates. */
function postsFor(dayCount: number, serviceCount: number, office: PostFacts['office']): PlannedPost[] {
  const services = servicesOf(serviceCount);
  const folded = releaseOf(dayCount, services, { distinct: false, closedEvery: null });
  const release = releaseOf(dayCount, services, { distinct: true, closedEvery: 3 });
  const announcement = { services, release, timing: { kind: 'before-opening' as const, minutes: 60 } };
  const previous = { ...release, opensAt: '2027-02-26T02:00:00.000Z', days: release.days.map((d) => ({ ...d, quota: Object.fromEntries(Object.entries(d.quota).map(([k, v]) => [k, v - 1])) })) };
  return [
    postOf('h-1', office, { services, release: folded, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z'),
    postOf('h-1', office, { ...announcement, timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z'),
    postOf('h-60m', office, announcement, '2027-02-26T05:00:00.000Z'),
    postOf('opening', office, { ...announcement, timing: { kind: 'before-opening', minutes: 0 } }, '2027-02-26T06:00:00.000Z'),
    postOf('correction', office, { services, release, previous }, '2027-02-25T12:00:00.000Z'),
    postOf('cancellation', office, { services, release: { ...release, status: 'cancelled', cancelReason: textOf('Gangguan sistem antrean nasional', TEXT_LIMITS.cancelReason) } }, '2027-02-25T12:00:00.000Z'),
    postOf('weekly', office, { services, digest: digestOf(dayCount, services, true) }, '2027-02-28T10:00:00.000Z'),
    postOf('weekly', office, { services, digest: digestOf(Math.min(dayCount, 7), services, false) }, '2027-02-28T10:00:00.000Z'),
  ];
}

const TEMPLATE_NAMES = ['h-1', 'h-60m', 'opening', 'weekly', 'correction', 'cancellation'] as const;
/** The generic captions these replace reach 1,200–1,500 UTF-16 units; the cancellation fits as it is. */
const OVERRIDDEN = ['h-1', 'h-60m', 'opening', 'weekly', 'correction'] as const;
const USES = TEMPLATE_NAMES.map((name) => ({
  name,
  kind: name === 'weekly' ? ('digest' as const) : name === 'correction' ? ('correction' as const) : name === 'cancellation' ? ('cancellation' as const) : ('announcement' as const),
  channelIds: ['telegram'],
}));
const DAY_COUNTS = process.env.FIT_DAYS ? process.env.FIT_DAYS.split(',').map(Number) : Array.from({ length: 31 }, (_, i) => i + 1);
const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, USES);

describe('render/caption: every shipped template fits a Telegram caption', () => {
  it('loads the sample templates, with a Telegram caption for every shipped one that does not fit as it is', () => {
    expect(problems).toEqual([]);
    expect(templates!.platforms.get('telegram')).toBe('telegram');
    for (const name of OVERRIDDEN) expect(templates!.groups.get(name)!.channelCaptions.get('telegram')?.file).toMatch(new RegExp(`captions/${name}\\.telegram\\.hbs$`));
  });

  describe.each(['Asia/Makassar', 'Asia/Jayapura'] as const)('for an office in %s', (timezone) => {
    it('keeps every caption within 1,024 UTF-16 units for 1–31 days × 1–6 services, and `check` finds no error', () => {
      const office = officeIn(timezone);
      const over: string[] = [];
      let renders = 0;
      for (const dayCount of DAY_COUNTS) {
        for (let serviceCount = 1; serviceCount <= 6; serviceCount++) {
          for (const post of postsFor(dayCount, serviceCount, office)) {
            renders++;
            const caption = renderCaption(templates!, post);
            const length = countForPlatform(caption, 'telegram');
            if (length > LIMIT) over.push(`${post.template} ${dayCount}d×${serviceCount}s caption ${length}:\n${caption}`);
            // What `check` runs for a telegram channel (alt text is still rendered: the other channels use it).
            const media = renderAltTexts(templates!, post).map((alt, i) => ({ file: `card-${i}.jpg`, mime: 'image/jpeg' as const, width: 1080, height: 1350, bytes: 1000, alt }));
            const errors = checkRenderedPost({ text: caption, media }, PLATFORM_LIMITS.telegram, 'telegram').filter((p) => p.severity === 'error');
            if (errors.length > 0) over.push(`${post.template} ${dayCount}d×${serviceCount}s: ${errors.map((e) => e.message).join('; ')}`);
          }
        }
      }
      expect(over.slice(0, 3)).toEqual([]);
      expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
    }, 240_000); // seconds on a quiet machine; generous so a CPU hog cannot fail it
  });

  it('keeps what matters when it must shorten: the opening time and the warning against brokers', () => {
    const office = officeIn('Asia/Jayapura');
    const [, h1] = postsFor(31, 6, office);
    const caption = renderCaption(templates!, h1!);
    expect(countForPlatform(caption, 'telegram')).toBeLessThanOrEqual(LIMIT);
    expect(caption).toContain('pukul 15.00 WIT');
    expect(caption).toMatch(/GRATIS/);
  });

  it('counts an emoji as 2, as the limit is counted: a caption of 1,023 letters and one emoji is over', () => {
    const problemsOf = (text: string) => checkRenderedPost({ text, media: [] }, PLATFORM_LIMITS.telegram, 'telegram').filter((p) => p.severity === 'error');
    expect(problemsOf(`${'a'.repeat(1022)}📢`)).toEqual([]);
    expect(problemsOf(`${'a'.repeat(1023)}📢`)).toEqual([expect.objectContaining({ message: expect.stringMatching(/caption is 1025 UTF-16 units .*over the limit of 1024/) })]);
  });
});
