/**
 * Every shipped caption fits Threads: 500 UTF-8 bytes ("Emojis are counted as
 * the number of UTF-8 bytes"), where `•` and `–` take 3 bytes and an emoji 4
 * or more. Rendered for offices unlike the sample: 1–31 service days × 1–6
 * services (counts up to 99,999, all different, closed days between), names,
 * booking text, reasons and hashtags at the longest the config accepts, in
 * WITA and WIT, with a cancellation, a correction and an empty week; each
 * caption counted as Threads counts it and run through what `check` runs. The
 * alt texts fit the 1,000 characters the driver sends. The calendars are
 * built by caption-fit-support.ts.
 */
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countCodePoints, countForPlatform } from '../../src/channels/text-length';
import type { PostFacts } from '../../src/plan/types';
import { renderCaption } from '../../src/render/caption';
import { DAY_COUNTS, FOLDED_RELEASE, loadShipped, longestOffice, longestServices, misfits, ONE_TO_SIX, postOf, postsFor, releaseOf } from './caption-fit-support';
import { SAMPLE_USES } from './template-dir';

// The sample's uses, each also posted to a channel `threads` (taken to be platform threads).
const USES = SAMPLE_USES.map((use) => ({ ...use, channelIds: [...use.channelIds, 'threads'] }));
const { templates, problems } = loadShipped(USES);
const LIMITS = PLATFORM_LIMITS.threads;

/** Every caption over 500 bytes, alt text over the limit, or `check` error, for `dayCounts` × 1–6 services. */
function overTheLimit(office: PostFacts['office'], dayCounts: readonly number[]) {
  return misfits({
    templates: templates!,
    dayCounts,
    serviceCounts: ONE_TO_SIX,
    posts: (dayCount, serviceCount) => postsFor(dayCount, longestServices(serviceCount), { channelId: 'threads', office, withFolded: true }),
    check: { limits: LIMITS, platform: 'threads', card: { ext: 'jpg', mime: LIMITS.preferredMime, bytes: 1000 } },
    measure: ({ caption, alts, where }) => {
      const bytes = countForPlatform(caption, 'threads');
      return [
        ...(bytes > LIMITS.maxTextLength ? [`${where} caption ${bytes} bytes:\n${caption}`] : []),
        ...alts.filter((alt) => countCodePoints(alt) > LIMITS.maxAltTextLength!).map((alt) => `${where} alt ${countCodePoints(alt)}`),
      ];
    },
  });
}

describe('render/caption: every shipped template fits Threads (500 UTF-8 bytes)', () => {
  it('loads the sample templates with a caption override for threads for every name', () => {
    expect(problems).toEqual([]);
    for (const use of USES) expect(templates!.groups.get(use.name)!.channelCaptions.get('threads')?.file).toMatch(new RegExp(`${use.name}\\.threads\\.hbs$`));
  });

  it('counts as Threads does: bullets, dashes and emoji by their UTF-8 bytes', () => {
    expect(countForPlatform('• – 🟢 🗓️', 'threads')).toBe(3 + 1 + 3 + 1 + 4 + 1 + 7);
  });

  it('keeps every caption and alt text within the limits for 1–31 days × 1–6 services, in WITA', () => {
    const { over, renders } = overTheLimit(longestOffice('Asia/Makassar'), DAY_COUNTS);
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
  }, 240_000);

  it('and in WIT (Asia/Jayapura)', () => {
    const { over } = overTheLimit(longestOffice('Asia/Jayapura'), [1, 5, 7, 14, 31]);
    expect(over.slice(0, 3)).toEqual([]);
  }, 120_000);

  it('shortens only as far as it must: an ordinary office keeps the counts per service and the booking line', () => {
    const office = {
      ...longestOffice('Asia/Pontianak'),
      name: 'Kantor Imigrasi Kelas I TPI Pontianak',
      shortName: 'Imigrasi Pontianak',
      info: { bookingChannel: 'aplikasi M-Paspor', website: 'pontianak.imigrasi.go.id', hashtags: ['ImigrasiPontianak', 'MPaspor'] },
    };
    const services = [
      { id: 'regular', name: 'Paspor Reguler', shortName: 'Reguler' },
      { id: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan' },
    ];
    const post = postOf('h-1', 'threads', office, { services, release: releaseOf(5, services, FOLDED_RELEASE), timing: { kind: 'days-before', days: 1, time: '19:00' } }, '2027-02-25T11:00:00.000Z');
    expect(renderCaption(templates!, post)).toBe(
      [
        '📢 Kuota antrean paspor Imigrasi Pontianak dibuka besok, Jum, 26 Feb, pukul 13.00 WIB.',
        'Layanan 1–5 Mar 2027: 499.995 Reguler dan 499.995 Percepatan. Rincian per tanggal ada di gambar.',
        'Siapkan akun aplikasi M-Paspor sebelum pukul 13.00 WIB.',
        'Info: pontianak.imigrasi.go.id',
        'Pendaftaran GRATIS, waspada calo!',
        '#ImigrasiPontianak #MPaspor',
      ].join('\n'),
    );
  });

  it('the worst case still says where the rest is: the card, and the website', () => {
    const office = longestOffice('Asia/Makassar');
    for (const dayCount of [1, 31]) {
      for (const post of postsFor(dayCount, longestServices(6), { channelId: 'threads', office, withFolded: true })) {
        const caption = renderCaption(templates!, post);
        expect(caption).toContain(`Info: ${office.info.website}`);
        if (post.template !== 'cancellation' && !caption.includes('tidak ada kuota')) expect(caption).toMatch(/ada di gambar/);
      }
    }
  });
});
