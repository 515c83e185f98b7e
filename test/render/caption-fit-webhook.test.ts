/**
 * The webhook sends the generic captions (no `*.webhook.hbs` override): every
 * shipped template, rendered for offices unlike the sample (1 and 6 services,
 * 1–31 service days, long names, WITA and WIT, a cancellation, a correction,
 * an empty week), fits the webhook's limits as `check` counts them (code
 * points, 65,536), with alt text on every card. Its calendars are its own
 * (built on post-builder.ts); what `check` runs comes from caption-fit-support.ts.
 */
import { checkRenderedPost } from '../../src/channels/check-post';
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countForPlatform } from '../../src/channels/text-length';
import { TEXT_LIMITS } from '../../src/config/schema';
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { renderAltTexts, renderCaption } from '../../src/render/caption';
import { addDays } from '../../src/time/plain-date';
import { checkErrors, loadShipped } from './caption-fit-support';
import { aDigest, aPost, aRelease, OFFICE } from './post-builder';

const long = (start: string, length: number): string => start.padEnd(length, ' Sejahtera').slice(0, length);

const services = (count: number): PostFacts['services'] =>
  Array.from({ length: count }, (_, i) => ({ id: `layanan-${i}`, name: long(`Paspor Elektronik Layanan ${i + 1}`, TEXT_LIMITS.serviceName), shortName: long(`Layanan${i + 1}`, TEXT_LIMITS.serviceShortName) }));

function release(dayCount: number, list: PostFacts['services']): ReleaseFacts {
  const days = Array.from({ length: dayCount }, (_, i) => ({ date: addDays('2027-03-01', i), quota: Object.fromEntries(list.map((s, k) => [s.id, 99_999 - i * 7 - k])) }));
  return aRelease({ id: `rilis-${dayCount}`, opensAt: '2027-02-26T06:00:00.000Z', days, removedDays: [{ date: addDays('2027-03-01', dayCount), reason: long('Cuti bersama Idulfitri', TEXT_LIMITS.closureReason), kind: 'closure' }], note: long('Pemohon lansia didahulukan', TEXT_LIMITS.note) });
}

const { templates, problems } = loadShipped();

function postsFor(dayCount: number, serviceCount: number, timezone: string): PlannedPost[] {
  const list = services(serviceCount);
  const office = { ...OFFICE, timezone, name: long('Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi', TEXT_LIMITS.officeName), shortName: long('Imigrasi', TEXT_LIMITS.officeShortName) };
  const rel = release(dayCount, list);
  const base = { channelId: 'webhook', office };
  const emptyWeek = { ...aDigest(), openings: [], days: aDigest().days.map((d) => ({ ...d, quota: null })) };
  return [
    aPost({ ...base, template: 'h-1', facts: { services: list, release: rel, timing: { kind: 'days-before', days: 1, time: '19:00' } } }),
    aPost({ ...base, template: 'h-60m', facts: { services: list, release: rel, timing: { kind: 'before-opening', minutes: 60 } } }),
    aPost({ ...base, template: 'opening', facts: { services: list, release: rel, timing: { kind: 'before-opening', minutes: 0 } } }),
    aPost({ ...base, kind: 'correction', template: 'correction', facts: { services: list, release: rel, previous: { ...rel, opensAt: '2027-02-26T02:00:00.000Z' } } }),
    aPost({ ...base, kind: 'cancellation', template: 'cancellation', facts: { services: list, release: { ...rel, status: 'cancelled', cancelReason: long('Gangguan sistem antrean', TEXT_LIMITS.cancelReason) } } }),
    aPost({ ...base, kind: 'digest', template: 'weekly', facts: { services: list, digest: aDigest() } }),
    aPost({ ...base, kind: 'digest', template: 'weekly', facts: { services: list, digest: emptyWeek } }),
  ];
}

describe('render/caption: the shipped captions fit the webhook', () => {
  it('loads the sample templates', () => expect(problems).toEqual([]));

  it.each([
    [1, 1, 'Asia/Makassar'],
    [31, 1, 'Asia/Jayapura'],
    [1, 6, 'Asia/Jayapura'],
    [31, 6, 'Asia/Makassar'],
    [14, 3, 'Asia/Pontianak'],
  ])('%i day(s) × %i service(s) in %s', (dayCount, serviceCount, timezone) => {
    const over: string[] = [];
    for (const post of postsFor(dayCount, serviceCount, timezone)) {
      const text = renderCaption(templates!, post);
      expect(text.trim()).not.toBe('');
      const errors = checkErrors({ caption: text, alts: renderAltTexts(templates!, post) }, PLATFORM_LIMITS.webhook, 'webhook', { ext: 'png', mime: 'image/png', bytes: 150_000 });
      if (errors.length > 0) over.push(`${post.template}: ${errors.join('; ')}`);
      expect(countForPlatform(text, 'webhook')).toBeLessThanOrEqual(PLATFORM_LIMITS.webhook.maxTextLength);
    }
    expect(over).toEqual([]);
  });

  it('a caption over 65,536 characters is an error, as check reports it', () => {
    const problems = checkRenderedPost({ text: 'a'.repeat(65_537), media: [] }, PLATFORM_LIMITS.webhook, 'webhook');
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/caption is 65537 characters, over the limit of 65536/) })]);
  });
});
