/**
 * `check --online` against the fake platforms: accounts verified without
 * posting, the public image address probed, refused credentials reported with
 * what to do (exit 1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { REPO_ROOT } from '../support/cli';
import { freePort } from '../support/net';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const KEYS = { appKey: 'ck-key', appSecret: 'ck-secret', accessToken: '9-ck-token', accessSecret: 'ck-access-secret' };
const ENV = { X_APP_KEY: KEYS.appKey, X_APP_SECRET: KEYS.appSecret, X_ACCESS_TOKEN: KEYS.accessToken, X_ACCESS_SECRET: KEYS.accessSecret, IG_ACCESS_TOKEN: 'ck-ig-token' };

describe('cli: check --online', () => {
  let fakeX: FakeXServer;
  let fakeIg: FakeInstagramServer;
  let dir: string;

  beforeAll(async () => {
    fakeX = await startFakeXServer(KEYS);
    fakeIg = await startFakeInstagramServer({ token: ENV.IG_ACCESS_TOKEN, quotaUsage: 12 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-online-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace(
        '  - { id: instagram, driver: outbox, platform: instagram }\n  - { id: x, driver: outbox, platform: x }',
        [
          `  - { id: instagram, driver: instagram, baseUrl: "${fakeIg.url}", accountId: "${fakeIg.accountId}", credentials: { accessToken: IG_ACCESS_TOKEN } }`,
          `  - { id: x, driver: x, baseUrl: "${fakeX.url}", credentials: { appKey: X_APP_KEY, appSecret: X_APP_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET } }`,
        ].join('\n'),
      )
      // Port 0: the probe only needs URLs; the test's own server answers at the address below.
      .replace('settings:\n', 'settings:\n  mediaServer: { publicBaseUrl: "http://127.0.0.1:1", port: 0 }\n');
    fs.writeFileSync(heraldFile, herald);
  });

  afterAll(async () => {
    await fakeX.close();
    await fakeIg.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function check(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['node', 'quota-herald', 'check', '--online', '--days', '7', '--config', path.join(dir, 'config'), '--data', path.join(dir, 'data')], {
      clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
      env,
      stdout,
      stderr,
      cwd: dir,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('verifies both accounts without posting and reports an unreachable image address', async () => {
    const result = await check(ENV);
    expect(result.stdout).toMatch(/^x \(x\): @\w+/m);
    expect(result.stdout).toMatch(/^instagram \(instagram\): @\w+/m);
    expect(result.stdout).toMatch(/12 .*50/); // publishing limit usage
    // publicBaseUrl points at a closed port: Instagram could not fetch the cards.
    expect(result.stderr).toMatch(/^media server: cannot fetch a probe image from http:\/\/127\.0\.0\.1:1 .*make settings\.mediaServer\.publicBaseUrl reach this bot/m);
    expect(result.code).toBe(1);
    expect(fakeX.tweets).toEqual([]);
    expect(fakeIg.published).toEqual([]);
  });

  it('proves the public image address answers when it reaches the bot', async () => {
    const port = await freePort();
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const original = fs.readFileSync(heraldFile, 'utf8');
    fs.writeFileSync(heraldFile, original.replace('mediaServer: { publicBaseUrl: "http://127.0.0.1:1", port: 0 }', `mediaServer: { publicBaseUrl: "http://127.0.0.1:${port}", port: ${port} }`));
    try {
      const result = await check(ENV);
      expect(result.stdout).toMatch(new RegExp(`^media server: http://127\\.0\\.0\\.1:${port} serves rendered cards \\(probe answered 200\\)`, 'm'));
      expect(result.code).toBe(0);
    } finally {
      fs.writeFileSync(heraldFile, original);
    }
  });

  it('says what to do when X refuses the credentials, naming no secret', async () => {
    const result = await check({ ...ENV, X_ACCESS_SECRET: 'wrong-secret-value' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^channel x: .*(token|credential)/im);
    expect(result.stderr + result.stdout).not.toContain('wrong-secret-value');
    expect(result.stderr + result.stdout).not.toContain(KEYS.appSecret);
  });

  it('names the missing environment variable', async () => {
    const { IG_ACCESS_TOKEN: _dropped, ...withoutIg } = ENV;
    const result = await check(withoutIg);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^channel instagram: .*IG_ACCESS_TOKEN.*\.env/m);
  });
});
