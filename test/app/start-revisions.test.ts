/**
 * What `run` starts from (app/start-config.ts):
 * - files that differ from the office's current revision: the newer side wins,
 *   and the log says so — a revision made after the files were last modified
 *   runs and the files are left alone; files modified after it run and become
 *   a new revision (author files);
 * - no config directory at all: every office runs its current revision from the
 *   database (shared defaults and office template overrides included), an office
 *   imported later is served too, `status` works, `plan` says what to do;
 * - neither files nor revisions: a clear message, nothing created.
 * The bot runs in this process (bot-harness); so do the CLI commands
 * (support/cli-in-process.ts), but for `run` itself, a real process.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { newestModified } from '../../src/app/start-config';
import { hasConfigFiles } from '../../src/config/load-offices';
import { createRevision, getCurrentRevision, listRevisions } from '../../src/store/config-revisions';
import { openStore, SQLITE_FILE, type Store } from '../../src/store/open';
import { REPO_ROOT, runCli } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { createTestDatabase } from '../support/databases';
import { officeCalendar, officeHerald, OVERRIDE_MARKER, SHARED_HERALD, writeFile, writeOfficesConfig } from '../support/offices-fixture';
import { waitFor } from '../support/process';
import { heraldYaml, LedgerReader, makeBotDirs, makeTempDir, officeDay, startBot, waitForAnnounced } from './bot-harness';

const OFFICE = 'kanim-pontianak';
const TEMPLATES = path.join(REPO_ROOT, 'templates');

function calendarYaml(regular: number): string {
  return ['releases:', '  - id: edit', `    opensAt: "${officeDay(10)} 10:00"`, '    days:', `      - { date: ${officeDay(13)}, quota: { regular: ${regular}, express: 5 } }`, ''].join('\n');
}

/** Sets every file's modification time below `dir` to `at`. */
function touchAll(dir: string, at: Date): void {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) touchAll(file, at);
    else fs.utimesSync(file, at, at);
  }
}

/** Rows of the ledger per office: [office, state, rendered_json] (SQLite, read-only). */
function posts(dataDir: string): { office_id: string; state: string; rule_id: string; rendered_json: string | null }[] {
  if (!fs.existsSync(path.join(dataDir, SQLITE_FILE))) return [];
  const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE), { readonly: true });
  try {
    return db.prepare("SELECT office_id, state, rule_id, rendered_json FROM posts WHERE state <> 'superseded'").all() as ReturnType<typeof posts>;
  } catch {
    return [];
  } finally {
    db.close();
  }
}

describe('app/start-config: which files count', () => {
  it("an office's files are the shared ones and its own folder; files outside the config directory are in no revision", () => {
    const at = (minute: number): Date => new Date(Date.UTC(2026, 11, 4, 5, minute));
    const content = {
      hash: 'x',
      files: [
        { file: '/c/herald.yaml', modifiedAt: at(1), sha256: '' },
        { file: '/c/offices/kanim-a/calendar.yaml', modifiedAt: at(2), sha256: '' },
        { file: '/c/offices/kanim-b/calendar.yaml', modifiedAt: at(9), sha256: '' },
        { file: '/templates/captions/h-1.hbs', modifiedAt: at(30), sha256: '' },
      ],
    };
    expect(newestModified(content, '/c', 'kanim-a')).toEqual(at(2));
    expect(newestModified(content, '/c/', 'kanim-b')).toEqual(at(9));
    expect(newestModified(content, '/c', null)).toEqual(at(9));
    expect(newestModified(content, '/elsewhere', null)).toBeNull();
  });

  it('a config directory that is missing, empty, or holds only dot files has no config', () => {
    const root = makeTempDir('herald-has-config-');
    try {
      expect(hasConfigFiles(path.join(root, 'absent'))).toBe(false);
      expect(hasConfigFiles(root)).toBe(false);
      fs.writeFileSync(path.join(root, '.env'), 'X=1\n');
      expect(hasConfigFiles(root)).toBe(false);
      fs.writeFileSync(path.join(root, 'herald.yaml'), '');
      expect(hasConfigFiles(root)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('bot: what run starts from', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('files against the current revision at start: the newer wins, and the log says which', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-start-', dirs);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(calendarFile, calendarYaml(100));
    const ledger = new LedgerReader(dataDir);
    let store: Store | undefined;
    try {
      const first = startBot({ configDir, dataDir, watch: false });
      await waitForAnnounced(ledger, 'edit', 100, 'the first start', first.logs);
      await waitFor(() => first.logs().includes('recorded from the files'), 30_000, () => first.logs());
      await first.stop();
      ledger.close();

      // While no bot runs, another writer makes a revision; the files are older than it.
      store = await openStore({ dataDir });
      const [fromFiles] = await listRevisions(store, { officeId: OFFICE });
      const other = await createRevision(store, { officeId: OFFICE, parentId: fromFiles!.id, author: 'ani', message: 'cut quota', files: { 'herald.yaml': heraldYaml(), 'calendar.yaml': calendarYaml(70) }, problems: [] }, new Date());
      touchAll(configDir, new Date(other.revision.createdAt.getTime() - 3_600_000));

      const second = startBot({ configDir, dataDir, watch: false });
      await waitForAnnounced(ledger, 'edit', 70, 'the start with older files', second.logs);
      await second.stop();
      ledger.close();
      expect(second.logs()).toContain(`office ${OFFICE}: its current revision ${other.revision.id} (by ani, ${other.revision.createdAt.toISOString()}) is newer than its files`);
      expect(second.logs()).toContain('the revision runs and the files are left as they are');
      expect(fs.readFileSync(calendarFile, 'utf8')).toBe(calendarYaml(100));
      expect((await listRevisions(store, { officeId: OFFICE })).map((r) => r.author)).toEqual(['ani', 'files']);

      // The files edited after that revision: they are newer, run, and become a revision made from it.
      fs.writeFileSync(calendarFile, calendarYaml(50));
      const third = startBot({ configDir, dataDir, watch: false });
      await waitForAnnounced(ledger, 'edit', 50, 'the start with newer files', third.logs);
      await waitFor(() => third.logs().includes('recorded from the files'), 30_000, () => third.logs());
      await third.stop();
      expect(third.logs()).toContain(`office ${OFFICE}: its files (last modified`);
      expect(third.logs()).toContain(`differ from its current revision ${other.revision.id} (by ani, ${other.revision.createdAt.toISOString()}) and are newer: the files run and become a new revision (author files)`);
      expect(await getCurrentRevision(store, OFFICE)).toMatchObject({ author: 'files', parentId: other.revision.id, message: 'loaded at start' });
    } finally {
      ledger.close();
      await store?.close();
    }
  }, 120_000);

  it('no config directory: every office runs its current revision; a new office imported later is served; status works, plan says what to do', async () => {
    const configDir = writeOfficesConfig({ opensOn: officeDay(3), serviceDay: officeDay(6) });
    // Rendered ahead, so the cards show which templates each office ran with.
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), SHARED_HERALD.replace('settings:\n  horizonDays: 35', 'settings:\n  horizonDays: 35\n  renderAheadMinutes: 14400'));
    const dataDir = makeTempDir('herald-from-db-');
    const absent = path.join(makeTempDir('herald-no-config-'), 'config');
    dirs.push(configDir, dataDir, path.dirname(absent));
    const cli = (args: string[]): ReturnType<typeof runCli> => runCliInProcess(['--templates', TEMPLATES, '--data', dataDir, ...args], { env: { DATABASE_URL: '' } });

    const imported = await cli(['config', 'import', configDir, '--author', 'ani']);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    const bot = startBot({ configDir: absent, dataDir });
    try {
      const byOffice = (): Map<string, number> => {
        const counts = new Map<string, number>();
        for (const row of posts(dataDir)) if (row.state === 'ready') counts.set(row.office_id, (counts.get(row.office_id) ?? 0) + 1);
        return counts;
      };
      await waitFor(() => ['kanim-jayapura', 'kanim-makassar', 'kanim-medan'].every((office) => byOffice().get(office) === 4), 60_000, () => `every office planned and rendered: ${JSON.stringify([...byOffice()])}\n${bot.logs().slice(-3000)}`);
      expect(bot.logs()).toContain('office kanim-medan runs its current config revision 3 (by ani) from the database');
      // Makassar's own caption (offices/kanim-makassar/templates/) came with its revision.
      const makassarH1 = posts(dataDir).filter((row) => row.office_id === 'kanim-makassar' && row.rule_id === 'h-1');
      expect(makassarH1).toHaveLength(2);
      expect(makassarH1.every((row) => row.rendered_json?.includes(OVERRIDE_MARKER))).toBe(true);
      expect(posts(dataDir).filter((row) => row.office_id === 'kanim-medan').some((row) => row.rendered_json?.includes(OVERRIDE_MARKER))).toBe(false);
      expect(fs.existsSync(absent)).toBe(false);

      // An office that did not exist: imported, then served without a restart.
      const withAmbon = makeTempDir('herald-ambon-');
      dirs.push(withAmbon);
      fs.cpSync(configDir, withAmbon, { recursive: true });
      const ambon = { id: 'kanim-ambon', name: 'Kantor Imigrasi Ambon', zone: 'Asia/Jayapura' } as unknown as Parameters<typeof officeHerald>[0];
      writeFile(path.join(withAmbon, 'offices', 'kanim-ambon', 'herald.yaml'), officeHerald(ambon));
      writeFile(path.join(withAmbon, 'offices', 'kanim-ambon', 'calendar.yaml'), officeCalendar(officeDay(3), officeDay(6)));
      expect(await cli(['config', 'import', withAmbon, '--office', 'kanim-ambon'])).toMatchObject({ code: 0 });
      await waitFor(() => byOffice().get('kanim-ambon') === 4, 60_000, () => `the new office served: ${JSON.stringify([...byOffice()])}\n${bot.logs().slice(-3000)}`);
      expect(bot.logs()).toContain('now running config revision 4 of office kanim-ambon (by cli)');

      const status = await cli(['--config', absent, 'status']);
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(`no config files in ${absent}: the offices run from their current config revisions in the database`);
      expect(status.stdout).toContain('config revisions running: kanim-ambon 4, kanim-jayapura 1, kanim-makassar 2, kanim-medan 3');
      // Each office's posts in its own zone, read from its revision.
      expect(status.stdout).toMatch(/kanim-medan +\S+ \d+ \S+ \d{2}\.\d{2} WIB/);
      expect(status.stdout).toMatch(/kanim-makassar +\S+ \d+ \S+ \d{2}\.\d{2} WITA/);
      expect((await cli(['--config', absent, 'status', '--office', 'kanim-nowhere'])).stderr).toContain('unknown office "kanim-nowhere"');

      const plan = await cli(['--config', absent, 'plan']);
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain(`no config files in ${absent}`);
      expect(plan.stderr).toContain('quota-herald config export DIR');
    } finally {
      await bot.stop();
    }
  }, 180_000);

  it('neither config files nor revisions: a clear message, and no ledger created', async () => {
    const root = makeTempDir('herald-nothing-');
    dirs.push(root);
    fs.mkdirSync(path.join(root, 'config'));
    const run = await runCli(['--config', path.join(root, 'config'), '--data', path.join(root, 'data'), 'run'], { env: { DATABASE_URL: '' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: nothing to run: ${path.join(root, 'config')} has no config files, and there is no SQLite ledger ${path.join(root, 'data', SQLITE_FILE)} with config revisions.`);
    expect(run.stderr).toContain('quota-herald config import DIR');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(root, 'data', SQLITE_FILE))).toBe(false);

    // PostgreSQL: the database is there, without revisions.
    const database = await createTestDatabase('postgres');
    const bot = startBot({ configDir: path.join(root, 'config'), dataDir: path.join(root, 'data'), databaseUrl: database.databaseUrl! });
    await expect(bot.done).rejects.toThrow(/^nothing to run: .* has no config files, and PostgreSQL at .* has no current config revision\./);
  }, 60_000);
});
