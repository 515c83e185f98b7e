/**
 * Every shipped caption fits a Telegram photo caption (1,024, counted in
 * UTF-16 code units: an emoji costs 2) for offices unlike the sample: 1–31
 * service days × 1–6 services, counts up to 99,999 (all equal, or all
 * different so no two days fold into one row), closed days between them,
 * names and texts at the longest the config accepts (schema.ts TEXT_LIMITS),
 * offices in WITA and WIT, a cancellation, a correction, an empty week.
 *
 * The calendars are built by caption-fit-support.ts. Lengths are counted by
 * the function `check` uses (countForPlatform), which counts the way
 * Telegram's own clients and the Bot API do (JavaScript `length`).
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countForPlatform } from '../../src/channels/text-length';
import { renderCaption } from '../../src/render/caption';
import { DAY_COUNTS, loadShipped, longestOffice, longestServices, misfits, ONE_TO_SIX, postsFor, usesOn } from './caption-fit-support';

const LIMIT = PLATFORM_LIMITS.telegram.maxTextLength;
/** The generic captions these replace reach 1,200–1,500 UTF-16 units; the cancellation fits as it is. */
const OVERRIDDEN = ['h-1', 'h-60m', 'opening', 'weekly', 'correction'] as const;
const { templates, problems } = loadShipped(usesOn(['telegram']));

describe('render/caption: every shipped template fits a Telegram caption', () => {
  it('loads the sample templates, with a Telegram caption for every shipped one that does not fit as it is', () => {
    expect(problems).toEqual([]);
    expect(templates!.platforms.get('telegram')).toBe('telegram');
    for (const name of OVERRIDDEN) expect(templates!.groups.get(name)!.channelCaptions.get('telegram')?.file).toMatch(new RegExp(`captions/${name}\\.telegram\\.hbs$`));
  });

  describe.each(['Asia/Makassar', 'Asia/Jayapura'] as const)('for an office in %s', (timezone) => {
    it('keeps every caption within 1,024 UTF-16 units for 1–31 days × 1–6 services, and `check` finds no error', () => {
      const office = longestOffice(timezone);
      const { over, renders } = misfits({
        templates: templates!,
        dayCounts: DAY_COUNTS,
        serviceCounts: ONE_TO_SIX,
        posts: (dayCount, serviceCount) => postsFor(dayCount, longestServices(serviceCount), { channelId: 'telegram', office, withFolded: true }),
        // What `check` runs for a telegram channel (alt text is still rendered: the other channels use it).
        check: { limits: PLATFORM_LIMITS.telegram, platform: 'telegram', card: { ext: 'jpg', mime: 'image/jpeg', bytes: 1000 } },
        measure: ({ caption, where }) => {
          const length = countForPlatform(caption, 'telegram');
          return length > LIMIT ? [`${where} caption ${length}:\n${caption}`] : [];
        },
      });
      expect(over.slice(0, 3)).toEqual([]);
      expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
    }, 240_000); // seconds on a quiet machine; generous so a CPU hog cannot fail it
  });

  it('keeps what matters when it must shorten: the opening time and the warning against brokers', () => {
    const [, h1] = postsFor(31, longestServices(6), { channelId: 'telegram', office: longestOffice('Asia/Jayapura'), withFolded: true });
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
