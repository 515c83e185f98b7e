/**
 * Live preview of an edited caption template (src/console/caption-preview.ts)
 * with the real loader, helpers, partials and checks: rendered against a real
 * upcoming post and counted as the platform counts it, or the template's
 * errors with line and column; the lookup order office → shared → shipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { countXWeighted } from '../../src/channels/text-length';
import { captionFileInUse, previewCaptionTemplate } from '../../src/console/caption-preview';
import { REPO_ROOT } from '../support/cli';
import { LONG_X_CAPTION, SHARED_OPENING_MARKER, useCaptionSources } from './unlike-office';

const SAMPLE_NOW = new Date('2026-12-02T03:00:00Z');
const UNLIKE_NOW = new Date('2026-12-14T00:00:00Z');

const sources = useCaptionSources(SAMPLE_NOW, UNLIKE_NOW);

describe('console/caption-preview', () => {
  it('renders the edited X caption against the next h-1 post, weighted as X counts it', () => {
    const inUse = captionFileInUse(sources.sample, 'h-1', 'x', SAMPLE_NOW);
    expect(inUse).toEqual({ layer: 'office', file: 'captions/h-1.x.hbs', source: fs.readFileSync(path.join(REPO_ROOT, 'templates', 'captions', 'h-1.x.hbs'), 'utf8') });
    const result = previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'x', source: `${inUse!.source}Sampai jumpa di {{office.shortName}}! 🙂\n` }, { now: SAMPLE_NOW });
    if (result.status !== 'rendered') throw new Error(JSON.stringify(result));
    // Thursday 3 December 19.00 WIB, the evening before Friday's opening.
    expect(result.post.dueAt.toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(result.caption.text).toContain('Sampai jumpa di Imigrasi Pontianak! 🙂');
    expect(result.caption.text).toContain('14.00 WIB');
    expect(result.caption).toMatchObject({ unit: 'weighted', limit: 280, over: false, length: countXWeighted(result.caption.text) });
    expect(result.problems).toEqual([]);
  }, 60_000);

  it('a syntax error comes back with its line and column, in plain words', () => {
    const mismatch = previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'x', source: 'Kuota dibuka.\n{{#if release.note}}{{release.note}}{{/each}}\n' }, { now: SAMPLE_NOW });
    expect(mismatch).toEqual({
      status: 'template-errors',
      target: { layer: 'office', file: 'captions/h-1.x.hbs' },
      errors: [{ layer: 'office', file: 'captions/h-1.x.hbs', line: 2, col: 4, inEdit: true, message: expect.stringContaining('{{#if}} is closed by {{/each}}') }],
    });
    const unclosed = previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'x', source: 'Kuota dibuka.\nKantor: {{office.name}\n' }, { now: SAMPLE_NOW });
    if (unclosed.status !== 'template-errors') throw new Error(JSON.stringify(unclosed));
    expect(unclosed.errors).toEqual([expect.objectContaining({ line: 2, col: 22, inEdit: true })]);
    expect(unclosed.errors[0]!.message).toContain('a {{ closed with a single }');
  }, 60_000);

  it('a field the post data does not have (strict mode) is reported at its line and column, with the fields there are', () => {
    const result = previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'instagram', source: 'Kuota {{office.name}}\n\n  Faks: {{office.faxNumber}}\n' }, { now: SAMPLE_NOW });
    expect(result).toEqual({
      status: 'template-errors',
      target: { layer: 'office', file: 'captions/h-1.hbs' },
      errors: [{ layer: 'office', file: 'captions/h-1.hbs', line: 3, col: 11, inEdit: true, message: expect.stringMatching(/unknown variable "office\.faxNumber".*shortName/) }],
    });
  }, 60_000);

  it('many offices: the file in use follows office → shared → shipped, and an edit replaces it in its layer', () => {
    expect(captionFileInUse(sources.unlike, 'h-1', 'x', UNLIKE_NOW)).toEqual({ layer: 'office', file: 'captions/h-1.x.hbs', source: LONG_X_CAPTION });
    expect(captionFileInUse(sources.unlike, 'opening', 'x', UNLIKE_NOW)).toMatchObject({ layer: 'shared', file: 'captions/opening.hbs', source: expect.stringContaining(SHARED_OPENING_MARKER) });
    expect(captionFileInUse(sources.unlike, 'h-1', 'instagram', UNLIKE_NOW)).toMatchObject({ layer: 'shipped', file: 'captions/h-1.hbs' });

    // The office's own X caption is over 280 as it stands.
    const long = previewCaptionTemplate(sources.unlike, { ruleId: 'h-1', channelId: 'x', source: LONG_X_CAPTION }, { now: UNLIKE_NOW });
    if (long.status !== 'rendered') throw new Error(JSON.stringify(long));
    expect(long.caption.over).toBe(true);
    expect(long.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('over the limit of 280') })]);

    // The shipped Instagram caption, edited: saved as the office's own by default; the partials still come from the shipped layer.
    const edited = previewCaptionTemplate(sources.unlike, { ruleId: 'h-1', channelId: 'instagram', source: 'KHUSUS MERAUKE {{time release.opensAt}}\n{{> hashtags}}\n' }, { now: UNLIKE_NOW });
    if (edited.status !== 'rendered') throw new Error(JSON.stringify(edited));
    expect(edited.target).toEqual({ layer: 'office', file: 'captions/h-1.hbs' });
    expect(edited.caption.text).toBe('KHUSUS MERAUKE 10.00 WIT\n#ImigrasiMerauke #MPaspor #KuotaPasporMerauke');
    expect(edited.caption).toMatchObject({ unit: 'characters', limit: 2200, length: 70 });

    // An office-level captions/opening.hbs would win over the shared one for every channel.
    const office = previewCaptionTemplate(sources.unlike, { ruleId: 'opening', channelId: 'x', layer: 'office', source: 'KANTOR {{office.shortName}}' }, { now: UNLIKE_NOW });
    expect(office).toMatchObject({ status: 'rendered', target: { layer: 'office', file: 'captions/opening.hbs' }, caption: { text: 'KANTOR Imigrasi Merauke' } });
    const shared = previewCaptionTemplate(sources.unlike, { ruleId: 'opening', channelId: 'x', source: 'BERSAMA {{office.shortName}}' }, { now: UNLIKE_NOW });
    expect(shared).toMatchObject({ status: 'rendered', target: { layer: 'shared', file: 'captions/opening.hbs' }, caption: { text: 'BERSAMA Imigrasi Merauke' } });
  }, 60_000);

  it('says why when there is nothing to preview with', () => {
    expect(previewCaptionTemplate(sources.sample, { ruleId: 'h-2', channelId: 'x', source: 'x' }, { now: SAMPLE_NOW })).toMatchObject({ status: 'unavailable', message: 'office kanim-pontianak has no rule "h-2"' });
    expect(previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'x', file: '../herald.yaml', source: 'x' }, { now: SAMPLE_NOW })).toMatchObject({ status: 'unavailable' });
    expect(previewCaptionTemplate(sources.sample, { ruleId: 'h-1', channelId: 'x', layer: 'shared', source: 'x' }, { now: SAMPLE_NOW })).toMatchObject({ status: 'unavailable' });
  }, 60_000);
});
