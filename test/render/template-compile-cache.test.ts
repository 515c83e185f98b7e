/**
 * Compiled templates are shared between loads by their text: a second load
 * of the same files compiles nothing, yet each load renders with its own
 * partials and helpers, and an edited template is never served stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { renderAlt, renderCaption } from '../../src/render/caption';
import { loadTemplates } from '../../src/render/templates';
import { cachedSpecCount, compileNow, isSpecCached, MAX_SPECS } from '../../src/render/template-compile-cache';
import { aPost } from './post-builder';
import { minimalFiles, SAMPLE_TEMPLATES, SAMPLE_USES, writeTemplateDir } from './template-dir';

const h1 = [{ name: 'h-1', kind: 'announcement' as const, channelIds: ['x'] }];

function captionOf(dir: string): string {
  const { templates, problems } = loadTemplates(dir, h1);
  expect(problems).toEqual([]);
  return renderCaption(templates!, aPost({ channelId: 'x' }));
}

describe('render/template-compile-cache', () => {
  it('a second load of the same templates compiles nothing and renders the same', () => {
    const first = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
    const count = cachedSpecCount();
    const second = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
    expect(count).toBeGreaterThan(SAMPLE_USES.length * 3);
    expect(cachedSpecCount()).toBe(count);
    expect(second.templates!.groups.get('h-1')!.caption).not.toBe(first.templates!.groups.get('h-1')!.caption);
    for (const channelId of ['instagram', 'x']) {
      const post = aPost({ channelId });
      expect(renderCaption(second.templates!, post)).toBe(renderCaption(first.templates!, post));
      expect(renderAlt(second.templates!, post)).toBe(renderAlt(first.templates!, post));
    }
  });

  it('an edited template is compiled anew; an edited partial shows in a template whose text did not change', () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': 'Kuota {{office.name}} {{> kaki}}', 'partials/kaki.hbs': 'salam' });
    try {
      expect(captionOf(dir)).toMatch(/ salam$/);
      fs.writeFileSync(path.join(dir, 'partials', 'kaki.hbs'), 'sampai jumpa');
      expect(captionOf(dir)).toMatch(/ sampai jumpa$/);
      fs.writeFileSync(path.join(dir, 'captions', 'h-1.hbs'), 'Kuota baru {{office.name}} {{> kaki}}');
      expect(captionOf(dir)).toMatch(/^Kuota baru .* sampai jumpa$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the same text in the two modes is two entries: text is not escaped, a card is', () => {
    const env = Handlebars.create();
    const source = '{{name}} (cache test)';
    const ast = env.parse(source);
    expect(compileNow(env, ast, source, 'text')({ name: 'A & B' })).toBe('A & B (cache test)');
    expect(compileNow(env, ast, source, 'xml')({ name: 'A & B' })).toBe('A &amp; B (cache test)');
  });

  it('keeps at most MAX_SPECS entries, dropping the least recently used', () => {
    const env = Handlebars.create();
    const compile = (source: string): string => compileNow(env, env.parse(source), source, 'text')({ n: 1 });
    const kept = 'kept {{n}} (bound test)';
    compile(kept);
    for (let i = 0; i < MAX_SPECS + 10; i++) {
      compile(`filler ${i} {{n}}`);
      if (i % 100 === 0) compile(kept); // used again: stays
    }
    expect(cachedSpecCount()).toBe(MAX_SPECS);
    expect(isSpecCached(kept, 'text')).toBe(true);
    expect(isSpecCached('filler 1 {{n}}', 'text')).toBe(false);
    expect(isSpecCached(`filler ${MAX_SPECS + 9} {{n}}`, 'text')).toBe(true);
    expect(compile(kept)).toBe('kept 1 (bound test)');
  });
});
