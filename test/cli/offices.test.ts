/**
 * `check`, `plan` and `simulate` on a config of three offices, one of them
 * broken, through the real CLI: the broken office is reported (its problems
 * with file:line:col) and left out, the others are checked and planned, and
 * every line names its office.
 *
 * In-process (`main`, support/cli-in-process.ts) but for two runs that prove
 * the exit status of the real process: a broken office (1), an unknown one (2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { officeDay } from '../app/bot-harness';
import { runCli } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { setPublicBaseUrl, writeOfficesConfig } from '../support/offices-fixture';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function fixture(broken?: string): string {
  // The CLI runs on the real clock: the opening is 10 days from today.
  const dir = writeOfficesConfig({ opensOn: officeDay(10), serviceDay: officeDay(13), ...(broken ? { broken } : {}) });
  dirs.push(dir);
  return dir;
}

const RANGE = ['--from', `${officeDay(8)}T00:00+07:00`, '--to', `${officeDay(12)}T00:00+07:00`];

describe('cli: many offices', () => {
  it('plan: the broken office is reported and left out (exit 1), the others are planned, each line names its office', async () => {
    const dir = fixture('kanim-jayapura');
    const run = await runCliInProcess(['--config', dir, 'plan', ...RANGE], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[kanim-jayapura] offices/kanim-jayapura/herald.yaml:3:13: unknown time zone `Asia/Jayapuraa`');
    expect(run.stderr).toContain('[kanim-jayapura] office kanim-jayapura left out: 1 error(s)');
    const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.every((line) => /^\[kanim-(makassar|medan)\] /.test(line))).toBe(true);
    // Two rules × two channels for each office; times in each office's own zone.
    expect(lines.filter((line) => /^\[kanim-makassar\] .*kanim-makassar\/x +h-1/.test(line))).toHaveLength(1);
    expect(run.stdout).toContain('[kanim-makassar] 4 post(s) from');
    expect(run.stdout).toContain('(Asia/Makassar)');
    expect(run.stdout).toContain('[kanim-medan] 4 post(s) from');
    expect(run.stdout).toMatch(/^\[kanim-medan\] [^\n]* 10\.00 WIB +[^\n]* kanim-medan\/x +opening/m);
    expect(run.stdout).toMatch(/^\[kanim-makassar\] [^\n]* 10\.00 WITA +[^\n]* kanim-makassar\/x +opening/m);
  });

  it('plan --office: only that office; --json: one array naming each office; an unknown office is a usage error (exit 2)', async () => {
    const dir = fixture('kanim-jayapura');
    const one = await runCliInProcess(['--config', dir, 'plan', '--office', 'kanim-medan', ...RANGE], { cwd: dir });
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(one.stdout).toContain('[kanim-medan] 4 post(s)');
    expect(one.stdout).not.toContain('makassar');

    const json = await runCliInProcess(['--config', dir, 'plan', '--json', ...RANGE], { cwd: dir });
    const posts = JSON.parse(json.stdout) as { office: string; channel: string }[];
    expect([...new Set(posts.map((p) => p.office))].sort()).toEqual(['kanim-makassar', 'kanim-medan']);
    expect(posts.every((p) => p.channel.startsWith(`${p.office}/`))).toBe(true);

    const unknown = await runCli(['--config', dir, 'plan', '--office', 'kanim-bogor'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown office "kanim-bogor": use one of kanim-jayapura, kanim-makassar, kanim-medan');
  });

  it('check: the good offices are rendered and checked, the broken one reported; all good → exit 0', async () => {
    const dir = fixture('kanim-jayapura');
    const withBroken = await runCli(['--config', dir, 'check', '--days', '20'], { cwd: dir, env: { TZ: 'UTC' } });
    expect(withBroken.code).toBe(1);
    expect(withBroken.stderr).toContain('[kanim-jayapura] offices/kanim-jayapura/herald.yaml:3:13:');
    expect(withBroken.stdout).toMatch(/^\[kanim-makassar\] checked \d+ post\(s\) on 2 channel\(s\)/m);
    expect(withBroken.stdout).toMatch(/^\[kanim-medan\] checked \d+ post\(s\) on 2 channel\(s\)/m);
    expect(withBroken.stdout).not.toContain('[kanim-jayapura] checked');

    const good = fixture();
    const clean = await runCliInProcess(['--config', good, 'check', '--days', '20', '--office', 'kanim-jayapura'], { cwd: good });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^\[kanim-jayapura\] checked \d+ post\(s\)/m);
  });

  it("check: each office's daily caps count only its own posts; an office's own cap overrides the shared default", async () => {
    const dir = fixture();
    // Every office posts twice on X within 24 h (h-1 at 19.00, the opening at 10.00): six on X in all.
    fs.appendFileSync(path.join(dir, 'herald.yaml'), '  dailyCaps: { x: 2 }\n');
    fs.appendFileSync(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'), 'settings:\n  dailyCaps: { x: 1 }\n');
    const run = await runCliInProcess(['--config', dir, 'check', '--days', '20'], { cwd: dir });
    expect(run.code).toBe(1);
    const capLines = run.stderr.split('\n').filter((line) => line.includes('daily cap'));
    expect(capLines).toEqual([expect.stringMatching(/^\[kanim-medan\] channel kanim-medan\/x: 2 posts in the 24 hours from .*, over the channel's daily cap of 1 /)]);
    expect(run.stdout).toMatch(/^\[kanim-makassar\] checked \d+ post\(s\) on 2 channel\(s\) over the next 20 day\(s\): 0 error\(s\)/m);
    expect(run.stdout).toMatch(/^\[kanim-medan\] checked \d+ post\(s\) on 2 channel\(s\) over the next 20 day\(s\): 1 error\(s\)/m);
  });

  it('check: a deployment-wide setting in an office file is a warning at its line, and the office is still checked', async () => {
    const dir = fixture();
    setPublicBaseUrl(dir); // the only warning is then the office's replanCron
    fs.appendFileSync(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'), 'settings:\n  replanCron: "*/5 * * * *"\n');
    const run = await runCliInProcess(['--config', dir, 'check', '--days', '20', '--office', 'kanim-medan'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("offices/kanim-medan/herald.yaml:8:3: warning: settings.replanCron is deployment-wide (one re-plan timer re-reads and re-plans every office): this office's value is ignored.");
    expect(run.stdout).toMatch(/^\[kanim-medan\] checked \d+ post\(s\) on 2 channel\(s\) over the next 20 day\(s\): 0 error\(s\), 1 warning\(s\)/m);
  });

  it('simulate: the good offices run together into one outbox, each record naming its office', async () => {
    const dir = fixture('kanim-jayapura');
    const out = path.join(dir, 'sim');
    // The morning of the opening: the opening posts of both offices (10.00 WITA is 09.00 WIB).
    const run = await runCliInProcess(['--config', dir, 'simulate', '--from', `${officeDay(10)}T00:00+07:00`, '--to', `${officeDay(10)}T12:00+07:00`, '--out', out], { cwd: dir });
    expect(run.stderr).toContain('[kanim-jayapura] office kanim-jayapura left out');
    expect(run.code).toBe(1);
    const records = fs.readFileSync(path.join(out, 'outbox.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { office: string; channel: string });
    expect(records.map((r) => r.office).sort()).toEqual(['kanim-makassar', 'kanim-makassar', 'kanim-medan', 'kanim-medan']);
    expect(records.every((r) => r.channel.startsWith(`${r.office}/`))).toBe(true);
    expect(run.stdout).toMatch(/^kanim-makassar +[^\n]*10\.00 WITA +kanim-makassar\/x +opening/m);
    expect(run.stdout).toMatch(/^kanim-medan +[^\n]*10\.00 WIB +kanim-medan\/x +opening/m);
  }, 60_000);

  it('status --office: that office only; an unknown office is a usage error (exit 2)', async () => {
    const dir = fixture();
    const data = path.join(dir, 'data');
    const unknown = await runCliInProcess(['--config', dir, '--data', data, 'status', '--office', 'kanim-bogor'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown office "kanim-bogor"');
    const one = await runCliInProcess(['--config', dir, '--data', data, 'status', '--office', 'kanim-medan'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^office kanim-medan:\nledger: empty/);
  });
});
