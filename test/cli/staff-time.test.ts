/**
 * What staff read from the CLI is office-local time with its zone
 * (`Jum 4 Des 14.00 WIB`), for Indonesian zones and others; --json keeps ISO.
 * The real CLI in-process on a virtual clock, over a real SQLite ledger.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ALERTS_KEY, type StoredAlert } from '../../src/app/alert-sink';
import { CONFIG_STATUS_KEY, INSTANCE_STATUS_KEY } from '../../src/app/bot';
import { createVirtualClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { acquireDataDirLock, LOCK_FILE } from '../../src/store/lock';
import { openStore } from '../../src/store/open';
import { syncPlan } from '../../src/store/ledger';
import { setRuntimeStatus } from '../../src/store/runtime-status';
import { REPO_ROOT } from '../support/cli';
import { at, buildPost } from '../store/post-builder';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const NOW = at('2026-12-04T06:30:00Z');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-staff-time-'));
  fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'templates'), path.join(dir, 'templates'), { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The sample office moved to `zone`. */
function officeIn(zone: string): string {
  const file = path.join(dir, 'config', 'herald.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('timezone: Asia/Pontianak');
  fs.writeFileSync(file, text.replace('timezone: Asia/Pontianak', `timezone: ${zone}`));
  return path.join(dir, 'config');
}

/** A ledger with one post due 07:00 UTC on Friday 4 December 2026, an alert, a heartbeat and a config load. */
async function ledger(instance: Record<string, unknown> = {}): Promise<string> {
  const dataDir = path.join(dir, 'data');
  const store = await openStore({ dataDir });
  try {
    const post = buildPost({ n: 1, dueAt: at('2026-12-04T07:00:00Z'), deadline: at('2026-12-04T08:00:00Z') });
    await syncPlan(store, [post], { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-08T00:00:00Z') }, at('2026-12-04T06:00:00Z'));
    const alert: StoredAlert = { kind: 'auth', message: 'X refused the token; posts due from 2026-12-04T07:00:00.000Z wait', postId: null, at: '2026-12-04T06:20:00.000Z' };
    await setRuntimeStatus(store, ALERTS_KEY, [alert]);
    await setRuntimeStatus(store, CONFIG_STATUS_KEY, { ok: true, loadedAt: '2026-12-04T06:00:00.000Z', problems: [] });
    await setRuntimeStatus(store, INSTANCE_STATUS_KEY, { pid: 4242, owner: 'test', heartbeatAt: '2026-12-04T06:29:50.000Z', ...instance });
  } finally {
    await store.close();
  }
  return dataDir;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', ...args], { clock: createVirtualClock(NOW), env: {}, stdout, stderr, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('cli: staff read office-local time', () => {
  it.each([
    // zone, the post's due time, the heartbeat, the config load, the alert's time
    ['Asia/Pontianak', 'Jum 4 Des 14.00 WIB', 'Jum 4 Des 13.29 WIB', 'Jum 4 Des 13.00 WIB', 'Jum 4 Des 13.20 WIB'],
    ['Asia/Makassar', 'Jum 4 Des 15.00 WITA', 'Jum 4 Des 14.29 WITA', 'Jum 4 Des 14.00 WITA', 'Jum 4 Des 14.20 WITA'],
    ['Asia/Jayapura', 'Jum 4 Des 16.00 WIT', 'Jum 4 Des 15.29 WIT', 'Jum 4 Des 15.00 WIT', 'Jum 4 Des 15.20 WIT'],
    ['Europe/Berlin', 'Jum 4 Des 08.00 CET', 'Jum 4 Des 07.29 CET', 'Jum 4 Des 07.00 CET', 'Jum 4 Des 07.20 CET'],
  ])('status of an office in %s', async (zone, due, heartbeat, loaded, raised) => {
    const configDir = officeIn(zone);
    const dataDir = await ledger();
    const result = await cli(['status', '--config', configDir, '--data', dataDir]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`last heartbeat: ${heartbeat} (pid 4242)`);
    expect(lines).toContain(`config: ok (loaded ${loaded})`);
    const upcoming = lines.slice(lines.indexOf('upcoming:') + 1, lines.indexOf('upcoming:') + 4);
    expect(upcoming[0]).toMatch(new RegExp(`^time \\(${zone.replace('/', '\\/')}\\) +state +channel`));
    expect(upcoming[2]).toMatch(new RegExp(`^${due} +planned +x +h-60 +rel-1 +post-1$`));
    expect(lines).toContain(`  ${raised} auth: X refused the token; posts due from ${due} wait`);
    expect(result.stdout).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('status --json keeps ISO 8601', async () => {
    const dataDir = await ledger();
    const result = await cli(['status', '--json', '--config', officeIn('Asia/Makassar'), '--data', dataDir]);
    const parsed = JSON.parse(result.stdout) as { upcoming: { dueAt: string; deadline: string }[]; alerts: StoredAlert[]; instance: { heartbeatAt: string } };
    expect(parsed.upcoming[0]).toMatchObject({ dueAt: '2026-12-04T07:00:00.000Z', deadline: '2026-12-04T08:00:00.000Z' });
    expect(parsed.alerts[0]!.at).toBe('2026-12-04T06:20:00.000Z');
    expect(parsed.instance.heartbeatAt).toBe('2026-12-04T06:29:50.000Z');
  });

  it('plan and check name due times in the office zone, with the year when it is not this year', async () => {
    const configDir = officeIn('Asia/Jayapura');
    const plan = await cli(['plan', '--config', configDir, '--from', '2026-12-31T00:00', '--to', '2027-01-02T00:00']);
    expect(plan.stdout.split('\n')[0]).toBe('2 post(s) from Kam 31 Des 00.00 WIT to Sab 2 Jan 2027 00.00 WIT (Asia/Jayapura)');

    const week = await cli(['plan', '--config', configDir, '--from', '2026-12-01T00:00', '--to', '2026-12-05T00:00']);
    expect(week.stdout).toMatch(/^Kam 3 Des 19\.00 WIT {2}Jum 4 Des 14\.00 WIT {2}x +h-1 +announcement/m);

    const check = await cli(['check', '--config', configDir, '--days', '7']);
    expect(check.stdout).toMatch(/^next post: \w+ \(x, weekly, Min 6 Des 18\.00 WIT\)$/m);
  });

  it('run on a data directory another run holds names the holder and when it started, in office time', async () => {
    const configDir = officeIn('Asia/Makassar');
    const dataDir = path.join(dir, 'data');
    const holder = acquireDataDirLock(dataDir, { pid: process.pid, command: 'run' });
    try {
      const started = at('2026-12-04T05:45:00Z');
      fs.utimesSync(path.join(dataDir, LOCK_FILE), started, started);
      const result = await cli(['run', '--config', configDir, '--data', dataDir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`error: Another quota-herald (pid ${process.pid}, started Jum 4 Des 13.45 WITA, \`run\`) is running on ${dataDir}. Stop it first, or point --data at another directory.\n`);
    } finally {
      holder.release();
    }
  });

  it('simulate shows what went wrong during the run in office time', async () => {
    const configDir = officeIn('Asia/Pontianak');
    // Over X's 280 characters: the opening post on X cannot render and expires at its deadline, 10 minutes after opening.
    // (The opening, not h-1, with a deadline closer than the default hour: until its deadline the run re-tries every
    // 5 virtual seconds, each a render; h-1's deadline is 19 hours away.)
    const herald = path.join(configDir, 'herald.yaml');
    const opening = '    when: { atOpening: true }\n';
    expect(fs.readFileSync(herald, 'utf8')).toContain(opening);
    fs.writeFileSync(herald, fs.readFileSync(herald, 'utf8').replace(opening, `${opening}    deadlineMinutesAfterOpening: 10\n`));
    fs.appendFileSync(path.join(dir, 'templates', 'captions', 'opening.x.hbs'), `\n${'Antre ya. '.repeat(40)}\n`);
    const result = await cli(['simulate', '--config', configDir, '--from', '2026-12-04', '--to', '2026-12-05', '--out', path.join(dir, 'sim')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^warning: render-failed at Jum 4 Des 13\.50 WIB: cannot render \w+ \(x, opening, due Jum 4 Des 14\.00 WIB\): caption is \d+ characters/m);
    expect(result.stderr).toMatch(/^warning: expired at Jum 4 Des 14\.10 WIB: \w+ \(x, opening, due Jum 4 Des 14\.00 WIB\) could not go out before its deadline Jum 4 Des 14\.10 WIB and expired/m);
    expect(result.stderr).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  describe('status when the config cannot be read', () => {
    /** The sample office with a misspelt zone (herald.yaml line 4, col 13). */
    function brokenConfig(): string {
      return officeIn('Asia/Pontianack');
    }

    it('shows times in the zone the running bot recorded, and says why', async () => {
      const dataDir = await ledger({ zone: 'Asia/Makassar' });
      const result = await cli(['status', '--config', brokenConfig(), '--data', dataDir]);
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('times in Asia/Makassar, the zone the running bot recorded: the config could not be read (1 problem); `quota-herald check` lists every problem:');
      expect(lines[1]).toMatch(/^ {2}config\/herald\.yaml:\d+:\d+: .*Asia\/Pontianack/);
      expect(lines).toContain('last heartbeat: Jum 4 Des 14.29 WITA (pid 4242)');
      expect(result.stdout).toMatch(/^Jum 4 Des 15\.00 WITA +planned +x +h-60/m);
    });

    it('says plainly that times are UTC when no running bot recorded a zone, with the config error and what to do', async () => {
      const dataDir = await ledger();
      const result = await cli(['status', '--config', brokenConfig(), '--data', dataDir]);
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('times are UTC: the config could not be read (1 problem), so the office zone is unknown; fix it and status shows office time again (`quota-herald check` lists every problem):');
      expect(lines[1]).toMatch(/^ {2}config\/herald\.yaml:\d+:\d+: .*Asia\/Pontianack/);
      expect(lines).toContain('last heartbeat: Jum 4 Des 06.29 UTC (pid 4242)');
    });
  });
});
