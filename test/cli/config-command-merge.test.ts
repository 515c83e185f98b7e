/**
 * Two people edit the office's config from the same revision (`config export`,
 * edit, `config import`), through the real CLI on a copy of the sample config:
 * edits of different lines are merged (checked, current), edits of the same
 * lines refused with the file and lines, a merge that does not pass the checks
 * kept as invalid; two imports racing in two processes never overwrite each
 * other — on SQLite and on PostgreSQL.
 *
 * The commands run in-process (`main`, support/cli-in-process.ts), except the
 * racing imports: those are two real processes, as two staff members' are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MARKER_FILE } from '../../src/cli/revision-marker';
import { getCurrentRevision, getRevision, listRevisions } from '../../src/store/config-revisions';
import { openStore, type Store } from '../../src/store/open';
import { createTestDatabase, DIALECTS } from '../support/databases';
import { REPO_ROOT, runCli } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';

const OFFICE = 'kanim-pontianak';
const SAMPLE_CALENDAR = fs.readFileSync(path.join(REPO_ROOT, 'config', 'calendar.yaml'), 'utf8');
const SAMPLE_HERALD = fs.readFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), 'utf8');
/** Line 14 of the sample calendar: the weekly opening's quota. */
const WEEKLY_QUOTA = '    quota: { regular: 120, express: 20 }\n';
const NAME = 'name: Kantor Imigrasi Kelas I TPI Pontianak\n';
const CLOSURES = '# Days without service besides national holidays';
/** A one-off opening `tambahan`: valid alone, an error twice (release ids are unique). */
const EXTRA = ['  - id: tambahan', '    opensAt: "2027-02-08 09:00"', '    days:', '      - { date: 2027-02-13, quota: { regular: 50 } } # Saturday', ''].join('\n');

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

async function workspace(
  dialect: (typeof DIALECTS)[number],
): Promise<{ root: string; cli: (args: string[]) => ReturnType<typeof runCli>; spawned: (args: string[]) => ReturnType<typeof runCli>; open: () => Promise<Store> }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-config-merge-'));
  dirs.push(root);
  fs.cpSync(path.join(REPO_ROOT, 'config'), path.join(root, 'config'), { recursive: true });
  const dataDir = path.join(root, 'data');
  const database = dialect === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const env: Record<string, string> = database?.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {};
  return {
    root,
    cli: (args) => runCliInProcess(['--data', dataDir, ...args], { env }),
    spawned: (args) => runCli(['--data', dataDir, ...args], { env }),
    open: () => (database ? database.open() : openStore({ dataDir })),
  };
}

/** Replaces `from` (once; it must be there) in DIR/FILE. */
function edit(dir: string, file: string, from: string, to: string): void {
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(target, text.replace(from, to));
}

/** Copies of an exported directory (its marker included), one per person. */
function copies(root: string, exported: string, ...names: string[]): string[] {
  return names.map((name) => {
    const dir = path.join(root, name);
    fs.cpSync(exported, dir, { recursive: true });
    return dir;
  });
}

const marker = (dir: string): string => fs.readFileSync(path.join(dir, MARKER_FILE), 'utf8');

describe('cli: config import merges or refuses edits made from the same revision', () => {
  it('sqlite: different lines merged and checked, same lines refused with file and lines, an invalid merge kept but not current; the marker follows', async () => {
    const { root, cli, open } = await workspace('sqlite');
    expect((await cli(['config', 'import', path.join(root, 'config')])).code).toBe(0);
    const exported = path.join(root, 'exported');
    expect((await cli(['config', 'export', exported])).code).toBe(0);
    expect(marker(exported)).toMatch(new RegExp(`^${OFFICE} 1$`, 'm'));
    const [ani, budi, carl, dewi] = copies(root, exported, 'ani', 'budi', 'carl', 'dewi') as [string, string, string, string];

    edit(ani, 'calendar.yaml', WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '90'));
    const aniImport = await cli(['config', 'import', ani, '--author', 'ani']);
    expect(aniImport.stdout).toContain('revision 2 (from');
    expect(marker(ani)).toMatch(new RegExp(`^${OFFICE} 2$`, 'm'));

    // budi, from revision 1 too (the marker says so; no --parent): other lines, another file.
    edit(budi, 'herald.yaml', NAME, NAME.replace('Pontianak', 'Kota Pontianak'));
    edit(budi, 'calendar.yaml', CLOSURES, `${EXTRA}\n${CLOSURES}`);
    const budiImport = await cli(['config', 'import', budi, '--author', 'budi', '--message', 'tambahan']);
    expect(budiImport.stderr).toBe('');
    expect(budiImport.code).toBe(0);
    expect(budiImport.stdout).toContain(`office ${OFFICE}: ${budi} (revision 3) was made from revision 1, but revision 2 became current meanwhile; the two changed different lines: merged as revision 4, which is current (merged with revision 2).`);
    expect(budiImport.stdout).toContain(`\`quota-herald config export ${budi}\` writes the merge there`);
    expect(marker(budi)).toMatch(new RegExp(`^${OFFICE} 3$`, 'm'));

    const store = await open();
    try {
      const merged = await getCurrentRevision(store, OFFICE);
      expect(merged).toMatchObject({ id: 4, parentId: 2, author: 'budi', valid: true, message: 'tambahan (revision 3 merged with revision 2)' });
      const expected = SAMPLE_CALENDAR.replace(WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '90')).replace(CLOSURES, `${EXTRA}\n${CLOSURES}`);
      expect(merged!.files['calendar.yaml']!.split('\n')).toEqual(expected.split('\n'));
      expect(merged!.files['herald.yaml']).toBe(SAMPLE_HERALD.replace(NAME, NAME.replace('Pontianak', 'Kota Pontianak')));
      expect(await getRevision(store, 3)).toMatchObject({ parentId: 1, author: 'budi', valid: true });
    } finally {
      await store.close();
    }
    const log = await cli(['config', 'log']);
    expect(log.stdout).toMatch(/^\* +4 +kanim-pontianak +.* budi +valid +tambahan \(revision 3 merged with revision 2\)$/m);
    expect(log.stdout).toMatch(/^ +3 +kanim-pontianak +.* budi +valid +tambahan$/m);

    // carl, from revision 1: the same line as ani.
    edit(carl, 'calendar.yaml', WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '100'));
    const carlImport = await cli(['config', 'import', carl, '--author', 'carl']);
    expect(carlImport.code).toBe(1);
    expect(carlImport.stderr).toContain(`office ${OFFICE}: the change was made from revision 1, but revision 4 (by budi) is current now, and the two changed the same lines; nothing was changed:\n`);
    expect(carlImport.stderr).toContain('\n  calendar.yaml: line 14 of revision 1, changed by both (revision 4: line 14; the change: line 14)\n');
    expect(carlImport.stderr).toContain('To go on: `quota-herald config export DIR` writes revision 4 as files; make the change again there, then `quota-herald config import DIR`.');
    expect(marker(carl)).toMatch(new RegExp(`^${OFFICE} 1$`, 'm'));

    // dewi, from revision 1: a release `tambahan` at the top — clean as text, two releases `tambahan` once merged.
    edit(dewi, 'calendar.yaml', 'releases:\n', `releases:\n${EXTRA}`);
    const dewiImport = await cli(['config', 'import', dewi, '--author', 'dewi']);
    expect(dewiImport.code).toBe(1);
    expect(dewiImport.stderr).toMatch(/^revision 6: calendar\.yaml:\d+:\d+: duplicate release id `tambahan`/m);
    expect(dewiImport.stderr).toContain(`merged, they give revision 6, recorded as invalid (1 error(s)); revision 4 stays current.`);

    const after = await cli(['config', 'log']);
    expect(after.stdout).not.toContain('carl');
    expect(after.stdout).toMatch(/^ +6 +kanim-pontianak +.* dewi +invalid \(1 error\(s\)\) +import .* \(revision 5 merged with revision 4\)$/m);
    expect(after.stdout).toMatch(/^\* +4 /m);

    // budi edits the release he added: made from his revision 3 (the marker), only that edit is new.
    edit(budi, 'calendar.yaml', 'quota: { regular: 50 }', 'quota: { regular: 60 }');
    const again = await cli(['config', 'import', budi, '--author', 'budi']);
    expect(again.stdout).toContain('merged as revision 8, which is current (merged with revision 4)');
    const check = await open();
    try {
      const current = await getCurrentRevision(check, OFFICE);
      expect(current?.files['calendar.yaml']).toBe(SAMPLE_CALENDAR.replace(WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '90')).replace(CLOSURES, `${EXTRA.replace('50', '60')}\n${CLOSURES}`));
    } finally {
      await check.close();
    }
  }, 120_000);

  it.each(DIALECTS)('%s: two imports from the same revision at once, in two processes: one is current first, the other merged or refused, never lost', async (dialect) => {
    const { root, cli, spawned, open } = await workspace(dialect);
    expect((await cli(['config', 'import', path.join(root, 'config')])).code).toBe(0);
    const exported = path.join(root, 'exported');
    expect((await cli(['config', 'export', exported])).code).toBe(0);
    const [ani, budi] = copies(root, exported, 'ani', 'budi') as [string, string];
    edit(ani, 'calendar.yaml', WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '90'));
    edit(budi, 'herald.yaml', NAME, NAME.replace('Pontianak', 'Kota Pontianak'));

    const apart = await Promise.all([spawned(['config', 'import', ani, '--author', 'ani']), spawned(['config', 'import', budi, '--author', 'budi'])]);
    expect(apart.map((run) => run.code)).toEqual([0, 0]);
    expect(apart.filter((run) => run.stdout.includes('merged as revision 4, which is current'))).toHaveLength(1);
    const store = await open();
    try {
      const current = await getCurrentRevision(store, OFFICE);
      expect(current?.id).toBe(4);
      expect(current?.files['calendar.yaml']).toBe(SAMPLE_CALENDAR.replace(WEEKLY_QUOTA, WEEKLY_QUOTA.replace('120', '90')));
      expect(current?.files['herald.yaml']).toBe(SAMPLE_HERALD.replace(NAME, NAME.replace('Pontianak', 'Kota Pontianak')));

      // Both from revision 4, the same line: one goes in first, the other is refused.
      const exported4 = path.join(root, 'exported-4');
      expect((await cli(['config', 'export', exported4])).code).toBe(0);
      const [carl, dewi] = copies(root, exported4, 'carl', 'dewi') as [string, string];
      edit(carl, 'calendar.yaml', WEEKLY_QUOTA.replace('120', '90'), WEEKLY_QUOTA.replace('120', '100'));
      edit(dewi, 'calendar.yaml', WEEKLY_QUOTA.replace('120', '90'), WEEKLY_QUOTA.replace('120', '110'));
      const same = await Promise.all([spawned(['config', 'import', carl, '--author', 'carl']), spawned(['config', 'import', dewi, '--author', 'dewi'])]);
      expect(same.map((run) => run.code).sort()).toEqual([0, 1]);
      const winner = same.findIndex((run) => run.code === 0);
      const loser = same[1 - winner]!;
      expect(loser.stderr).toContain(`calendar.yaml: line 14 of revision 4, changed by both (revision 5: line 14; the change: line 14)`);
      const won = await getCurrentRevision(store, OFFICE);
      expect(won).toMatchObject({ id: 5, parentId: 4, author: ['carl', 'dewi'][winner] });
      expect(won?.files['calendar.yaml']).toContain(WEEKLY_QUOTA.replace('120', ['100', '110'][winner]!));
      expect(await listRevisions(store)).toHaveLength(5);
    } finally {
      await store.close();
    }
  }, 120_000);
});
