/**
 * Shared machinery of the caption-fit tests (caption-fit*.test.ts): offices
 * unlike the sample (names and texts at the longest the config accepts,
 * schema.ts TEXT_LIMITS), calendars of 1–31 service days × 1–6 services with
 * counts up to 99,999 and closed days between them, every shipped template
 * planned for one channel (announcements, a correction, a cancellation, a
 * full and an empty week), and a loop that renders them all and collects what
 * does not fit. What each platform counts and asserts stays in its test file.
 */
import type { ChannelLimits } from '../../src/channels/channel';
import { checkRenderedPost } from '../../src/channels/check-post';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlatformName } from '../../src/config/types';
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import type { TemplateUse } from '../../src/render/templates';
import { loadTemplates } from '../../src/render/templates';
import type { TemplateSet } from '../../src/render/types';
import { addDays } from '../../src/time/plain-date';
import { SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';

type Office = PostFacts['office'];
type Services = PostFacts['services'];
type Digest = NonNullable<PostFacts['digest']>;

/** 1–31, or the comma-separated FIT_DAYS for a quick local run. */
export const DAY_COUNTS: readonly number[] = process.env.FIT_DAYS ? process.env.FIT_DAYS.split(',').map(Number) : Array.from({ length: 31 }, (_, i) => i + 1);
/** 1–31 always (the tests that never honoured FIT_DAYS). */
export const ALL_DAY_COUNTS: readonly number[] = Array.from({ length: 31 }, (_, i) => i + 1);
export const ONE_TO_SIX: readonly number[] = [1, 2, 3, 4, 5, 6];

/** Text of exactly `length` characters that reads like the real thing (words, spaces). */
export function textOf(start: string, length: number): string {
  let text = start;
  while (text.length < length) text += ' Sejahtera';
  return text.slice(0, length).trimEnd().padEnd(length, 'a');
}

export const LONG_REASON = textOf('Cuti bersama Hari Raya Idulfitri 1448 Hijriah', TEXT_LIMITS.closureReason);
export const LONG_NOTE = textOf('Pemohon lansia, ibu hamil dan penyandang disabilitas didahulukan', TEXT_LIMITS.note);

/** An office of `place` in `timezone` with every name, text and hashtag at its longest. */
export function longestOffice(timezone: string, options: { id?: string; place?: string } = {}): Office {
  const place = options.place ?? 'Balikpapan';
  return {
    id: options.id ?? 'kanim-panjang',
    name: textOf(`Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi ${place}`, TEXT_LIMITS.officeName),
    shortName: textOf(`Imigrasi ${place}`, TEXT_LIMITS.officeShortName),
    timezone,
    locale: 'id-ID',
    info: {
      bookingChannel: textOf('aplikasi M-Paspor (unduh di Play Store atau App Store)', TEXT_LIMITS.bookingChannel),
      website: textOf(`${place.toLowerCase()}.imigrasi.go.id`, TEXT_LIMITS.website).replace(/ /g, '-'),
      hashtags: Array.from({ length: TEXT_LIMITS.hashtags }, (_, i) => `KuotaPaspor${place}${i}`.padEnd(TEXT_LIMITS.hashtag, 'X')),
    },
  };
}

/** `count` services with names at their longest. */
export function longestServices(count: number): Services {
  return Array.from({ length: count }, (_, i) => ({
    id: `layanan-${i}`,
    name: textOf(`Paspor Elektronik Layanan ${i + 1}`, TEXT_LIMITS.serviceName),
    shortName: textOf(`Layanan${i + 1}`, TEXT_LIMITS.serviceShortName),
  }));
}

/** How a release's days are filled: counts all 99,999 or all different; a closed day after every `closedEvery` service days. */
export interface ReleaseShape {
  distinct: boolean;
  closedEvery: number | null;
  note?: string;
}

/** All counts different, a closed day after every third service day. */
export const WORST_RELEASE: ReleaseShape = { distinct: true, closedEvery: 3 };
/** All counts 99,999: the days fold into few rows. */
export const FOLDED_RELEASE: ReleaseShape = { distinct: false, closedEvery: null };

/**
 * `dayCount` service days from 2027-03-01 (every day a service day: an office
 * may serve on weekends), shaped by `shape`.
 */
export function releaseOf(dayCount: number, services: Services, shape: ReleaseShape, opensAt = '2027-02-26T06:00:00.000Z'): ReleaseFacts {
  const days: ReleaseFacts['days'] = [];
  const removedDays: ReleaseFacts['removedDays'] = [];
  let date = '2027-03-01';
  while (days.length < dayCount) {
    if (shape.closedEvery !== null && days.length > 0 && days.length % shape.closedEvery === 0 && removedDays.length < days.length / shape.closedEvery) {
      removedDays.push({ date, reason: LONG_REASON, kind: 'closure' });
    } else {
      const index = days.length;
      days.push({ date, quota: Object.fromEntries(services.map((s, i) => [s.id, shape.distinct ? 99_999 - index * 7 - i : 99_999])) });
    }
    date = addDays(date, 1);
  }
  return { id: `rilis-${dayCount}`, opensAt, closesAt: '2027-02-27T15:30:00.000Z', status: 'open', days, removedDays, note: shape.note ?? LONG_NOTE };
}

/** What a week's digest lists besides its days. */
export interface DigestShape {
  /** Openings are listed only in a digest of at least this many days. */
  openingsFrom: number;
  /** An empty week (no quota) still lists the openings and the next opening. */
  emptyWeekHasOpenings: boolean;
  opening: ReleaseShape;
  next: ReleaseShape;
}

/** caption-fit.test.ts's digest: openings from 5 days on, even in an empty week, and the next opening. */
export const FULL_DIGEST: DigestShape = { openingsFrom: 5, emptyWeekHasOpenings: true, opening: { distinct: true, closedEvery: null }, next: { distinct: true, closedEvery: 4 } };

/** A digest of `dayCount` days (1–31) from Monday 2027-03-01: with quota, every day's counts different and every fifth closed; without, an empty week. */
export function digestOf(dayCount: number, services: Services, withQuota: boolean, shape: DigestShape = FULL_DIGEST): Digest {
  const days: Digest['days'] = [];
  for (let i = 0; i < dayCount; i++) {
    const date = addDays('2027-03-01', i);
    if (withQuota && i % 5 === 4) days.push({ date, quota: null, closedReason: LONG_REASON, weekend: false });
    else days.push({ date, quota: withQuota ? Object.fromEntries(services.map((s, k) => [s.id, 99_999 - i * 7 - k])) : null, weekend: false });
  }
  const listsOpenings = withQuota || shape.emptyWeekHasOpenings;
  const openings = Array.from({ length: Math.ceil(dayCount / 7) }, (_, w) => ({
    ...releaseOf(5, services, shape.opening, `${addDays('2027-03-05', 7 * w)}T06:00:00.000Z`),
    id: `mingguan-${w}`,
    ...(w % 2 === 1 ? { status: 'cancelled' as const, cancelReason: textOf('Pemeliharaan sistem antrean nasional', TEXT_LIMITS.cancelReason) } : {}),
  }));
  return {
    from: '2027-03-01',
    to: addDays('2027-03-01', dayCount - 1),
    days,
    openings: listsOpenings && dayCount >= shape.openingsFrom ? openings : [],
    ...(listsOpenings ? { nextOpening: releaseOf(20, services, shape.next, '2027-04-02T06:00:00.000Z') } : {}),
  };
}

const KIND_OF: Record<string, PlannedPost['kind']> = { weekly: 'digest', correction: 'correction', cancellation: 'cancellation' };

/** A planned post of `template` for `channelId`, due at `dueAt`. */
export function postOf(template: string, channelId: string, office: Office, facts: Partial<PostFacts> & Pick<PostFacts, 'services'>, dueAt: string): PlannedPost {
  return {
    id: `fit-${template}`,
    officeId: office.id,
    ruleId: template,
    channelId,
    kind: KIND_OF[template] ?? 'announcement',
    releaseId: facts.release?.id ?? null,
    subject: 'fit',
    template,
    dueAt: new Date(dueAt),
    deadline: null,
    fingerprint: 'fit',
    facts: { office, ...facts },
  } as PlannedPost;
}

export interface Calendar {
  channelId: string;
  office: Office;
  /** Also an h-1 of a release whose counts are all equal (folded rows), first. */
  withFolded?: boolean;
  release?: ReleaseShape;
  digest?: DigestShape;
}

/**
 * Every shipped template planned for one calendar shape: [the folded h-1],
 * h-1, h-60m, opening, correction, cancellation, a full week and an empty
 * week (at most 7 days).
 */
export function postsFor(dayCount: number, services: Services, calendar: Calendar): PlannedPost[] {
  const { channelId, office } = calendar;
  const post = (template: string, facts: Partial<PostFacts> & Pick<PostFacts, 'services'>, dueAt: string) => postOf(template, channelId, office, facts, dueAt);
  const dayBefore = { kind: 'days-before', days: 1, time: '19:00' } as const;
  const release = releaseOf(dayCount, services, { ...WORST_RELEASE, ...calendar.release });
  const announcement = { services, release, timing: { kind: 'before-opening' as const, minutes: 60 } };
  const previous = { ...release, opensAt: '2027-02-26T02:00:00.000Z', days: release.days.map((d) => ({ ...d, quota: Object.fromEntries(Object.entries(d.quota).map(([k, v]) => [k, v - 1])) })) };
  const cancelled = { ...release, status: 'cancelled' as const, cancelReason: textOf('Gangguan sistem antrean nasional', TEXT_LIMITS.cancelReason) };
  return [
    ...(calendar.withFolded ? [post('h-1', { services, release: releaseOf(dayCount, services, FOLDED_RELEASE), timing: dayBefore }, '2027-02-25T11:00:00.000Z')] : []),
    post('h-1', { ...announcement, timing: dayBefore }, '2027-02-25T11:00:00.000Z'),
    post('h-60m', announcement, '2027-02-26T05:00:00.000Z'),
    post('opening', { ...announcement, timing: { kind: 'before-opening', minutes: 0 } }, '2027-02-26T06:00:00.000Z'),
    post('correction', { services, release, previous }, '2027-02-25T12:00:00.000Z'),
    post('cancellation', { services, release: cancelled }, '2027-02-25T12:00:00.000Z'),
    post('weekly', { services, digest: digestOf(dayCount, services, true, calendar.digest) }, '2027-02-28T10:00:00.000Z'),
    post('weekly', { services, digest: digestOf(Math.min(dayCount, 7), services, false, calendar.digest) }, '2027-02-28T10:00:00.000Z'),
  ];
}

/** The sample's uses of every shipped template, posted to `channelIds` (with `platforms` when not named after theirs). */
export function usesOn(channelIds: string[], platforms?: TemplateUse['platforms']): TemplateUse[] {
  return SAMPLE_USES.map((use) => ({ ...use, channelIds, ...(platforms ? { platforms } : {}) }));
}

/** The shipped templates (templates/), loaded for `uses`. */
export function loadShipped(uses: TemplateUse[] = SAMPLE_USES): ReturnType<typeof loadTemplates> {
  return loadTemplates(SAMPLE_TEMPLATES, uses);
}

/** One rendered post: its caption and alt texts, and where it came from for a message. */
export interface Rendered {
  post: PlannedPost;
  caption: string;
  alts: string[];
  where: string;
}

/** The cards `check` is given: one per alt text. */
export interface CardShape {
  ext: 'png' | 'jpg';
  mime: ChannelLimits['preferredMime'];
  bytes: number;
}

/** Errors (not warnings) that what `check` runs finds for a rendered caption and its cards. */
export function checkErrors(rendered: Pick<Rendered, 'caption' | 'alts'>, limits: ChannelLimits, platform: PlatformName, card: CardShape): string[] {
  const media = rendered.alts.map((alt, i) => ({ file: `card-${i}.${card.ext}`, mime: card.mime, width: 1080, height: 1350, bytes: card.bytes, alt }));
  return checkRenderedPost({ text: rendered.caption, media }, limits, platform)
    .filter((p) => p.severity === 'error')
    .map((e) => e.message);
}

export interface FitRun {
  templates: TemplateSet;
  dayCounts: readonly number[];
  serviceCounts: readonly number[];
  posts: (dayCount: number, serviceCount: number) => PlannedPost[];
  /** What `check` runs for the channel. */
  check: { limits: ChannelLimits; platform: PlatformName; card: CardShape };
  /** The platform's own measures: a message for each thing over its limit. */
  measure?: (rendered: Rendered) => string[];
}

/** Renders every post of every calendar; what does not fit (measure, then `check`), and how many posts were rendered. */
export function misfits(run: FitRun): { over: string[]; renders: number } {
  const over: string[] = [];
  let renders = 0;
  for (const dayCount of run.dayCounts) {
    for (const serviceCount of run.serviceCounts) {
      for (const post of run.posts(dayCount, serviceCount)) {
        renders++;
        const rendered = { post, caption: renderCaption(run.templates, post), alts: renderAltTexts(run.templates, post), where: `${post.template} ${dayCount}d×${serviceCount}s` };
        over.push(...(run.measure?.(rendered) ?? []));
        const errors = checkErrors(rendered, run.check.limits, run.check.platform, run.check.card);
        if (errors.length > 0) over.push(`${rendered.where}: ${errors.join('; ')}`);
      }
    }
  }
  return { over, renders };
}
