/**
 * `serve` follows the offices as `run` does, without a restart: from config
 * files (a new folder shows, an edit that breaks an office keeps it as it
 * was, a removed folder goes), and without files from the database's current
 * revisions (an imported office shows; on PostgreSQL through NOTIFY, polling
 * set to ten minutes). Over real HTTP, serve in this process on port 0. It
 * also runs the console clean-up (a cron of every second here).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { checkRevisionFiles, readOfficeFiles } from '../../src/app/revision-files';
import { resolveContext } from '../../src/cli/context';
import { serveCommand, type ServeOptions } from '../../src/cli/serve-command';
import { systemClock } from '../../src/clock';
import { createRevision } from '../../src/store/config-revisions';
import { openStore, SQLITE_FILE, type Store } from '../../src/store/open';
import { createSession } from '../../src/store/sessions';
import { listUsers } from '../../src/store/users';
import { REPO_ROOT } from '../support/cli';
import { addGlobalAdmin, expectOfficePage, listedOffices, signIn, waitForListed } from '../support/console-http';
import { DIALECTS, useTestStore } from '../support/databases';
import { brokenHerald, OFFICES, officeCalendar, writeFile, writeOfficesConfig } from '../support/offices-fixture';
import { waitFor } from '../support/process';

const TEMPLATES = path.join(REPO_ROOT, 'templates');
const BATAM = { id: 'kanim-batam', name: 'Kantor Imigrasi Batam' };
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The fixture's three offices with the console on a free port, plus Batam when asked. */
function officesWithWeb(withBatam = false): string {
  const configDir = writeOfficesConfig({ opensOn: inDays(10), serviceDay: inDays(13) });
  dirs.push(configDir);
  fs.appendFileSync(path.join(configDir, 'herald.yaml'), '  web: { port: 0 }\n');
  if (withBatam) addBatam(configDir);
  return configDir;
}

function addBatam(configDir: string): void {
  const herald = `office:\n  name: ${BATAM.name}\n  timezone: Asia/Jakarta\nchannels:\n  - { id: instagram, driver: outbox, platform: instagram }\n  - { id: x, driver: outbox, platform: x }\n`;
  writeFile(path.join(configDir, 'offices', BATAM.id, 'herald.yaml'), herald);
  writeFile(path.join(configDir, 'offices', BATAM.id, 'calendar.yaml'), officeCalendar(inDays(10), inDays(13)));
}

const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Starts `serve` on these directories; its address, and how to stop it (resolves with its exit code). */
async function startServe(where: { configDir: string; dataDir: string; databaseUrl?: string }, options: ServeOptions = {}): Promise<{ address: string; stop: () => Promise<number> }> {
  const env = { LOG_LEVEL: 'silent', ...(where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {}) };
  const ctx = resolveContext({ config: where.configDir, data: where.dataDir, templates: TEMPLATES }, { clock: systemClock, env, stdout: quiet(), stderr: quiet(), cwd: REPO_ROOT });
  const signal = new AbortController();
  let address = '';
  const serving = serveCommand(ctx, { ...options, signal: signal.signal, onListening: (listening) => (address = listening) });
  serving.catch(() => undefined); // observed by the wait below or by stop
  await waitFor(() => address || undefined, 30_000, () => 'serve to listen');
  return {
    address,
    stop: async () => {
      signal.abort();
      return serving;
    },
  };
}

/** The ids of the sessions in a SQLite data directory, read beside serve's own connection. */
function sessionCount(dataDir: string): number {
  const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('cli: serve follows the offices', () => {
  it('from files: a new folder shows, a broken edit keeps its office, a removed folder goes; expired sessions are cleaned up', async () => {
    const configDir = officesWithWeb();
    const dataDir = tempDir('herald-serve-files-');
    const store = await openStore({ dataDir });
    try {
      await addGlobalAdmin(store);
      await createSession(store, (await listUsers(store))[0]!.id, new Date(Date.now() - 2 * 86_400_000));
    } finally {
      await store.close();
    }
    const serve = await startServe({ configDir, dataDir }, { watchDebounceMs: 50, consoleCleanupCron: '* * * * * *' });
    try {
      const session = await signIn(serve.address);
      expect(await listedOffices(session)).toEqual(['kanim-jayapura', 'kanim-makassar', 'kanim-medan']);

      addBatam(configDir);
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-makassar', 'kanim-medan']);
      await expectOfficePage(session, BATAM.id, BATAM.name);

      // Jayapura broken first, then Medan's folder removed: once Medan is gone, both edits were read.
      fs.writeFileSync(path.join(configDir, 'offices', 'kanim-jayapura', 'herald.yaml'), brokenHerald(OFFICES[0]));
      fs.rmSync(path.join(configDir, 'offices', 'kanim-medan'), { recursive: true });
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-makassar']);
      expect((await session.get('/admin/o/kanim-medan/')).status).toBe(404);
      await expectOfficePage(session, 'kanim-jayapura', 'Kantor Imigrasi Jayapura');

      // The clean-up: the two-day-old session goes, the one signed in above stays.
      await waitFor(() => sessionCount(dataDir) === 1 || undefined, 30_000, () => `the expired session to be deleted (${sessionCount(dataDir)} sessions)`);
      expect((await session.get('/admin/o/kanim-batam/')).status).toBe(200);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, 90_000);
});

describe.each(DIALECTS)('cli: serve follows the offices of the database (%s)', (dialect) => {
  const db = useTestStore(dialect);

  /** `config import` of one office of `files`: checked, then stored as its current revision. */
  async function importOffice(store: Store, files: string, officeId: string): Promise<void> {
    const now = new Date();
    const [office] = readOfficeFiles(files, { only: [officeId], now });
    const { problems } = checkRevisionFiles(office!.files, { sourceDir: files, now, officeId, templatesDir: TEMPLATES });
    expect((await createRevision(store, { officeId, parentId: null, author: 'ani', message: 'imported', files: office!.files, problems }, now)).current).toBe(true);
  }

  it('an office imported while serve runs shows in the list and its pages', async () => {
    const files = officesWithWeb(true);
    await addGlobalAdmin(db.store);
    await importOffice(db.store, files, 'kanim-jayapura');
    await importOffice(db.store, files, 'kanim-medan');
    const where = { configDir: tempDir('herald-serve-noconfig-'), dataDir: db.database.dataDir ?? tempDir('herald-serve-db-'), ...(db.database.databaseUrl ? { databaseUrl: db.database.databaseUrl } : {}) };
    // PostgreSQL: polling every ten minutes, so only the NOTIFY can make the office show in time.
    const serve = await startServe(where, { followIntervalMs: dialect === 'postgres' ? 600_000 : 100 });
    try {
      const session = await signIn(serve.address);
      expect(await listedOffices(session)).toEqual(['kanim-jayapura', 'kanim-medan']);
      await importOffice(db.store, files, BATAM.id);
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-medan']);
      await expectOfficePage(session, BATAM.id, BATAM.name);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  }, 60_000);
});
