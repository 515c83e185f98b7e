/**
 * `config log|show|diff|revert|export|import` through the real CLI, on a copy
 * of the sample config and a SQLite data directory: revisions are recorded,
 * an invalid import is kept but never current (exit 1, FILE:LINE:COL), a
 * revert makes a new revision, and an export loads with `check`.
 *
 * The commands run in-process (`main`, support/cli-in-process.ts); the
 * invalid import also runs as a child process, so the exit status staff's
 * scripts see is proven on the real process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { officeDay } from '../app/bot-harness';
import { REPO_ROOT, runCli } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { setPublicBaseUrl, writeOfficesConfig } from '../support/offices-fixture';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(): { root: string; config: string; cli: (args: string[]) => ReturnType<typeof runCli>; spawned: (args: string[]) => ReturnType<typeof runCli> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-config-cli-'));
  dirs.push(root);
  const config = path.join(root, 'config');
  fs.cpSync(path.join(REPO_ROOT, 'config'), config, { recursive: true });
  // From the repository root, like `check`: the sample's templates are ./templates.
  const data = ['--data', path.join(root, 'data')];
  return { root, config, cli: (args) => runCliInProcess([...data, ...args]), spawned: (args) => runCli([...data, ...args]) };
}

const editCalendar = (config: string, from: string, to: string): void => {
  const file = path.join(config, 'calendar.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
};

describe('cli: config revisions', () => {
  it('import records revisions; an invalid one exits 1 with FILE:LINE:COL, is logged as invalid and never current', async () => {
    const { config, cli, spawned } = workspace();
    const first = await cli(['config', 'import', config, '--author', 'ani', '--message', 'first']);
    expect(first.stderr).toBe('');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('office kanim-pontianak: revision 1');
    expect(first.stdout).toContain('is current');

    editCalendar(config, 'weekday: friday', 'weekday: fryday');
    const bad = await spawned(['config', 'import', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/calendar\\.yaml:\\d+:\\d+: \`weekly\\.weekday\` cannot be \`fryday\``));
    expect(bad.stderr).toContain('revision 2 recorded as invalid');
    expect(bad.stderr).toContain('revision 1 stays current');

    const log = await cli(['config', 'log']);
    expect(log.code).toBe(0);
    const rows = log.stdout.split('\n').filter((line) => /^\*? *\d+ /.test(line));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^ +2 +kanim-pontianak +\S+ \d+ \S+ \d{2}\.\d{2} WIB +cli +invalid \(\d+ error\(s\)\) +import /);
    expect(rows[1]).toMatch(/^\* +1 +kanim-pontianak +.* WIB +ani +valid +first$/);

    const show = await cli(['config', 'show', '2']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('==> calendar.yaml <==');
    expect(show.stdout).toContain('weekday: fryday');
    expect(show.stdout).toMatch(/calendar\.yaml:\d+:\d+: `weekly\.weekday` cannot be `fryday`/);
  }, 60_000);

  it('diff shows the changed lines per file; revert makes a new current revision; usage errors exit 2', async () => {
    const { config, cli } = workspace();
    expect((await cli(['config', 'import', config])).code).toBe(0);
    editCalendar(config, 'quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }');
    expect((await cli(['config', 'import', config, '--message', 'cut'])).code).toBe(0);

    const diff = await cli(['config', 'diff', '1', '2']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('--- a/calendar.yaml\t(revision 1)\n+++ b/calendar.yaml\t(revision 2)\n@@ ');
    expect(diff.stdout).toContain('\n-    quota: { regular: 120, express: 20 }\n+    quota: { regular: 90, express: 20 }\n');
    expect(diff.stdout).not.toContain('herald.yaml');

    const revert = await cli(['config', 'revert', '1', '--author', 'budi']);
    expect(revert.code).toBe(0);
    expect(revert.stdout).toContain('revision 3 (from revision 1) is current');
    const log = await cli(['config', 'log']);
    expect(log.stdout).toMatch(/^\* +3 +kanim-pontianak +.* budi +valid +revert to revision 1$/m);
    expect((await cli(['config', 'diff', '1', '3'])).stdout).toBe('');

    expect((await cli(['config', 'show', '42'])).code).toBe(2);
    expect((await cli(['config', 'diff', 'one', '2'])).code).toBe(2);
    expect((await cli(['config', 'import', path.join(config, 'nope')])).code).toBe(2);
  }, 60_000);

  it('a change of the same lines from a parent that is no longer current is refused (exit 1) and changes nothing', async () => {
    const { config, cli } = workspace();
    expect((await cli(['config', 'import', config])).code).toBe(0);
    editCalendar(config, 'quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }');
    expect((await cli(['config', 'import', config, '--parent', '1', '--author', 'ani'])).code).toBe(0);
    editCalendar(config, 'quota: { regular: 90, express: 20 }', 'quota: { regular: 80, express: 20 }');
    const stale = await cli(['config', 'import', config, '--parent', '1', '--author', 'budi']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('the change was made from revision 1, but revision 2 (by ani) is current now, and the two changed the same lines; nothing was changed:\n  calendar.yaml: line 14 of revision 1, changed by both');
    expect((await cli(['config', 'log'])).stdout).not.toContain('budi');
  }, 60_000);

  it('export writes the current revision as files that `check --config DIR` accepts', async () => {
    const { root, config, cli } = workspace();
    expect((await cli(['config', 'import', config])).code).toBe(0);
    const out = path.join(root, 'exported');
    const exported = await cli(['config', 'export', out]);
    expect(exported.code).toBe(0);
    // Dot files (.env.example here, .env with secrets in a deployment) are never part of a revision.
    const files = fs.readdirSync(config).filter((name) => !name.startsWith('.'));
    // Beside them, the marker of the revision they are (`import` takes it as the files' parent).
    expect(fs.readdirSync(out).sort()).toEqual([...files, '.quota-herald-revision'].sort());
    expect(fs.readFileSync(path.join(out, '.quota-herald-revision'), 'utf8')).toMatch(/^kanim-pontianak 1$/m);
    for (const name of files) expect(fs.readFileSync(path.join(out, name), 'utf8')).toBe(fs.readFileSync(path.join(config, name), 'utf8'));
    const check = await runCliInProcess(['check', '--config', out, '--data', path.join(root, 'check-data')]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  }, 60_000);

  it('many offices: one revision per office (shared files included), a broken office recorded invalid; the export checks clean', async () => {
    const config = writeOfficesConfig({ opensOn: officeDay(10), serviceDay: officeDay(13), broken: 'kanim-jayapura' });
    setPublicBaseUrl(config);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-config-offices-'));
    dirs.push(config, root);
    const cli = (args: string[]): ReturnType<typeof runCli> => runCliInProcess(['--data', path.join(root, 'data'), ...args]);
    const imported = await cli(['config', 'import', config]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(`${config}/offices/kanim-jayapura/herald.yaml:3:13: unknown time zone`);
    expect(imported.stdout).toMatch(/office kanim-makassar: revision \d+ .* is current/);
    expect(imported.stdout).toMatch(/office kanim-medan: revision \d+ .* is current/);
    const log = await cli(['config', 'log', '--office', 'kanim-makassar']);
    expect(log.stdout).toMatch(/^\* +\d+ +kanim-makassar +.* WITA +cli +valid /m);

    const out = path.join(root, 'exported');
    expect((await cli(['config', 'export', out])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'herald.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(config, 'herald.yaml'), 'utf8'));
    expect(fs.readdirSync(path.join(out, 'offices')).sort()).toEqual(['kanim-makassar', 'kanim-medan']);
    const check = await runCliInProcess(['check', '--config', out, '--data', path.join(root, 'check-data')]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  }, 60_000);
});
