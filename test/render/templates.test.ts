import fs from 'node:fs';
import path from 'node:path';
import { formatProblem } from '../../src/errors';
import { loadTemplates } from '../../src/render/templates';
import { renderAlt, renderCaption } from '../../src/render/caption';
import { aPost } from './post-builder';
import { minimalFiles, SAMPLE_TEMPLATES, SAMPLE_USES, writeTemplateDir } from './template-dir';

const h1 = [{ name: 'h-1', kind: 'announcement' as const, channelIds: ['x'] }];

function problemsOf(files: Record<string, string>, uses = h1): string[] {
  const dir = writeTemplateDir(files);
  const result = loadTemplates(dir, uses);
  expect(result.templates).toBeNull();
  return result.problems.map((p) => formatProblem(p).replace(dir + path.sep, ''));
}

describe('render/templates', () => {
  it('loads every sample template without a problem', () => {
    const { templates, problems } = loadTemplates(SAMPLE_TEMPLATES, SAMPLE_USES);
    expect(problems.map((p) => formatProblem(p))).toEqual([]);
    expect([...templates!.groups.keys()].sort()).toEqual(['cancellation', 'correction', 'h-1', 'h-60m', 'opening', 'weekly']);
    expect([...templates!.groups.get('h-1')!.channelCaptions.keys()]).toEqual(['x']);
  });

  it('warns, with publicBaseUrl set, about a card page that carries no verification QR code, and only then', () => {
    const uses = [{ name: 'weekly', kind: 'digest' as const, channelIds: ['x'] }];
    const shipped = loadTemplates(SAMPLE_TEMPLATES, [...SAMPLE_USES], { publicBaseUrl: 'https://kuota.example.go.id' });
    expect(shipped.problems).toEqual([]);
    // An office's own weekly page 2 without {{> verify-qr}}; page 1 (shipped) has it through card-foot.
    const cardLayer = writeTemplateDir({ 'cards/weekly.svg.hbs': fs.readFileSync(path.join(SAMPLE_TEMPLATES, 'cards/weekly.svg.hbs'), 'utf8'), 'cards/weekly.2.svg.hbs': minimalFiles()['cards/h-1.svg.hbs']!, 'alt/weekly.2.hbs': 'Cara daftar' });
    const own = loadTemplates([cardLayer, SAMPLE_TEMPLATES], uses, { publicBaseUrl: 'https://kuota.example.go.id' });
    expect(own.templates).not.toBeNull();
    expect(own.problems.map((p) => formatProblem(p).replace(cardLayer + path.sep, ''))).toEqual([
      expect.stringMatching(/^cards\/weekly\.2\.svg\.hbs:1:1: warning: this card carries no verification QR code: add \{\{> verify-qr\}\} in its footer/),
    ]);
    expect(loadTemplates([cardLayer, SAMPLE_TEMPLATES], uses).problems).toEqual([]);
    // A partial of its own that calls the shipped one counts.
    const viaPartial = writeTemplateDir({ ...minimalFiles(), 'cards/h-1.svg.hbs': '<svg>{{> kaki}}</svg>', 'partials/kaki.hbs': '{{> verify-qr}}' });
    expect(loadTemplates([viaPartial, SAMPLE_TEMPLATES], h1, { publicBaseUrl: 'https://kuota.example.go.id' }).problems).toEqual([]);
  });

  it('reports an unknown variable with file:line:col and a suggestion', () => {
    const problems = problemsOf({ ...minimalFiles(), 'captions/h-1.hbs': 'Halo\n  {{release.opensAtt}}' });
    expect(problems).toEqual([expect.stringMatching(/^captions\/h-1\.hbs:2:5: unknown variable "release\.opensAtt".*Did you mean "opensAt"\?/)]);
  });

  it('reports a variable of another post kind', () => {
    const problems = problemsOf({ ...minimalFiles(), 'alt/h-1.hbs': '{{digest.from}}' });
    expect(problems).toEqual([expect.stringMatching(/^alt\/h-1\.hbs:1:3: .*"digest" exists only in digest templates/)]);
  });

  it('reports an unknown helper and an unknown partial, collecting all problems', () => {
    const problems = problemsOf({
      ...minimalFiles(),
      'captions/h-1.hbs': '{{tanggal release.opensAt}}\n{{> kaki}}',
      'alt/h-1.hbs': '{{#each release.days}}{{nope}}{{/each}}',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^captions\/h-1\.hbs:1:3: unknown helper "tanggal"/),
      expect.stringMatching(/^captions\/h-1\.hbs:2:5: unknown partial "kaki": create partials\/kaki\.hbs/),
      expect.stringMatching(/^alt\/h-1\.hbs:1:25: unknown variable "nope"/),
    ]);
  });

  it('reports a syntax error with its line and column', () => {
    const problems = problemsOf({ ...minimalFiles(), 'captions/h-1.hbs': 'a\n{{#if release.note}}\n  {{release.note}\n{{/if}}' });
    expect(problems).toEqual([expect.stringMatching(/^captions\/h-1\.hbs:3:17: template syntax error/)]);
  });

  it('reports a mismatched block with its position', () => {
    const problems = problemsOf({ ...minimalFiles(), 'captions/h-1.hbs': '{{#if release.note}}\n{{/each}}' });
    expect(problems).toEqual([expect.stringMatching(/^captions\/h-1\.hbs:1:4: template syntax error: \{\{#if\}\} is closed by \{\{\/each\}\}/)]);
  });

  it('reports every missing required file', () => {
    const problems = problemsOf({ 'captions/h-1.hbs': 'x' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/missing template file .*cards\/h-1\.svg\.hbs: create it/);
    expect(problems.join('\n')).toMatch(/missing template file .*alt\/h-1\.hbs/);
  });

  it('points a missing file at the rule when the use carries a location', () => {
    const dir = writeTemplateDir({});
    const { problems } = loadTemplates(dir, [{ ...h1[0]!, location: { file: 'config/herald.yaml', line: 12, col: 7 } }]);
    expect(formatProblem(problems[0]!)).toMatch(/^config\/herald\.yaml:12:7: missing template file/);
  });

  it('treats prototype access as an unknown variable at load time', () => {
    const problems = problemsOf({
      ...minimalFiles(),
      'captions/h-1.hbs': '{{constructor.constructor}} {{office.__proto__}} {{release.days.constructor}}',
    });
    expect(problems).toEqual([
      expect.stringMatching(/:1:3: unknown variable "constructor\.constructor"/),
      expect.stringMatching(/:1:31: unknown variable "office\.__proto__"/),
      expect.stringMatching(/:1:52: .*is a list and has no field "constructor"/),
    ]);
  });

  it('refuses a literal prototype key in lookup when loading', () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': '[{{lookup office "constructor"}}]' });
    const { templates, problems } = loadTemplates(dir, h1);
    expect(templates).toBeNull();
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('"constructor" is not a variable')]);
  });

  it('keeps prototype access blocked at run time too', () => {
    // A computed key is invisible to the load-time check: Handlebars itself must refuse it.
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': '[{{lookup office (concat "con" "structor")}}]' });
    const { templates, problems } = loadTemplates(dir, h1);
    expect(problems).toEqual([]);
    expect(renderCaption(templates!, aPost())).toBe('[]');
  });

  it('rejects template names that are paths', () => {
    for (const name of ['../etc/passwd', 'a/b', 'a\\b', '..']) {
      const { templates, problems } = loadTemplates(writeTemplateDir({}), [{ name, kind: 'announcement', channelIds: [] }]);
      expect(templates).toBeNull();
      expect(problems[0]!.message).toMatch(/is not allowed/);
    }
  });

  it('understands #each, #with, block params, @index, @root and ../', () => {
    const dir = writeTemplateDir({
      ...minimalFiles(),
      'captions/h-1.hbs': [
        '{{#each release.days as |day i|}}{{i}}:{{day.date}} {{@index}}{{#if @first}}!{{/if}}',
        '{{#each quotas}}{{shortName}}={{count}}/{{../total}}/{{@root.office.shortName}}/{{@../index}};{{/each}}{{/each}}',
        '{{#with release}}{{#each removedDays}}{{reason}}@{{../opensTime}}{{/each}}{{/with}}',
        '{{#each (wrap office.name 300 40)}}<{{this}}>{{/each}}',
      ].join('\n'),
    });
    const { templates, problems } = loadTemplates(dir, h1);
    expect(problems).toEqual([]);
    expect(renderCaption(templates!, aPost())).toMatchSnapshot();
  });

  it('rejects @index outside #each and ../ above the root', () => {
    const problems = problemsOf({ ...minimalFiles(), 'captions/h-1.hbs': '{{@index}} {{../office}}' });
    expect(problems).toEqual([
      expect.stringMatching(/:1:3: unknown data variable "@index"/),
      expect.stringMatching(/:1:14: "\.\.\/office" goes above the top/),
    ]);
  });

  it('checks partials where they are used, reporting inside the partial file', () => {
    const problems = problemsOf({
      ...minimalFiles(),
      'partials/foot.hbs': 'ok {{office.nama}}',
      'captions/h-1.hbs': '{{> foot}}',
    });
    expect(problems).toEqual([expect.stringMatching(/^partials\/foot\.hbs:1:6: unknown variable "office\.nama".*"name"/)]);
  });

  it('loads the same source again with its own partials, and an edited source as edited (compiled templates are reused)', () => {
    const caption = 'Dibuka {{time release.opensAt}} {{> kaki}}';
    const medan = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': caption, 'partials/kaki.hbs': 'Medan' });
    const ambon = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': caption, 'partials/kaki.hbs': 'Ambon' });
    const first = loadTemplates(medan, h1).templates!;
    const second = loadTemplates(ambon, h1).templates!;
    expect(renderCaption(first, aPost())).toMatch(/Medan$/);
    expect(renderCaption(second, aPost())).toMatch(/Ambon$/);
    // The one loaded first still renders its own partial.
    expect(renderCaption(first, aPost())).toMatch(/Medan$/);

    fs.writeFileSync(path.join(medan, 'captions', 'h-1.hbs'), 'Diubah {{> kaki}}');
    expect(renderCaption(loadTemplates(medan, h1).templates!, aPost())).toBe('Diubah Medan');
    // A source that no longer compiles is refused again, whatever was loaded before.
    fs.writeFileSync(path.join(medan, 'captions', 'h-1.hbs'), 'Diubah {{#if office.name}}');
    expect(loadTemplates(medan, h1).templates).toBeNull();
  });

  it('loads a template with literal values the same way the second time (the compiler rewrites its own copy of the tree, not the remembered one)', () => {
    const dir = writeTemplateDir({ ...minimalFiles(), 'captions/h-1.hbs': 'A {{"teks"}} {{true}} {{1}} B' });
    const loads = [1, 2].map(() => loadTemplates(dir, h1));
    expect(loads.map(({ templates, problems }) => [templates !== null, problems])).toEqual([
      [true, []],
      [true, []],
    ]);
  });

  describe('overrides by channel, then platform', () => {
    const files = {
      ...minimalFiles(),
      'captions/h-1.hbs': 'panjang (Instagram)',
      'captions/h-1.x.hbs': 'pendek (X)',
      'alt/h-1.x.hbs': 'alt X',
      'captions/h-1.kantor-x.hbs': 'khusus kanal kantor-x',
    };
    const uses = [
      {
        name: 'h-1',
        kind: 'announcement' as const,
        channelIds: ['tw', 'kantor-x', 'ig'],
        platforms: { tw: 'x' as const, 'kantor-x': 'x' as const, ig: 'instagram' as const },
      },
    ];

    it('gives a channel { id: tw, driver: x } the X caption and alt text (NAME.PLATFORM.hbs)', () => {
      const { templates, problems } = loadTemplates(writeTemplateDir(files), uses);
      expect(problems).toEqual([]);
      expect(renderCaption(templates!, aPost({ channelId: 'tw' }))).toBe('pendek (X)');
      expect(renderAlt(templates!, aPost({ channelId: 'tw' }))).toBe('alt X');
    });

    it('prefers NAME.CHANNEL.hbs (the old channel-id names keep working) and falls back to NAME.hbs', () => {
      const { templates } = loadTemplates(writeTemplateDir(files), uses);
      expect(renderCaption(templates!, aPost({ channelId: 'kantor-x' }))).toBe('khusus kanal kantor-x');
      expect(renderAlt(templates!, aPost({ channelId: 'kantor-x' }))).toBe('alt X');
      expect(renderCaption(templates!, aPost({ channelId: 'ig' }))).toBe('panjang (Instagram)');
      expect(renderAlt(templates!, aPost({ channelId: 'ig' }))).toBe('Kartu Kantor Imigrasi Kelas I TPI Pontianak');
    });

    it('checks a platform override when it loads, like any template', () => {
      const problems = problemsOf({ ...files, 'captions/h-1.x.hbs': '{{release.opensAtt}}' }, uses);
      expect(problems).toEqual([expect.stringMatching(/^captions\/h-1\.x\.hbs:1:3: unknown variable "release\.opensAtt"/)]);
    });

    it('renders the shipped X caption for a channel whose id is not "x"', () => {
      const { templates } = loadTemplates(SAMPLE_TEMPLATES, [{ name: 'opening', kind: 'announcement', channelIds: ['tw'], platforms: { tw: 'x' } }]);
      const post = aPost({ template: 'opening', channelId: 'tw', dueAt: '2026-12-18T07:00:00.000Z', facts: { timing: { kind: 'before-opening', minutes: 0 } } });
      const viaTw = renderCaption(templates!, post);
      const { templates: asX } = loadTemplates(SAMPLE_TEMPLATES, [{ name: 'opening', kind: 'announcement', channelIds: ['x'] }]);
      expect(viaTw).toBe(renderCaption(asX!, { ...post, channelId: 'x' }));
      expect(viaTw).not.toBe(renderCaption(asX!, { ...post, channelId: 'instagram' }));
    });
  });
});
