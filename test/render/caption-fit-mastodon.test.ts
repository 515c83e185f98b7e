/**
 * Every shipped caption and alt text fits Mastodon (issue 11): 500 characters
 * as a Mastodon instance counts them (graphemes, each link as 23;
 * `countForPlatform`), at most 4 images, alt text within 1,500 characters.
 * Rendered for offices unlike the sample: 1–6 services, 1–31 service days,
 * names and texts at the longest the config accepts, WITA and WIT, a
 * cancellation, a correction, an empty week. The calendars are built by
 * caption-fit-support.ts.
 */
import { PLATFORM_LIMITS } from '../../src/channels/platform-limits';
import { countCodePoints, countForPlatform } from '../../src/channels/text-length';
import type { PostFacts, PostKind } from '../../src/plan/types';
import { renderCaption } from '../../src/render/caption';
import { DAY_COUNTS, loadShipped, longestOffice, longestServices, misfits, ONE_TO_SIX, postsFor, usesOn } from './caption-fit-support';
import { aPost, aRelease } from './post-builder';

const { templates, problems } = loadShipped(usesOn(['mastodon']));
const LIMITS = PLATFORM_LIMITS.mastodon;
const WITA_OFFICE = longestOffice('Asia/Makassar');
/** Papua: WIT, a different clock from the sample's WIB. */
const WIT_OFFICE = longestOffice('Asia/Jayapura', { id: 'kanim-jayapura' });

const mastodonPosts = (office: PostFacts['office']) => (dayCount: number, serviceCount: number) => postsFor(dayCount, longestServices(serviceCount), { channelId: 'mastodon', office, withFolded: true });

/** What does not fit (500 characters with links as 23, alt text 1,500, `check`), for `dayCounts` × `serviceCounts`. */
function overLimit(office: PostFacts['office'], dayCounts: readonly number[], serviceCounts: readonly number[]) {
  return misfits({
    templates: templates!,
    dayCounts,
    serviceCounts,
    posts: mastodonPosts(office),
    check: { limits: LIMITS, platform: 'mastodon', card: { ext: 'png', mime: LIMITS.preferredMime, bytes: 1000 } },
    measure: ({ post, caption, alts, where }) => {
      const length = countForPlatform(caption, 'mastodon');
      return [
        ...(length > LIMITS.maxTextLength ? [`${where} ${post.releaseId ?? ''} caption ${length}:\n${caption}`] : []),
        ...alts.filter((alt) => countCodePoints(alt) > LIMITS.maxAltTextLength!).map((alt) => `${where} alt ${countCodePoints(alt)}`),
      ];
    },
  });
}

describe('render/caption: every shipped template fits Mastodon', () => {
  it('loads the sample templates for a mastodon channel', () => {
    expect(problems).toEqual([]);
  });

  it('keeps every caption and alt text within 500 characters (links as 23) and 1,500 for 1–31 days × 1–6 services, WITA', () => {
    const { over, renders } = overLimit(WITA_OFFICE, DAY_COUNTS, ONE_TO_SIX);
    expect(over.slice(0, 3)).toEqual([]);
    expect(renders).toBe(DAY_COUNTS.length * 6 * 8);
  }, 240_000);

  it('fits for an office in WIT too (1, 7 and 31 days; 1 and 6 services)', () => {
    expect(overLimit(WIT_OFFICE, [1, 7, 31], [1, 6]).over).toEqual([]);
    const [h1] = mastodonPosts(WIT_OFFICE)(1, 1);
    expect(renderCaption(templates!, h1!)).toContain('WIT');
  });

  it('shortens only as far as it must: the sample office keeps its per-service counts, booking line, website and every hashtag', () => {
    const sample = (template: string, kind: PostKind, facts: Partial<PostFacts> = {}): string => renderCaption(templates!, aPost({ template, kind, channelId: 'mastodon', facts }));
    const h1 = sample('h-1', 'announcement');
    expect(h1).toBe(
      [
        '📢 Kuota antrean paspor Imigrasi Pontianak dibuka besok, Jumat, 18 Desember 2026, pukul 14.00 WIB.',
        '',
        'Tanggal layanan: 21–24 Des 2026.',
        'Kuota: 480 Reguler dan 80 Percepatan.',
        '',
        'Siapkan akun dan data diri sebelum pukul 14.00 WIB. Daftar via aplikasi M-Paspor (info: pontianak.imigrasi.go.id). GRATIS, waspada calo!',
        '',
        '#ImigrasiPontianak #MPaspor #KuotaPaspor',
      ].join('\n'),
    );
    expect(sample('weekly', 'digest')).toContain('• Rab, 23 Des: 80/20\n• Kam, 24 Des: 120/20\n• Jum, 25 Des: libur');
    const previous = aRelease({ days: aRelease().days.map((day, i) => (i === 1 ? { ...day, quota: { reguler: 100, percepatan: 20 } } : day)) });
    expect(sample('correction', 'correction', { previous })).toContain('pukul 14.00 WIB:\n• Reguler Sel, 22 Des: 100 → 120\n\nMohon maaf');
    expect(sample('cancellation', 'cancellation', { release: aRelease({ status: 'cancelled', cancelReason: 'gangguan sistem antrean' }) })).toContain('Alasan: gangguan sistem antrean.');
    for (const template of ['h-1', 'h-60m', 'opening']) expect(countForPlatform(sample(template, 'announcement'), 'mastodon')).toBeLessThan(400);
  });
});
