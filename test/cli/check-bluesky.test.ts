/**
 * `check` with a Bluesky channel: the shipped captions render for it days
 * ahead within 300 graphemes, and a caption that does not fit (an office's own
 * override by channel id) is an ERROR days before it is due, counted the way
 * Bluesky counts. A Bluesky channel without handle is a config error with
 * file:line:col.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { startFakeBlueskyServer } from '../fakes/fake-bluesky-server';
import { REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const BLUESKY = '  - { id: bsky, driver: bluesky, handle: kanimpontianak.bsky.social, credentials: { appPassword: BLUESKY_APP_PASSWORD } }';

describe('cli/check: a Bluesky channel', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-check-bsky-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function configure(channelLine: string): void {
    const file = path.join(dir, 'config', 'herald.yaml');
    const herald = fs.readFileSync(file, 'utf8').replace('  - { id: x, driver: outbox, platform: x }', `  - { id: x, driver: outbox, platform: x }\n${channelLine}`).replaceAll('channels: [instagram, x]', 'channels: [instagram, x, bsky]');
    fs.writeFileSync(file, herald);
  }

  async function check(online = false): Promise<{ stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    await main(['node', 'quota-herald', 'check', '--config', path.join(dir, 'config'), '--days', '35', ...(online ? ['--online'] : [])], {
      clock: createVirtualClock(new Date('2026-11-23T01:00:00Z')),
      env: { BLUESKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' },
      stdout,
      stderr,
      cwd: dir,
    });
    return { stdout: stdout.text, stderr: stderr.text };
  }

  it('renders the Bluesky captions days ahead within the limits', async () => {
    configure(BLUESKY);
    const { stdout, stderr } = await check();
    expect(stdout).toMatch(/checked \d+ post\(s\) on 3 channel\(s\)/);
    expect(stderr.split('\n').filter((line) => /caption is|alt text is|render/i.test(line))).toEqual([]);
  }, 120_000);

  it('reports a caption over 300 graphemes as an error, days before it is due', async () => {
    configure(BLUESKY);
    // 310 graphemes, fewer than 310 code points would suggest: the emoji flags count one each.
    fs.writeFileSync(path.join(dir, 'templates', 'captions', 'h-60m.bsky.hbs'), `${'🇮🇩'.repeat(10)} ${'Kuota paspor dibuka. '.repeat(14)}`);
    const { stderr } = await check();
    expect(stderr).toMatch(/bsky.*caption is 3\d\d characters \(graphemes, as Bluesky counts them\), over the limit of 300/);
  }, 120_000);

  it('refuses a Bluesky channel without handle, with file:line:col', async () => {
    configure('  - { id: bsky, driver: bluesky, credentials: { appPassword: BLUESKY_APP_PASSWORD } }');
    const { stderr } = await check();
    expect(stderr).toMatch(/herald\.yaml:\d+:\d+.*bluesky channel needs handle/);
  }, 120_000);

  it('check --online: the account, no expiry, nothing posted; a second run reuses the stored session', async () => {
    const fake = await startFakeBlueskyServer({ appPassword: 'abcd-efgh-ijkl-mnop' });
    try {
      configure(BLUESKY.replace('{ id: bsky,', `{ id: bsky, baseUrl: "${fake.url}",`));
      const first = await check(true);
      const output = first.stdout + first.stderr;
      expect(output).toContain(`@${fake.handle}`);
      expect(output).toContain('does not expire');
      expect(output).not.toContain('abcd-efgh-ijkl-mnop');
      await check(true);
      expect(fake.posts()).toEqual([]);
      // The session went into the data directory's database between the runs: one sign-in for both.
      expect(fake.counts.createSession).toBe(1);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
