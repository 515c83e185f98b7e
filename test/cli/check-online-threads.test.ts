/**
 * `check --online` with a Threads channel against the fake Threads API: the
 * profile, the 250-post limit and the token state without posting; a revoked
 * token reported with what to do (exit 1), never the token.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { startFakeThreadsServer, type FakeThreadsServer } from '../fakes/fake-threads-server';
import { REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const TOKEN = 'THAAonline-secret-5c2f';

describe('cli: check --online with a threads channel', () => {
  let fake: FakeThreadsServer;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeThreadsServer({ token: TOKEN, quotaUsage: 17 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-online-threads-'));
    fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const heraldFile = path.join(dir, 'config', 'herald.yaml');
    const herald = fs
      .readFileSync(heraldFile, 'utf8')
      .replace(
        '  - { id: x, driver: outbox, platform: x }',
        `  - { id: x, driver: outbox, platform: x }\n  - { id: threads, driver: threads, baseUrl: "${fake.url}", accountId: "${fake.userId}", credentials: { accessToken: THREADS_ACCESS_TOKEN } }`,
      )
      .replace('settings:\n', 'settings:\n  mediaServer: { publicBaseUrl: "http://127.0.0.1:1", port: 0 }\n');
    fs.writeFileSync(heraldFile, herald);
  });
  afterAll(async () => {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function check(): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['node', 'quota-herald', 'check', '--online', '--days', '7', '--config', path.join(dir, 'config'), '--data', path.join(dir, 'data')], {
      clock: createVirtualClock(new Date('2026-11-28T01:00:00Z')),
      env: { THREADS_ACCESS_TOKEN: TOKEN },
      stdout,
      stderr,
      cwd: dir,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('verifies the profile and the publishing limit without posting', async () => {
    const result = await check();
    expect(result.stdout).toMatch(/^threads \(threads\): @kanimpontianak/m);
    expect(result.stdout).toContain('publishing limit: 17 of 250 posts used in the last 24 h');
    expect(fake.published).toEqual([]);
    expect(fake.containers.size).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  }, 120_000);

  it('a revoked token: an error naming the env variable, exit 1', async () => {
    fake.revokeToken();
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/threads rejected the access token .*put it in \.env as THREADS_ACCESS_TOKEN/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  }, 120_000);
});
