/**
 * A Facebook channel in herald.yaml: its Page id is required (a config problem
 * at the channel's file:line:col), and `check` renders the posts days ahead
 * for it and reports a caption over Facebook's 63,206 characters as an error
 * naming the post, the limit and the template, while the shipped captions fit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../../src/clock';
import { main } from '../../../src/cli/main';
import { loadConfig } from '../../../src/config/load';
import { errorsOf, MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from '../../config/helpers';
import { REPO_ROOT } from '../../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('config: a facebook channel', () => {
  const withChannel = (line: string): string => MINIMAL_HERALD.replace('  - { id: x, driver: outbox, platform: x }', `  - { id: x, driver: outbox, platform: x }\n${line}`);

  it('needs pageId: a problem at the channel, saying where to find it', () => {
    const dir = writeTempDir({ 'herald.yaml': withChannel('  - { id: fb, driver: facebook, credentials: { accessToken: FB_PAGE_TOKEN } }'), ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 5).message).toMatch(/a facebook channel needs its Page id: add pageId .*Page transparency/);
  });

  it('loads with pageId (platform facebook, no daily cap of its own) and refuses a non-numeric one', () => {
    const dir = writeTempDir({ 'herald.yaml': withChannel('  - { id: fb, driver: facebook, pageId: "104882345678901", credentials: { accessToken: FB_PAGE_TOKEN } }'), ...MINIMAL_TEMPLATES });
    const { config, problems } = loadConfig(dir);
    expect(errorsOf(problems)).toEqual([]);
    expect(config!.offices[0]!.channels.find((c) => c.id === 'fb')).toMatchObject({ driver: 'facebook', platform: 'facebook', pageId: '104882345678901' });
    expect(config!.offices[0]!.channels.find((c) => c.id === 'fb')!.dailyCap).toBeUndefined();

    const bad = writeTempDir({ 'herald.yaml': withChannel('  - { id: fb, driver: facebook, pageId: "kanim.pontianak", credentials: { accessToken: FB_PAGE_TOKEN } }'), ...MINIMAL_TEMPLATES });
    // The schema refuses the value (and it is then missing): both say what to write.
    expect(errorsOf(loadConfig(bad).problems).map((p) => p.message)).toEqual([expect.stringContaining('needs its Page id'), expect.stringContaining('the Facebook Page id is a number')]);
  });
});

describe('cli/check: a facebook channel, days ahead', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a caption over 63,206 characters for facebook as an error; the shipped captions fit', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-fb-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: facebook, driver: facebook, pageId: "104882345678901", credentials: { accessToken: FB_PAGE_TOKEN } }')
      .replaceAll('channels: [instagram, x]', 'channels: [instagram, x, facebook]');
    fs.writeFileSync(heraldFile, herald);
    // An office's own Facebook caption for the opening post, far too long.
    const captions = path.join(dir, 'templates', 'captions');
    fs.writeFileSync(path.join(captions, 'opening.facebook.hbs'), `${fs.readFileSync(path.join(captions, 'opening.hbs'), 'utf8')}\n${'Jangan lewatkan kuota paspor! '.repeat(2200)}`);

    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '7'], {
      clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
      env: {},
      stdout,
      stderr,
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(stdout.text).toMatch(/checked \d+ post\(s\) on 3 channel\(s\)/);
    const captionLines = stderr.text.split('\n').filter((line) => /caption is/.test(line));
    expect(captionLines.length).toBeGreaterThan(0);
    // Only the facebook opening post is over; every other caption fits.
    for (const line of captionLines) expect(line).toMatch(/^[0-9a-f]{20} \(facebook, opening, .*\): caption is 6\d{4} characters, over the limit of 63206.*template "opening"/);
  }, 180_000);
});
