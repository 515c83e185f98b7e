/**
 * Every shipped caption and alt text fits every platform for every valid
 * calendar: 1–31 service days × 1–6 services, counts up to 99,999 (all equal,
 * or all different so no two days fold into one row), closed days between
 * them, names and texts at the longest the config accepts (schema.ts
 * TEXT_LIMITS), an office in WITA. Exhaustive over days × services rather than
 * sampled: 186 calendars × 6 templates (8 posts) × 2 platforms, each with its alt text.
 *
 * Lengths are counted the way each platform counts (X: weighted, NFC) by the
 * same functions `check` uses. The calendars are built by caption-fit-support.ts.
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countCodePoints, countForPlatform } from '../../src/channels/text-length';
import { renderCaption } from '../../src/render/caption';
import { DAY_COUNTS, FOLDED_RELEASE, loadShipped, longestOffice, longestServices, misfits, ONE_TO_SIX, postOf, postsFor, releaseOf, WORST_RELEASE } from './caption-fit-support';

const OFFICE = longestOffice('Asia/Makassar');
const { templates, problems } = loadShipped();
const dayBefore = { kind: 'days-before', days: 1, time: '19:00' } as const;

describe('render/caption: every shipped template fits every valid calendar', () => {
  it('loads the sample templates', () => {
    expect(problems).toEqual([]);
  });

  describe.each(['instagram', 'x'] as const)('on %s', (platform) => {
    it('keeps every caption and alt text within the platform limits for 1–31 days × 1–6 services', () => {
      const { over, renders } = misfits({
        templates: templates!,
        dayCounts: DAY_COUNTS,
        serviceCounts: ONE_TO_SIX,
        posts: (dayCount, serviceCount) => postsFor(dayCount, longestServices(serviceCount), { channelId: platform, office: OFFICE, withFolded: true }),
        check: { limits: PLATFORM_LIMITS[platform], platform, card: { ext: 'png', mime: PLATFORM_LIMITS[platform].preferredMime, bytes: 1000 } },
        measure: ({ caption, alts, where }) => {
          const captionLength = countForPlatform(caption, platform);
          return [
            ...(captionLength > PLATFORM_LIMITS[platform].maxTextLength ? [`${where} caption ${captionLength}:\n${caption}`] : []),
            ...alts.filter((alt) => countCodePoints(alt) > 1000).map((alt) => `${where} alt ${countCodePoints(alt)}:\n${alt}`),
          ];
        },
      });
      expect(over.slice(0, 3)).toEqual([]);
      expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
    }, 240_000); // ~20 s on a loaded 2-core machine; generous so a CPU hog cannot fail it
  });

  it('shortens only as far as it must: a weekly two-service release keeps every row and count', () => {
    const services = longestServices(2);
    const post = postOf('h-1', 'x', OFFICE, { services, release: releaseOf(5, services, FOLDED_RELEASE), timing: dayBefore }, '2027-02-25T11:00:00.000Z');
    const ig = renderCaption(templates!, { ...post, channelId: 'instagram' });
    expect(ig).toContain(`• Senin–Jumat, 1–5 Maret 2027: ${services[0]!.shortName} 99.999 dan ${services[1]!.shortName} 99.999 per hari`);
    expect(ig).not.toContain('Rincian kuota per tanggal ada di gambar.');
  });

  it('drops per-row detail for a monthly release with four services and a long booking text, which it did not fit before', () => {
    const services = longestServices(4);
    const release = releaseOf(21, services, { ...WORST_RELEASE, closedEvery: 5 });
    const post = postOf('h-1', 'instagram', OFFICE, { services, release, timing: dayBefore }, '2027-02-25T11:00:00.000Z');
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
