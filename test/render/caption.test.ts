import { loadTemplates } from '../../src/render/templates';
import { renderAlt, renderCaption, tidyText } from '../../src/render/caption';
import { aPost, aRelease } from './post-builder';
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
    for (const part of ['14.00 WIB', 'Jumat, 18 Desember 2026', 'Senin, 21 Desember 2026', 'Paspor Reguler 120', 'Hari Raya Natal', '480']) {
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
