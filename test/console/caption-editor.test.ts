/**
 * The caption editor loaded once (console/caption-preview.ts `loadCaptionEditor`,
 * what the console's template editor keeps per revision) previews every edit
 * exactly as loading the office's files for each edit does, in every layer:
 * the office's and the deployment's own templates (kept in memory, the
 * revision's files being gone) and the shipped ones.
 */
import { captionFileInUse, editorCaptionFile, loadCaptionEditor, previewCaptionEdit, previewCaptionTemplate, type CaptionEdit } from '../../src/console/caption-preview';
import type { OfficeFilesSource } from '../../src/console/preview';
import { LONG_X_CAPTION, useCaptionSources } from './unlike-office';

const SAMPLE_NOW = new Date('2026-12-02T03:00:00Z');
const UNLIKE_NOW = new Date('2026-12-14T00:00:00Z');

const sources = useCaptionSources(SAMPLE_NOW, UNLIKE_NOW);

function editorOf(source: OfficeFilesSource, ruleId: string, channelId: string, now: Date): Exclude<ReturnType<typeof loadCaptionEditor>, { status: 'unavailable' }> {
  const editor = loadCaptionEditor(source, ruleId, channelId, now);
  if (!('view' in editor)) throw new Error(JSON.stringify(editor));
  return editor;
}

describe('console/caption-preview: the editor loaded once', () => {
  it('many offices: the same file in use and the same result for edits in the office, shared and shipped layers, and for mistakes', () => {
    const cases: { edit: CaptionEdit; later?: Date }[] = [
      { edit: { ruleId: 'h-1', channelId: 'x', source: LONG_X_CAPTION } },
      { edit: { ruleId: 'h-1', channelId: 'x', source: 'Kuota {{office.shortName}} {{> hashtags}}' } },
      { edit: { ruleId: 'h-1', channelId: 'instagram', source: 'KHUSUS MERAUKE {{time release.opensAt}}\n{{> hashtags}}\n' } },
      { edit: { ruleId: 'h-1', channelId: 'x', source: 'Kuota dibuka.\n{{#if release.note}}{{release.note}}{{/each}}\n' } },
      { edit: { ruleId: 'h-1', channelId: 'x', source: 'Faks: {{office.faxNumber}}' } },
      // Typed a week later: the post previewed with is the next one then.
      { edit: { ruleId: 'h-1', channelId: 'x', source: 'Kuota {{office.shortName}}' }, later: new Date(UNLIKE_NOW.getTime() + 7 * 86_400_000) },
    ];
    const editors = new Map<string, ReturnType<typeof editorOf>>();
    for (const { edit, later } of cases) {
      const key = `${edit.ruleId}/${edit.channelId}`;
      if (!editors.has(key)) editors.set(key, editorOf(sources.unlike, edit.ruleId, edit.channelId, UNLIKE_NOW));
      const editor = editors.get(key)!;
      const now = later ?? UNLIKE_NOW;
      expect(editorCaptionFile(editor)).toEqual(captionFileInUse(sources.unlike, edit.ruleId, edit.channelId, UNLIKE_NOW));
      expect(previewCaptionEdit(editor, edit, { now })).toEqual(previewCaptionTemplate(sources.unlike, edit, { now }));
    }
    const shared = editorOf(sources.unlike, 'opening', 'x', UNLIKE_NOW);
    for (const edit of [{ ruleId: 'opening', channelId: 'x', source: 'BERSAMA {{office.shortName}}' }, { ruleId: 'opening', channelId: 'x', layer: 'office' as const, source: 'KANTOR {{office.shortName}}' }]) {
      const result = previewCaptionEdit(shared, edit, { now: UNLIKE_NOW });
      expect(result).toEqual(previewCaptionTemplate(sources.unlike, edit, { now: UNLIKE_NOW }));
      expect(result.status).toBe('rendered');
    }
  }, 120_000);

  it('one office (its one templates folder is its own): the same result', () => {
    const editor = editorOf(sources.sample, 'h-1', 'x', SAMPLE_NOW);
    const edit = { ruleId: 'h-1', channelId: 'x', source: `${editorCaptionFile(editor).source}Sampai jumpa! 🙂\n` };
    const result = previewCaptionEdit(editor, edit, { now: SAMPLE_NOW });
    expect(result).toEqual(previewCaptionTemplate(sources.sample, edit, { now: SAMPLE_NOW }));
    expect(result).toMatchObject({ status: 'rendered', caption: { text: expect.stringContaining('Sampai jumpa! 🙂') } });
  }, 60_000);

  it('says why there is no editor', () => {
    expect(loadCaptionEditor(sources.sample, 'h-2', 'x', SAMPLE_NOW)).toMatchObject({ status: 'unavailable', message: 'office kanim-pontianak has no rule "h-2"' });
    expect(loadCaptionEditor(sources.sample, 'h-1', 'mastodon', SAMPLE_NOW)).toMatchObject({ status: 'unavailable', message: 'office kanim-pontianak has no channel "mastodon"' });
  }, 60_000);
});
