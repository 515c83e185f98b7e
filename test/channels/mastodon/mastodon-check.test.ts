/**
 * `check` renders the days ahead and checks each post against the Mastodon
 * limits (500 characters as Mastodon counts them): the sample office with a
 * Mastodon channel is clean with the shipped templates, and a caption that is
 * too long is an error days before it is due. In-process CLI, fixed clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main';
import { createVirtualClock } from '../../../src/clock';
import { REPO_ROOT } from '../../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function check(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  // A week holds the next opening and a weekly post: enough captions, few cards to render.
  const code = await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '7'], {
    clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
    env: {},
    stdout,
    stderr,
    cwd: dir,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The sample office with a Mastodon channel on every rule. */
function sampleWithMastodon(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-mastodon-check-'));
  fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const herald = path.join(dir, 'config', 'herald.yaml');
  const text = fs
    .readFileSync(herald, 'utf8')
    .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: mastodon, driver: outbox, platform: mastodon }')
    .replace(/channels: \[instagram, x\]/g, 'channels: [instagram, x, mastodon]');
  fs.writeFileSync(herald, text);
  return dir;
}

describe('check with a Mastodon channel', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('is clean with the shipped templates, and a caption over 500 characters is an error days ahead, naming post, limit and template', async () => {
    const clean = sampleWithMastodon();
    dirs.push(clean);
    const ok = await check(clean);
    expect(ok.stderr).not.toMatch(/error/i);
    expect(ok.stdout).toMatch(/on 3 channel\(s\) over the next 7 day\(s\): 0 error\(s\)/);
    expect(ok.code).toBe(0);

    const long = sampleWithMastodon();
    dirs.push(long);
    const caption = path.join(long, 'templates', 'captions', 'opening.mastodon.hbs');
    fs.writeFileSync(caption, `${fs.readFileSync(caption, 'utf8')}\n${'Jangan lewatkan! '.repeat(20)}`);
    const result = await check(long);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^[0-9a-f]{20} \(mastodon, opening, \w{3} \d{1,2} \w{3} \d\d\.\d\d WIB\): caption is \d+ characters \(as Mastodon counts them, each link as 23\), over the limit of 500.*template "opening"/m);
    // Only the Mastodon caption changed: the other channels stay clean.
    expect(result.stderr).not.toMatch(/\((instagram|x), /);
  }, 240_000);
});
