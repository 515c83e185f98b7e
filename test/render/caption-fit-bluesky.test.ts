/**
 * Every shipped caption fits Bluesky as Bluesky counts it (300 graphemes and
 * 3,000 UTF-8 bytes) for offices unlike the sample: 1 and 6 services, 1–31
 * service days with different counts and closed days, names and texts at the
 * longest the config accepts, WIT and WITA, a cancellation, a correction, an
 * empty week. 300 graphemes is tight: the card carries the table, the caption
 * says what and when. Each caption's facets (links, hashtags) must be valid
 * byte ranges of it, and what `check` runs must find no error. The calendars
 * are built by caption-fit-support.ts.
 */
import fs from 'node:fs';
import { detectFacets } from '../../src/channels/bluesky/facets';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countGraphemes, countUtf8Bytes } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PostFacts } from '../../src/plan/types';
import { renderCaption } from '../../src/render/caption';
import type { Calendar, ReleaseShape } from './caption-fit-support';
import { ALL_DAY_COUNTS, loadShipped, longestOffice, longestServices, misfits, postsFor, textOf, usesOn, WORST_RELEASE } from './caption-fit-support';
import { SAMPLE_TEMPLATES, SAMPLE_USES } from './template-dir';

const LIMITS = PLATFORM_LIMITS.bluesky;
const { templates, problems } = loadShipped(usesOn(['bsky'], { bsky: 'bluesky' }));

/** Every release: all counts different, a closed day after every third, a short note. */
const RELEASE: ReleaseShape = { ...WORST_RELEASE, note: textOf('Pemohon lansia didahulukan', TEXT_LIMITS.note) };

/** An office in Jayapura in `timezone`, with names and texts at their longest or short as most are. */
function calendarIn(timezone: string, long: boolean): Calendar {
  const office: PostFacts['office'] = long
    ? longestOffice(timezone, { id: 'kanim-jauh', place: 'Jayapura' })
    : {
        id: 'kanim-jauh',
        name: 'Kantor Imigrasi Jayapura',
        shortName: 'Kanim Jayapura',
        timezone,
        locale: 'id-ID',
        info: { bookingChannel: 'aplikasi M-Paspor', website: 'jayapura.imigrasi.go.id', hashtags: ['KuotaPaspor', 'ImigrasiJayapura'] },
      };
  return { channelId: 'bsky', office, release: RELEASE, digest: { openingsFrom: 5, emptyWeekHasOpenings: false, opening: RELEASE, next: RELEASE } };
}

function servicesOf(count: number, long: boolean): PostFacts['services'] {
  return long ? longestServices(count) : Array.from({ length: count }, (_, i) => ({ id: `layanan-${i}`, name: `Paspor ${i + 1}`, shortName: `P${i + 1}` }));
}

describe('render/caption: every shipped caption fits Bluesky (300 graphemes, 3,000 bytes)', () => {
  it('loads the Bluesky overrides for every shipped caption', () => {
    expect(problems).toEqual([]);
    // Each caption has its own .bluesky.hbs: the Instagram-length default would never fit.
    for (const { name } of SAMPLE_USES) expect(fs.existsSync(`${SAMPLE_TEMPLATES}/captions/${name}.bluesky.hbs`)).toBe(true);
  });

  it.each([
    ['Asia/Jayapura (WIT), longest names', 'Asia/Jayapura', true],
    ['Asia/Makassar (WITA), short names', 'Asia/Makassar', false],
  ])('fits for 1–31 days × 1 and 6 services: %s', (_label, zone, long) => {
    const calendar = calendarIn(zone, long);
    const { over, renders } = misfits({
      templates: templates!,
      dayCounts: ALL_DAY_COUNTS,
      serviceCounts: [1, 6],
      posts: (dayCount, serviceCount) => postsFor(dayCount, servicesOf(serviceCount, long), calendar),
      check: { limits: LIMITS, platform: 'bluesky', card: { ext: 'jpg', mime: 'image/jpeg', bytes: 300_000 } },
      measure: ({ caption, where }) => {
        const over: string[] = [];
        if (countGraphemes(caption) > LIMITS.maxTextLength) over.push(`${where}: ${countGraphemes(caption)} graphemes:\n${caption}`);
        if (countUtf8Bytes(caption) > LIMITS.maxTextBytes!) over.push(`${where}: ${countUtf8Bytes(caption)} bytes`);
        const bytes = Buffer.byteLength(caption.normalize('NFC'));
        for (const facet of detectFacets(caption.normalize('NFC'))) {
          if (facet.index.byteStart < 0 || facet.index.byteEnd > bytes || facet.index.byteStart >= facet.index.byteEnd) over.push(`${where}: facet out of range`);
        }
        return over;
      },
    });
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(31 * 2 * 7);
  }, 240_000);

  it('keeps what matters when there is room: counts per service, the booking channel as a link, hashtags as tags', () => {
    const [h1] = postsFor(5, servicesOf(1, false), calendarIn('Asia/Pontianak', false));
    const caption = renderCaption(templates!, h1!);
    expect(caption).toContain('dibuka');
    expect(caption).toContain('jayapura.imigrasi.go.id');
    const features = detectFacets(caption).map((f) => f.features[0]);
    expect(features).toEqual(expect.arrayContaining([{ $type: 'app.bsky.richtext.facet#link', uri: 'https://jayapura.imigrasi.go.id' }, { $type: 'app.bsky.richtext.facet#tag', tag: 'KuotaPaspor' }]));
  });
});
