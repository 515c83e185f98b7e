/**
 * Loads reuse the compiled form of a template text seen before (every office
 * shares the same files; the console's caption editor reloads as staff type).
 * What a template renders must still depend only on its own load: its partials.
 */
import fs from 'node:fs';
import { renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { aPost } from './post-builder';
import { minimalFiles, writeTemplateDir } from './template-dir';

const USES = [{ name: 'h-1', kind: 'announcement' as const, channelIds: ['x'] }];

describe('render/templates: compiled forms reused across loads', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const load = (files: Record<string, string>) => {
    const dir = writeTemplateDir({ ...minimalFiles('h-1'), ...files });
    dirs.push(dir);
    const { templates, problems } = loadTemplates(dir, USES);
    if (!templates) throw new Error(JSON.stringify(problems));
    return { templates };
  };

  it('the same caption text renders with each load’s own partials', () => {
    const caption = 'Kuota {{office.shortName}} {{> penutup}}';
    const first = load({ 'captions/h-1.hbs': caption, 'partials/penutup.hbs': 'SATU' });
    const second = load({ 'captions/h-1.hbs': caption, 'partials/penutup.hbs': 'DUA' });
    const post = aPost();
    expect(renderCaption(first.templates, post, 'x')).toMatch(/ SATU$/);
    expect(renderCaption(second.templates, post, 'x')).toMatch(/ DUA$/);
    // And again, in the first order: nothing of the second load stuck to the first.
    expect(renderCaption(first.templates, post, 'x')).toMatch(/ SATU$/);
  });
});
