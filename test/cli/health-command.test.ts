/**
 * `health`: what the container's HEALTHCHECK runs. The real CLI in-process on
 * a virtual clock. SQLite: the data directory's lock as `run` holds it and its
 * schedule loop marks it alive (the real loop, idle, on a virtual clock).
 * PostgreSQL: a fresh database of the shared embedded server, with instance
 * rows as the heartbeat writes them; and a URL nobody answers for the
 * lost-database case.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { throttleLiveness } from '../../src/app/instance-heartbeat';
import { loadAll } from '../../src/app/load-all';
import { buildRuntime } from '../../src/app/runtime';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { createSilentLogger } from '../../src/logger';
import { runScheduleLoop } from '../../src/schedule/run-loop';
import { createScheduler } from '../../src/schedule/scheduler';
import { beat, registerInstance, releaseDeadInstances } from '../../src/store/instances';
import { acquireDataDirLock, LOCK_FILE, type DataDirLock } from '../../src/store/lock';
import { openStore, type Store } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';
import { createTestDatabase } from '../support/databases';
import { freePort } from '../support/net';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const NOW = new Date('2026-12-04T06:30:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
let dir: string;
let dataDir: string;
let lock: DataDirLock | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-health-'));
  dataDir = path.join(dir, 'data');
});
afterEach(() => {
  lock?.release();
  lock = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function health(args: string[] = [], env: Record<string, string> = {}, now: Date = NOW): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', 'health', '--data', dataDir, ...args], { clock: createVirtualClock(now), env, stdout, stderr, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The data directory held as `run` holds it (by this test process, which is alive). */
function holdAsRun(): DataDirLock {
  lock = acquireDataDirLock(dataDir, { pid: process.pid, command: 'run', startedAt: ago(3_600_000) });
  return lock;
}

describe('cli/health-command on SQLite (the data directory of this machine)', () => {
  it('is healthy while the run holding the data directory marked itself alive within --max-age (default 5 minutes)', async () => {
    holdAsRun().touch(ago(40_000));
    expect(await health()).toEqual({ code: 0, stdout: `ok: \`quota-herald run\` (pid ${process.pid}) on ${dataDir}, last alive 2026-12-04T06:29:20.000Z, 40 s ago\n`, stderr: '' });
  });

  it('is unhealthy when the run is running but its mark is older than --max-age: stuck or frozen', async () => {
    holdAsRun().touch(ago(6 * 60_000));
    const stale = await health();
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe(
      `unhealthy: \`quota-herald run\` (pid ${process.pid}) on ${dataDir} is running but last alive 2026-12-04T06:24:00.000Z, 6 min ago, more than 5 min: its schedule loop is stuck or the process is frozen; its log says why\n`,
    );
    expect((await health(['--max-age', '10'])).code).toBe(0);
  });

  it('is unhealthy when no run holds the data directory, or its holder is gone', async () => {
    const none = await health();
    expect(none.code).toBe(1);
    expect(none.stdout).toBe(`unhealthy: no \`quota-herald run\` holds the data directory ${dataDir}: it is not started, still starting, or stopped\n`);

    // SIGKILLed: the lock stays behind, fresh, but its process is no more.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), `${JSON.stringify({ pid: gone, command: 'run', token: 'x' })}\n`);
    fs.utimesSync(path.join(dataDir, LOCK_FILE), ago(10_000), ago(10_000));
    const dead = await health();
    expect(dead.code).toBe(1);
    expect(dead.stdout).toBe(`unhealthy: \`quota-herald run\` (pid ${gone}) on ${dataDir} is gone without releasing its lock (killed, or crashed): its log says why; the next \`run\` takes the lock over\n`);
  });

  it('an idle run stays healthy: its schedule loop marks the lock about once a minute, with nothing to publish and no re-plan', async () => {
    const start = new Date('2026-12-04T06:00:00Z');
    const clock = createVirtualClock(start);
    const store = await openStore({ dataDir });
    try {
      const held = holdAsRun();
      const marks: string[] = [];
      const loaded = loadAll(path.join(REPO_ROOT, 'config'), { now: start }).loaded!;
      // Nothing planned: the ledger is empty, so the loop only wakes every 30 s chunk.
      const runtime = buildRuntime(loaded, { clock, logger: createSilentLogger(), outboxDir: dataDir, env: {}, fetch }, 1);
      const scheduler = createScheduler({ store, clock, logger: createSilentLogger(), runtime: () => runtime, owner: 'idle', mediaRoot: dataDir, alert: () => undefined });
      const alive = throttleLiveness((now) => {
        marks.push(now.toISOString());
        held.touch(now);
      });
      await runScheduleLoop({ scheduler, clock, logger: createSilentLogger(), signal: new AbortController().signal, until: new Date(start.getTime() + 10 * 60_000), maxChunkMs: 30_000, renderAheadMs: () => 600_000, alive });
      expect(marks).toHaveLength(10);
      expect(marks[0]).toBe('2026-12-04T06:00:00.000Z');
      const result = await health([], {}, new Date(start.getTime() + 10 * 60_000));
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ok: .* last alive 2026-12-04T06:09:\d\d\.000Z, \d+ s ago\n$/);
    } finally {
      await store.close();
    }
  });
});

describe('cli/health-command on PostgreSQL (the instances of this host)', () => {
  let store: Store;
  let env: Record<string, string>;
  beforeEach(async () => {
    const database = await createTestDatabase('postgres');
    store = await database.open();
    env = { DATABASE_URL: database.databaseUrl! };
  });
  afterEach(async () => store.close());

  const here = os.hostname();

  it("is healthy while this host's instance beats; a stale beat is not", async () => {
    await registerInstance(store, { id: 'a@here', pid: 7, host: here }, ago(3 * 3_600_000));
    await beat(store, { id: 'a@here', pid: 7, host: here }, ago(3_000), 120_000);
    expect(await health([], env)).toEqual({ code: 0, stdout: `ok: instance a@here (pid 7 on ${here}), last heartbeat 2026-12-04T06:29:57.000Z, 3 s ago\n`, stderr: '' });

    const later = await health([], env, new Date(NOW.getTime() + 6 * 60_000));
    expect(later.code).toBe(1);
    expect(later.stdout).toBe(
      `unhealthy: the freshest instance of this host (${here}) is a@here (pid 7 on ${here}), last heartbeat 2026-12-04T06:29:57.000Z, 6 min ago, more than 5 min: it is frozen or cut off from the database; its log says why\n`,
    );
  });

  it("is unhealthy when this host's instance was judged dead by another, though the deployment lives; --any accepts the other", async () => {
    const mine = { id: 'frozen@here', pid: 7, host: here };
    const other = { id: 'b@elsewhere', pid: 8, host: 'bot-2' };
    await registerInstance(store, mine, ago(60_000));
    await registerInstance(store, other, ago(60_000));
    // The other instance beats on and, 16 s after this one's last beat, removes it (its claims move).
    await beat(store, other, ago(2_000), 120_000);
    expect((await releaseDeadInstances(store, other.id, ago(2_000), 16_000)).map((dead) => dead.id)).toEqual([mine.id]);

    const result = await health([], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^unhealthy: no instance of this host \\(${here.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\) has a heartbeat in PostgreSQL at .*: \`quota-herald run\` is not running here, still starting, or was judged dead by the other instances \\(no beat for ~16 s: frozen, or cut off from the database\\); instances elsewhere: b@elsewhere \\(pid 8 on bot-2\\), last heartbeat 2026-12-04T06:29:58\\.000Z, 2 s ago\\n$`),
    );
    expect(await health(['--any'], env)).toEqual({ code: 0, stdout: 'ok: instance b@elsewhere (pid 8 on bot-2), last heartbeat 2026-12-04T06:29:58.000Z, 2 s ago\n', stderr: '' });
  });

  it('is unhealthy with no instance at all', async () => {
    const result = await health(['--any'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^unhealthy: no instance of the deployment has a heartbeat in PostgreSQL at .*: `quota-herald run` is not running anywhere, .*; no other instance has a heartbeat either\n$/);
  });
});

describe('cli/health-command usage and errors', () => {
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
