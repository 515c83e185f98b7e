/**
 * `check --online` with a facebook channel in the sample office, against the
 * fake Page API: the Page is named without posting, no media server is asked
 * for, a revoked token is an error saying what to do (exit 1), and a missing
 * variable is named. No token value in the output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../../src/clock';
import { main } from '../../../src/cli/main';
import { startFakeFacebookServer, type FakeFacebookServer } from '../../fakes/fake-facebook-server';
import { REPO_ROOT } from '../../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const TOKEN = 'EAAGonlinePAGEtoken-3e8a-do-not-leak';

describe('cli: check --online with a facebook channel', () => {
  let fake: FakeFacebookServer;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeFacebookServer({ token: TOKEN });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-online-fb-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    // Only the facebook channel: the outbox ones have nothing to verify.
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace(
        '  - { id: instagram, driver: outbox, platform: instagram }\n  - { id: x, driver: outbox, platform: x }',
        `  - { id: facebook, driver: facebook, baseUrl: "${fake.url}", pageId: "${fake.pageId}", credentials: { accessToken: FB_PAGE_TOKEN } }`,
      )
      .replaceAll('channels: [instagram, x]', 'channels: [facebook]');
    fs.writeFileSync(heraldFile, herald);
  });
  afterAll(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function check(env: Record<string, string>): Promise<{ code: number; out: string; stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['node', 'quota-herald', 'check', '--online', '--days', '2', '--config', path.join(dir, 'config'), '--data', path.join(dir, 'data')], {
      clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
      env,
      stdout,
      stderr,
      cwd: dir,
    });
    return { code, out: stdout.text + stderr.text, stdout: stdout.text, stderr: stderr.text };
  }

  it('names the Page without posting and needs no media server', async () => {
    const result = await check({ FB_PAGE_TOKEN: TOKEN });
    expect(result.stdout).toMatch(/^facebook \(facebook\): Kantor Imigrasi Pontianak/m);
    expect(result.out).not.toMatch(/mediaServer|media server/);
    expect(result.code).toBe(0);
    expect(fake.posts).toEqual([]);
    expect(fake.photos.size).toBe(0);
    expect(result.out).not.toContain(TOKEN);
  });

  it('a revoked Page token: exit 1, what to do, no token in the output', async () => {
    fake.revokeToken();
    try {
      const result = await check({ FB_PAGE_TOKEN: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/facebook.*rejected the Page access token.*put it in \.env as FB_PAGE_TOKEN/);
      expect(result.out).not.toContain(TOKEN);
    } finally {
      fake.addToken(TOKEN);
    }
  });

  it('names the missing environment variable', async () => {
    const result = await check({});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^channel facebook: .*FB_PAGE_TOKEN is not set.*\.env/m);
  });
});
