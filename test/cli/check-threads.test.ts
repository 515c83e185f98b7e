/**
 * `check` days ahead for a Threads channel: the sample office with a third
 * channel on platform threads. The shipped threads captions pass; a caption
 * template over 500 UTF-8 bytes, or with more than five links, is an error
 * naming the post, the limit and the template — days before it is due.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('cli/check: a threads channel', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function sampleWithThreads(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-threads-'));
    dirs.push(dir);
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: threads, driver: outbox, platform: threads }')
      .replaceAll('channels: [instagram, x]', 'channels: [instagram, x, threads]');
    expect(herald).toContain('channels: [instagram, x, threads]');
    fs.writeFileSync(heraldFile, herald);
    return dir;
  }

  async function check(dir: string): Promise<{ stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    // A week holds the next opening and a weekly post.
    await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '7'], { clock: createVirtualClock(new Date('2026-11-23T01:00:00Z')), env: {}, stdout, stderr, cwd: dir });
    return { stdout: stdout.text, stderr: stderr.text };
  }

  it('the shipped threads captions pass', async () => {
    const { stdout, stderr } = await check(sampleWithThreads());
    expect(stdout).toMatch(/checked \d+ post\(s\) on 3 channel\(s\) over the next 7 day\(s\): 0 error\(s\)/);
    expect(stderr).not.toMatch(/threads/);
  }, 120_000);

  it('a caption over 500 UTF-8 bytes is an error days ahead, counted as Threads counts', async () => {
    const dir = sampleWithThreads();
    // 170 characters but 510 bytes: a count of characters would let it through.
    fs.appendFileSync(path.join(dir, 'templates', 'captions', 'opening.threads.hbs'), `\n${'•'.repeat(170)}\n`);
    const { stderr } = await check(dir);
    expect(stderr).toMatch(/^[0-9a-f]{20} \(threads, opening, [^)]*\): caption is \d+ UTF-8 bytes \(as Threads counts them\), over the limit of 500.*template "opening"/m);
    expect(stderr).not.toMatch(/\(threads, (h-1|h-60m|weekly)/);
  }, 120_000);

  it('more than five links is an error', async () => {
    const dir = sampleWithThreads();
    const links = Array.from({ length: 6 }, (_, i) => `https://pontianak.imigrasi.go.id/${i}`).join(' ');
    fs.appendFileSync(path.join(dir, 'templates', 'captions', 'h-60m.threads.hbs'), `\n${links}\n`);
    const { stderr } = await check(dir);
    // Six added, and the website line: a bare domain counts as a link too (the safe side).
    expect(stderr).toMatch(/\(threads, h-60m, [^)]*\): caption has 7 different links, over the Threads limit of 5/);
  }, 120_000);
});
