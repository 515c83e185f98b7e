/**
 * `check` with a Telegram channel in the sample office, days ahead: the shipped
 * templates give it captions that fit, and a caption template too long for
 * Telegram's 1,024 UTF-16 units is an error naming the channel, long before
 * the post is due (the driver is not needed: check stands the outbox in).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../../src/clock';
import { main } from '../../../src/cli/main';
import { REPO_ROOT } from '../../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('cli/check with a telegram channel', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-telegram-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: tg, driver: telegram, chatId: "@kanimptk", credentials: { botToken: TG_CHANNEL_BOT_TOKEN } }')
      .replaceAll('channels: [instagram, x]', 'channels: [instagram, x, tg]');
    fs.writeFileSync(heraldFile, herald);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function check(): Promise<{ stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '21'], {
      clock: createVirtualClock(new Date('2026-11-23T01:00:00Z')),
      env: {},
      stdout,
      stderr,
      cwd: dir,
    });
    return { stdout: stdout.text, stderr: stderr.text };
  }

  it('renders every post for it within the limits with the shipped templates', async () => {
    const { stdout, stderr } = await check();
    expect(stdout).toMatch(/checked \d+ post\(s\) on 3 channel\(s\)/);
    expect(stderr.split('\n').filter((line) => /caption is|render/i.test(line))).toEqual([]);
  }, 120_000);

  it('reports a caption over 1,024 UTF-16 units as an error for the telegram channel, days before it is due', async () => {
    // An office's own h-1 caption for this channel, fine on Instagram (2,200) but not on Telegram.
    fs.writeFileSync(path.join(dir, 'templates', 'captions', 'h-1.tg.hbs'), `📢 ${'Kuota antrean paspor {{office.name}} dibuka {{relativeDate release.opensAt}}. '.repeat(12)}`);
    const { stderr } = await check();
    const lines = stderr.split('\n').filter((line) => /caption is \d+ UTF-16 units \(emoji count 2\), over the limit of 1024/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => /\btg\b/.test(line) && /h-1/.test(line))).toBe(true);
  }, 120_000);
});
