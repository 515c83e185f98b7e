/**
 * The hostile-input corpus (test/fixtures/hostile/) through the real CLI: each
 * gives a clear error or safe output, never a crash or a stack trace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from '../support/cli';

const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'hostile');
const corpus = (name: string): string => fs.readFileSync(path.join(CORPUS, name), 'utf8');

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Copies made by the current test, removed after it. */
const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the sample office to spoil one file at a time. */
function sampleCopy(): { dir: string; config: string; templates: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-hostile-'));
  copies.push(dir);
  fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  return { dir, config: path.join(dir, 'config'), templates: path.join(dir, 'templates') };
}

async function cli(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', ...args, '--config', path.join(dir, 'config')], {
    clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
    env: {},
    stdout,
    stderr,
    cwd: dir,
  });
  // Whatever happened, it is said plainly: no stack trace.
  expect(stderr.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function edit(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

describe('faults: hostile input', () => {
  it('refuses a YAML alias bomb with the file and what to do', async () => {
    const { dir, config } = sampleCopy();
    fs.writeFileSync(path.join(config, 'calendar.yaml'), corpus('alias-bomb.calendar.yaml'));
    const result = await cli(dir, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^config\/calendar\.yaml:\d+:\d+: .*alias/im);
  });

  it('refuses a config file over 1 MB without reading it as YAML', async () => {
    const { dir, config } = sampleCopy();
    fs.appendFileSync(path.join(config, 'herald.yaml'), `\n# ${'x'.repeat(1_100_000)}\n`);
    const result = await cli(dir, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^config\/herald\.yaml:1:1: file is \d+ bytes, over the 1000000-byte limit/m);
  });

  it('blocks prototype access in templates at load time, with file, line and column', async () => {
    const { dir, templates } = sampleCopy();
    fs.writeFileSync(path.join(templates, 'captions', 'opening.hbs'), corpus('proto-access.caption.hbs'));
    const result = await cli(dir, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/templates\/captions\/opening\.hbs:2:\d+: .*constructor/);
    expect(result.stderr).toMatch(/templates\/captions\/opening\.hbs:3:\d+: .*(lookup|__proto__)/);
  });

  it('keeps markup in the office name as text: escaped in the card, unchanged in captions', async () => {
    const { dir, config } = sampleCopy();
    const name = corpus('markup-office-name.txt').trim();
    edit(path.join(config, 'herald.yaml'), 'name: Kantor Imigrasi Kelas I TPI Pontianak', `name: ${JSON.stringify(name)}`);
    const out = path.join(dir, 'preview');
    const result = await cli(dir, ['preview', '--from', '2026-12-03', '--to', '2026-12-05', '--out', out]);
    expect(result.code).toBe(0);
    const posts = JSON.parse(fs.readFileSync(path.join(out, 'posts.json'), 'utf8')) as { text: string; media: { file: string }[] }[];
    const instagram = posts.find((p) => p.media[0]?.file.endsWith('.jpg'))!;
    expect(instagram.text).toContain(name); // a caption is plain text: nothing to escape
    expect(fs.statSync(path.join(out, instagram.media[0]!.file)).size).toBeGreaterThan(10_000); // the card rendered
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).not.toContain("<script>alert('x')</script>");
  });

  it('refuses a template name that leaves the templates directory', async () => {
    const { dir, config } = sampleCopy();
    const hostile = corpus('traversal-template-name.txt').trim();
    edit(path.join(config, 'herald.yaml'), 'template: opening', `template: "${hostile}"`);
    const result = await cli(dir, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/herald\.yaml:\d+:\d+: .*template/);
    expect(result.stderr).not.toMatch(/root:|passwd:/);
  });

  it('refuses spreadsheet formulas in imported CSV cells, naming the row and column', async () => {
    const { dir, config } = sampleCopy();
    fs.writeFileSync(path.join(config, 'kuota.csv'), corpus('formula-injection.csv'));
    const result = await cli(dir, ['check']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^config\/kuota\.csv:2:\d+: .*formula/im);
    expect(result.stderr).toMatch(/^config\/kuota\.csv:3:\d+: .*formula/im);
  });

  it('names the card template when it renders invalid SVG', async () => {
    const { dir, templates } = sampleCopy();
    fs.writeFileSync(path.join(templates, 'cards', 'opening.svg.hbs'), corpus('invalid-svg.card.svg.hbs'));
    const result = await cli(dir, ['check', '--days', '14']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cards\/opening\.svg\.hbs/);
    expect(result.stderr).toMatch(/SVG|XML|tag/i);
  });

  it('says what to do when the data directory cannot be created', async () => {
    const { dir } = sampleCopy();
    const blocker = path.join(dir, 'not-a-directory');
    fs.writeFileSync(blocker, 'a file where the data directory should go');
    const result = await cli(dir, ['run', '--data', path.join(blocker, 'data')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*not-a-directory\/data.*(--data|directory)/m);
  });
});
