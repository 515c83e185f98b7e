/**
 * `health`: what the container's HEALTHCHECK runs. The real CLI in-process on
 * a virtual clock, over a real SQLite ledger, and a PostgreSQL URL nobody
 * answers for the lost-database case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { INSTANCE_STATUS_KEY } from '../../src/app/bot';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { openStore } from '../../src/store/open';
import { setRuntimeStatus } from '../../src/store/runtime-status';
import { freePort } from '../support/net';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const NOW = new Date('2026-12-04T06:30:00Z');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-health-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function heartbeatAt(iso: string): Promise<void> {
  const store = await openStore({ dataDir: path.join(dir, 'data') });
  try {
    await setRuntimeStatus(store, INSTANCE_STATUS_KEY, { pid: 4242, owner: 'test', heartbeatAt: iso, zone: 'Asia/Pontianak' });
  } finally {
    await store.close();
  }
}

async function health(args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', 'health', '--data', path.join(dir, 'data'), ...args], { clock: createVirtualClock(NOW), env, stdout, stderr, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('cli/health-command', () => {
  it('is healthy while the heartbeat is recent, and names it', async () => {
    await heartbeatAt('2026-12-04T06:21:00.000Z');
    expect(await health()).toEqual({ code: 0, stdout: 'ok: last heartbeat 2026-12-04T06:21:00.000Z, 9 min ago (pid 4242)\n', stderr: '' });
  });

  it('is unhealthy once the heartbeat is older than --max-age (default 25 minutes)', async () => {
    await heartbeatAt('2026-12-04T06:04:00.000Z'); // 26 minutes before NOW
    const stale = await health();
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe(
      'unhealthy: last heartbeat 2026-12-04T06:04:00.000Z, 26 min ago (pid 4242), older than 25 min: the bot is stopped or cannot re-plan; its log says why (raise --max-age if settings.replanCron runs less often)\n',
    );
    // A deployment that re-plans hourly says so.
    expect((await health(['--max-age', '70'])).code).toBe(0);
  });

  it('is unhealthy before any bot has planned into the ledger', async () => {
    const result = await health();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^unhealthy: no heartbeat recorded: `quota-herald run` has not re-planned into this ledger yet/);
  });

  it('is unhealthy, with what to check and no stack trace, when the database does not answer', async () => {
    const port = await freePort();
    const result = await health([], { DATABASE_URL: `postgres://herald:secret-password@127.0.0.1:${port}/herald` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot prepare the PostgreSQL database in DATABASE_URL: .*ECONNREFUSED.*Check that the database is reachable/);
    expect(result.stderr).not.toContain('secret-password');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a --max-age that is not a whole number of minutes (usage, exit 2)', async () => {
    const result = await health(['--max-age', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--max-age <minutes>' argument '0' is invalid");
  });
});
