import { loadTemplates } from '../../src/render/templates';
import { renderAlt, renderAltTexts, renderCaption, tidyText } from '../../src/render/caption';
import { aPost, aRelease, SERVICES } from './post-builder';
import { samplePosts } from './samples';
import { minimalFiles, SAMPLE_TEMPLATES, SAMPLE_USES, writeTemplateDir } from './template-dir';

/** Roughly how X counts: code points, with emoji and other astral characters counting 2. */
function xLength(text: string): number {
  return [...text].reduce((n, ch) => n + (ch.codePointAt(0)! > 0xffff || /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1), 0);
}

describe('render/caption', () => {
  const { templates } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);

  describe.each(['instagram', 'x'])('sample captions for %s', (channelId) => {
    it.each(Object.keys(samplePosts(channelId)))('renders %s', (name) => {
      const post = samplePosts(channelId)[name]!;
      const text = renderCaption(templates!, post);
      expect(text).toMatchSnapshot();
      expect(text).toMatch(/calo/i);
      expect(text).toContain('#ImigrasiPontianak');
      if (channelId === 'x') {
        expect(xLength(text)).toBeLessThanOrEqual(280);
        // Links cost money on X: no URL or bare domain.
        expect(text).not.toMatch(/https?:|www\.|\.go\.id|\.com\b/);
      }
      if (post.kind !== 'digest') expect(text).toContain('14.00 WIB');
    });
  });

  it.each(Object.keys(samplePosts('instagram')))('renders alt text for %s as one paragraph', (name) => {
    const alt = renderAlt(templates!, samplePosts('instagram')[name]!);
    expect(alt).not.toMatch(/\n|\s{2}/);
    expect(alt).toMatchSnapshot();
  });

  it('names the service days, counts and time in the announcement alt text', () => {
    const alt = renderAlt(templates!, samplePosts('instagram')['h-1']!);
    for (const part of ['14.00 WIB', 'besok, Jumat, 18 Desember 2026', 'Senin–Kamis, 21–24 Desember 2026: Paspor Reguler 120 dan Paspor Percepatan 20 kuota per hari', 'Jumat, 25 Desember 2026 libur, Hari Raya Natal', 'total 480 Paspor Reguler dan 80 Paspor Percepatan']) {
      expect(alt).toContain(part);
    }
  });

  it('keeps & and < as they are in captions (no HTML escaping in plain text)', () => {
    const post = aPost({ office: { name: 'Imigrasi <Pontianak> & Sekitarnya' }, facts: { release: aRelease({ note: 'Bawa KTP & KK' }) } });
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': '{{office.name}} / {{release.note}}' });
    const loaded = loadTemplates(dir, [{ name: 'h-1', kind: 'announcement', channelIds: [] }]).templates!;
    expect(renderCaption(loaded, post)).toBe('Imigrasi <Pontianak> & Sekitarnya / Bawa KTP & KK');
  });

  it('uses the channel override only for its channel', () => {
    const post = samplePosts('instagram')['h-1']!;
    expect(renderCaption(templates!, post, 'x')).not.toEqual(renderCaption(templates!, post, 'instagram'));
    expect(renderCaption(templates!, post, 'facebook')).toEqual(renderCaption(templates!, post, 'instagram'));
  });

  it('names the template when a helper fails at render time', () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': '{{number office.name}}' });
    const loaded = loadTemplates(dir, [{ name: 'h-1', kind: 'announcement', channelIds: [] }]).templates!;
    expect(() => renderCaption(loaded, aPost())).toThrow(/captions\/h-1\.hbs: helper "number" expects numbers/);
  });

  it('reports malformed facts as a render failure of the post', () => {
    const post = aPost({ facts: { release: aRelease({ opensAt: 'kapan-kapan' }) } });
    expect(() => renderCaption(templates!, post)).toThrow(/post post-announcement-h-1: its facts cannot be rendered/);
  });

  it('tidies whitespace', () => {
    expect(tidyText('  a  \r\n\n\n\nb \n')).toBe('a\n\nb');
  });
});

describe('render/caption: a cancellation after the opening', () => {
  const { templates } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
  const cancelled = aRelease({ status: 'cancelled', cancelReason: 'gangguan sistem' });

  it('says the quota was not opened when the cancellation comes before the opening', () => {
    const text = renderCaption(templates!, aPost({ kind: 'cancellation', template: 'cancellation', dueAt: '2026-12-17T13:00:00.000Z', facts: { release: cancelled } }));
    expect(text).toContain('tidak dibuka pada waktu tersebut');
  });

  it('says the opened quota is cancelled when it comes after the opening', () => {
    const text = renderCaption(templates!, aPost({ kind: 'cancellation', template: 'cancellation', dueAt: '2026-12-18T09:00:00.000Z', facts: { release: cancelled } }));
    expect(text).toContain('Kuota yang sudah dibuka untuk tanggal layanan');
    expect(text).not.toContain('tidak dibuka pada waktu tersebut');
  });
});

describe('render/caption: words true at every hour', () => {
  const { templates } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
  // Opens Monday 18 Jan 2027 00.00 WIB (17.00 UTC on the 17th), for 18–22 Jan.
  const midnight = aRelease({
    id: 'tengah-malam',
    opensAt: '2027-01-17T17:00:00.000Z',
    days: ['2027-01-18', '2027-01-19', '2027-01-20', '2027-01-21', '2027-01-22'].map((date) => ({ date, quota: { reguler: 120, percepatan: 20 } })),
    removedDays: [],
  });
  const sixtyBefore = (channelId: string) =>
    aPost({ template: 'h-60m', channelId, dueAt: '2027-01-17T16:00:00.000Z', facts: { release: midnight, timing: { kind: 'before-opening', minutes: 60 } } });

  it('announces an opening at 00.00 from 23.00 the day before as "besok", with the date', () => {
    const text = renderCaption(templates!, sixtyBefore('instagram'));
    expect(text.split('\n')[0]).toBe(
      '⏰ 60 MENIT LAGI: kuota antrean paspor Kantor Imigrasi Kelas I TPI Pontianak dibuka besok, Senin, 18 Januari 2027, pukul 00.00 WIB.',
    );
    expect(text).not.toMatch(/hari ini/);
    expect(renderCaption(templates!, sixtyBefore('x')).split('\n')[0]).toBe(
      '⏰ 60 menit lagi! Kuota paspor Imigrasi Pontianak dibuka besok, Sen, 18 Jan, pukul 00.00 WIB: 600 Reguler dan 100 Percepatan untuk layanan 18–22 Jan 2027.',
    );
    expect(renderAlt(templates!, sixtyBefore('instagram'))).toContain('dibuka besok, Senin, 18 Januari 2027, pukul 00.00 WIB.');
  });

  it('calls the week after a Sunday post "PEKAN DEPAN", and the week of a Monday post "PEKAN INI"', () => {
    const sunday = aPost({ kind: 'digest', template: 'weekly', dueAt: '2026-12-20T11:00:00.000Z' });
    expect(renderCaption(templates!, sunday).split('\n')[0]).toBe('🗓️ JADWAL KUOTA ANTREAN PASPOR PEKAN DEPAN, 21–27 DES 2026');
    expect(renderCaption(templates!, { ...sunday, channelId: 'x' }).split('\n')[0]).toBe(
      '🗓️ Kuota paspor Imigrasi Pontianak pekan depan, 21–27 Des 2026 (Reguler/Percepatan):',
    );
    const monday = { ...sunday, dueAt: new Date('2026-12-21T01:00:00.000Z') };
    expect(renderCaption(templates!, monday).split('\n')[0]).toBe('🗓️ JADWAL KUOTA ANTREAN PASPOR PEKAN INI, 21–27 DES 2026');
  });

  describe('a week with no quota', () => {
    const emptyWeek = (nextOpening: ReturnType<typeof aRelease> | null) =>
      aPost({
        kind: 'digest',
        template: 'weekly',
        dueAt: '2027-02-28T11:00:00.000Z',
        facts: {
          digest: {
            from: '2027-03-01',
            to: '2027-03-07',
            openings: [],
            days: ['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05', '2027-03-06', '2027-03-07'].map((date, i) => ({ date, quota: null, weekend: i >= 5 })),
            nextOpening: nextOpening ?? undefined,
          },
        },
      });
    const next = aRelease({
      id: 'berikutnya',
      opensAt: '2027-03-12T07:00:00.000Z',
      days: ['2027-03-15', '2027-03-16'].map((date) => ({ date, quota: { reguler: 120, percepatan: 20 } })),
      removedDays: [],
    });

    it('says so and gives the next opening (Instagram)', () => {
      const text = renderCaption(templates!, emptyWeek(next));
      expect(text).toContain('Tidak ada kuota antrean paspor Kantor Imigrasi Kelas I TPI Pontianak untuk pekan depan, 1–7 Mar 2027.');
      expect(text).toContain('Pembukaan kuota berikutnya: Jumat, 12 Maret 2027 pukul 14.00 WIB, untuk layanan 15–16 Mar 2027.');
      expect(text).not.toMatch(/:\s*$/m);
    });

    it('says so and gives the next opening (X), never "():"', () => {
      const text = renderCaption(templates!, { ...emptyWeek(next), channelId: 'x' });
      expect(text.split('\n').slice(0, 2)).toEqual([
        '🗓️ Kuota paspor Imigrasi Pontianak pekan depan, 1–7 Mar 2027: tidak ada kuota.',
        'Pembukaan berikutnya: Jum, 12 Mar, 14.00 WIB.',
      ]);
      expect(text).not.toContain('()');
    });

    it('says the next opening will be announced when none is planned', () => {
      expect(renderCaption(templates!, emptyWeek(null))).toContain('Jadwal pembukaan kuota berikutnya akan kami umumkan melalui akun resmi ini.');
      expect(renderCaption(templates!, { ...emptyWeek(null), channelId: 'x' })).toContain('Jadwal berikutnya diumumkan di akun ini.');
      expect(renderAlt(templates!, emptyWeek(null))).toContain('Tidak ada kuota pada periode ini. Jadwal pembukaan berikutnya akan diumumkan.');
    });
  });

  it('writes a one-day release as one date, never "Sen, 18 Jan–Sen, 18 Jan"', () => {
    const oneDay = aRelease({ days: [{ date: '2027-01-18', quota: { reguler: 120, percepatan: 20 } }], removedDays: [] });
    const post = aPost({ template: 'h-1', dueAt: '2027-01-14T12:00:00.000Z', facts: { release: { ...oneDay, opensAt: '2027-01-15T07:00:00.000Z' } } });
    const ig = renderCaption(templates!, post);
    expect(ig).toContain('• Senin, 18 Januari 2027: Reguler 120 dan Percepatan 20\n');
    const x = renderCaption(templates!, { ...post, channelId: 'x' });
    expect(x.split('\n')[1]).toBe('Layanan 18 Jan 2027: 120 Reguler dan 20 Percepatan.');
    for (const text of [ig, x, renderAlt(templates!, post)]) expect(text).not.toMatch(/18 Jan\S*\s*[–-]\s*\S*\s*18 Jan/);
  });

  it('lists three services as "A, B dan C"', () => {
    const three = [...SERVICES, { id: 'prioritas', name: 'Paspor Prioritas', shortName: 'Prioritas' }];
    const release = aRelease({ days: [{ date: '2026-12-21', quota: { reguler: 200, percepatan: 35, prioritas: 50 } }], removedDays: [] });
    const post = aPost({ facts: { services: three, release } });
    expect(renderCaption(templates!, post)).toContain('Total: 200 Paspor Reguler, 35 Paspor Percepatan dan 50 Paspor Prioritas.');
    expect(renderCaption(templates!, { ...post, channelId: 'x' })).toContain(': 200 Reguler, 35 Percepatan dan 50 Prioritas.');
  });

  it('names the booking channel once in the how-to-book alt text, never "aplikasi resmi aplikasi M-Paspor"', () => {
    const [, howTo] = renderAltTexts(templates!, aPost({ kind: 'digest', template: 'weekly', dueAt: '2026-12-20T11:00:00.000Z' }));
    expect(howTo).toContain('1. buka aplikasi M-Paspor (resmi dan gratis);');
    expect(howTo).not.toMatch(/aplikasi\s+\S*\s*aplikasi/);
  });
});
