/**
 * Every shipped caption and alt text fits a Facebook Page post, for offices
 * unlike the sample: 1 and 6 services (and every count between), 1–31 service
 * days with closed days between, names and texts at the longest the config
 * accepts (schema.ts TEXT_LIMITS), offices in WITA and WIT, a correction, a
 * cancellation, a week with quota and an empty week. Facebook has no
 * `.facebook.hbs` overrides: the generic (Instagram-style) captions fit its
 * 63,206 code points with room to spare, so Facebook gets them in FULL detail
 * (compact level 0) where Instagram's 2,200 must shorten them. Counted as
 * `check` counts for Facebook (code points, text-length.ts). The calendars
 * are built by caption-fit-support.ts.
 */
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countForPlatform } from '../../src/channels/text-length';
import { renderCaption } from '../../src/render/caption';
import type { Calendar, DigestShape } from './caption-fit-support';
import { ALL_DAY_COUNTS, loadShipped, longestOffice, longestServices, misfits, ONE_TO_SIX, postsFor, usesOn, WORST_RELEASE } from './caption-fit-support';

const LIMITS = PLATFORM_LIMITS.facebook;
// One facebook channel and one instagram channel, each named after its platform.
const { templates, problems } = loadShipped(usesOn(['facebook', 'instagram']));
/** A week lists its openings (however short) and the next opening; an empty week lists none. */
const DIGEST: DigestShape = { openingsFrom: 1, emptyWeekHasOpenings: false, opening: WORST_RELEASE, next: WORST_RELEASE };

function calendarIn(timezone: 'Asia/Makassar' | 'Asia/Jayapura'): Calendar {
  return { channelId: 'facebook', office: longestOffice(timezone, { id: timezone === 'Asia/Makassar' ? 'kanim-balikpapan' : 'kanim-jayapura' }), digest: DIGEST };
}

describe('render/caption: every shipped template fits a Facebook Page post', () => {
  it('loads the sample templates', () => {
    expect(problems).toEqual([]);
  });

  it.each(['Asia/Makassar', 'Asia/Jayapura'] as const)('keeps every caption and alt text within Facebook limits for 1–31 days × 1–6 services (%s)', (timezone) => {
    const calendar = calendarIn(timezone);
    const { over, renders } = misfits({
      templates: templates!,
      dayCounts: ALL_DAY_COUNTS,
      serviceCounts: ONE_TO_SIX,
      posts: (dayCount, serviceCount) => postsFor(dayCount, longestServices(serviceCount), calendar),
      // What `check` runs for a facebook channel.
      check: { limits: LIMITS, platform: 'facebook', card: { ext: 'jpg', mime: LIMITS.preferredMime, bytes: 300_000 } },
      measure: ({ alts, where }) => (alts.length > LIMITS.maxImages ? [`${where}: ${alts.length} cards`] : []),
    });
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(31 * 6 * 7);
  }, 240_000);

  it('gives Facebook the full caption where Instagram must shorten it: every row with its counts, the booking line, every hashtag', () => {
    const calendar = calendarIn('Asia/Makassar');
    const [h1] = postsFor(31, longestServices(6), calendar);
    const facebook = renderCaption(templates!, h1!);
    const instagram = renderCaption(templates!, { ...h1!, channelId: 'instagram' });
    expect(countForPlatform(instagram, 'instagram')).toBeLessThanOrEqual(2200);
    expect(countForPlatform(facebook, 'facebook')).toBeGreaterThan(2200);
    expect(countForPlatform(facebook, 'facebook')).toBeLessThanOrEqual(LIMITS.maxTextLength);
    expect(facebook).toContain('Total: ');
    expect(facebook).not.toContain('Rincian kuota per tanggal ada di gambar.');
    expect(facebook).toContain('• Senin, 1 Maret 2027: ');
    expect(facebook).toContain(`Daftar hanya melalui ${calendar.office.info.bookingChannel}`);
    for (const tag of calendar.office.info.hashtags ?? []) expect(facebook).toContain(`#${tag}`);
    expect(instagram).toContain('Rincian kuota per tanggal ada di gambar.');
  });
});
