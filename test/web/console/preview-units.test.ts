/**
 * Every platform's caption count is said in its own unit, in both languages:
 * a Threads caption of 480 bytes must not read "480 characters" to staff who
 * then wonder why 300 letters do not fit.
 */
import { captionUnit, countForPlatform } from '../../../src/channels/text-length';
import { PLATFORM_NAMES } from '../../../src/config/types';
import { PREVIEW_MESSAGES } from '../../../src/web/console/preview/messages';

describe('preview: the caption count in the platform unit', () => {
  it.each(PLATFORM_NAMES)('%s has a count message in Indonesian and English', (platform) => {
    const key = `preview.count.${captionUnit(platform)}`;
    expect(PREVIEW_MESSAGES.id![key]).toEqual(expect.stringContaining('{length}/{limit}'));
    expect(PREVIEW_MESSAGES.en![key]).toEqual(expect.stringContaining('{length}/{limit}'));
  });

  it('names a unit that differs where the counts differ', () => {
    const text = 'Kuota • dibuka 🙂';
    const units = new Map(PLATFORM_NAMES.map((platform) => [platform, captionUnit(platform)]));
    // Same unit, same count: the label is never wrong about the number it shows.
    for (const a of PLATFORM_NAMES) {
      for (const b of PLATFORM_NAMES) {
        if (units.get(a) === units.get(b)) expect([a, countForPlatform(text, a)]).toEqual([a, countForPlatform(text, b)]);
      }
    }
    // 14 ASCII letters and spaces, "•" (3 bytes, 1 UTF-16 unit), "🙂" (4 bytes, 2 units).
    expect(countForPlatform(text, 'threads')).toBe(21);
    expect(countForPlatform(text, 'bluesky')).toBe(16);
    expect(countForPlatform(text, 'telegram')).toBe(17);
  });
});
