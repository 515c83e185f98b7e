/**
 * `run`'s console follows the offices the bot serves, without a restart: a
 * new office folder (or, run from the database, an office imported as a
 * config revision) shows in the office list, its menu and its pages once the
 * bot serves it; a removed folder takes the office off. Over real HTTP, with
 * the bot in this process on the wall clock and its web server on port 0.
 * The same bot also runs the console clean-up (a cron of every second here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles } from '../../src/app/revision-files';
import { createRevision } from '../../src/store/config-revisions';
import { openStore, type Store } from '../../src/store/open';
import { createSession } from '../../src/store/sessions';
import { listUsers } from '../../src/store/users';
import { REPO_ROOT } from '../support/cli';
import { addGlobalAdmin, expectOfficePage, listedOffices, signIn, waitForListed, type ConsoleSession } from '../support/console-http';
import { createTestDatabase } from '../support/databases';
import { officeCalendar, writeFile, writeOfficesConfig } from '../support/offices-fixture';
import { waitFor } from '../support/process';
import { makeTempDir, officeDay, startBot, type RunningBot } from './bot-harness';

const BATAM = { id: 'kanim-batam', name: 'Kantor Imigrasi Batam' };
const BATAM_HERALD = `office:
  name: ${BATAM.name}
  timezone: Asia/Jakarta
channels:
  - { id: instagram, driver: outbox, platform: instagram }
  - { id: x, driver: outbox, platform: x }
`;

/** The three offices of the fixture, their console on a free port. */
function officesWithWeb(): string {
  const configDir = writeOfficesConfig({ opensOn: officeDay(10), serviceDay: officeDay(13) });
  fs.appendFileSync(path.join(configDir, 'herald.yaml'), '  web: { port: 0 }\n');
  return configDir;
}

function addBatam(configDir: string): void {
  writeFile(path.join(configDir, 'offices', BATAM.id, 'herald.yaml'), BATAM_HERALD);
  writeFile(path.join(configDir, 'offices', BATAM.id, 'calendar.yaml'), officeCalendar(officeDay(10), officeDay(13)));
}

async function consoleAddress(bot: RunningBot): Promise<string> {
  return waitFor(() => /"listen":"(http:\/\/127\.0\.0\.1:\d+)","msg":"web server listening/.exec(bot.logs())?.[1], 60_000, () => `the web server to listen\n${bot.logs().slice(-2000)}`);
}

/** An office's dashboard shows its name in the office menu, and its other pages answer. */
async function expectOfficePages(session: ConsoleSession, id: string, name: string): Promise<void> {
  await expectOfficePage(session, id, name);
  expect((await session.get(`/admin/o/${id}/history`)).status).toBe(200);
}

describe('bot: the console follows the offices served', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('from files: a new office folder shows in the list, menu and pages; a removed one goes; expired sessions are cleaned up', async () => {
    const configDir = officesWithWeb();
    const dataDir = makeTempDir('herald-console-offices-');
    dirs.push(configDir, dataDir);
    const store = await openStore({ dataDir });
    try {
      await addGlobalAdmin(store);
      // A session from two days ago, long expired: the clean-up deletes it.
      await createSession(store, (await listUsers(store))[0]!.id, new Date(Date.now() - 2 * 86_400_000));
    } finally {
      await store.close();
    }
    const bot = startBot({ configDir, dataDir, web: true, watchDebounceMs: 50, consoleCleanupCron: '* * * * * *' });
    try {
      const session = await signIn(await consoleAddress(bot));
      expect(await listedOffices(session)).toEqual(['kanim-jayapura', 'kanim-makassar', 'kanim-medan']);
      expect((await session.get(`/admin/o/${BATAM.id}/`)).status).toBe(404);

      addBatam(configDir);
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-makassar', 'kanim-medan'], () => bot.logs().slice(-3000));
      await expectOfficePages(session, BATAM.id, BATAM.name);

      fs.rmSync(path.join(configDir, 'offices', 'kanim-medan'), { recursive: true });
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-makassar'], () => bot.logs().slice(-3000));
      expect((await session.get('/admin/o/kanim-medan/')).status).toBe(404);

      await waitFor(() => /"sessions":1,.*"msg":"console clean-up: expired sessions/.test(bot.logs()), 30_000, () => `the clean-up to delete the expired session\n${bot.logs().slice(-2000)}`);
      // The session signed in above is alive and still works.
      expect((await session.get(`/admin/o/${BATAM.id}/`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  }, 150_000);

  it('from the database (postgres): an office imported as a config revision shows without a restart', async () => {
    const database = await createTestDatabase('postgres');
    const databaseUrl = database.databaseUrl!;
    const files = officesWithWeb();
    addBatam(files);
    const emptyConfig = makeTempDir('herald-console-noconfig-');
    const dataDir = makeTempDir('herald-console-db-');
    dirs.push(files, emptyConfig, dataDir);
    const now = new Date();
    const record = async (store: Store, officeId: string): Promise<void> => {
      const [office] = readOfficeFiles(files, { only: [officeId], now });
      const { problems } = checkRevisionFiles(office!.files, { sourceDir: files, now, officeId, templatesDir: path.join(REPO_ROOT, 'templates') });
      expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect((await createRevision(store, { officeId, parentId: null, author: 'ani', message: 'imported', files: office!.files, problems }, now)).current).toBe(true);
    };
    const store = await database.open();
    let bot: RunningBot | null = null;
    try {
      await addGlobalAdmin(store);
      await record(store, 'kanim-jayapura');
      await record(store, 'kanim-medan');
      bot = startBot({ configDir: emptyConfig, dataDir, databaseUrl, web: true });
      const session = await signIn(await consoleAddress(bot));
      expect(await listedOffices(session)).toEqual(['kanim-jayapura', 'kanim-medan']);

      await record(store, BATAM.id);
      await waitForListed(session, ['kanim-batam', 'kanim-jayapura', 'kanim-medan'], () => bot?.logs().slice(-3000) ?? '');
      await expectOfficePages(session, BATAM.id, BATAM.name);
    } finally {
      await bot?.stop();
      await store.close();
    }
  }, 150_000);
});
