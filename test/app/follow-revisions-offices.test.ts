/**
 * Many offices follow the current config revision (issue 8 §2): a `config
 * import` of one office — made by another writer, not by editing the files a
 * bot reads — is run by every instance, that office alone is re-planned, once
 * for the whole cluster (job_runs), and the other offices' ledger rows are not
 * touched. On SQLite the bot finds it by polling; on PostgreSQL by LISTEN/NOTIFY
 * (polling set to ten minutes, so nothing else could find it), also after a
 * real PostgreSQL restart.
 *
 * Posts are rendered ahead (renderAheadMinutes of ten days) so that a needless
 * re-plan shows in the ledger: a re-plan puts every rendered card back to
 * `planned`, to be drawn again, and bumps updated_at.
 *
 * The bots run in this process (bot-harness), and so does the other writer's
 * `config import` (support/cli-in-process.ts): its own store connection, as
 * a separate process would have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openStore, type Store } from '../../src/store/open';
import { REPO_ROOT, type CliRun } from '../support/cli';
import { runCliInProcess } from '../support/cli-in-process';
import { createTestDatabase } from '../support/databases';
import { officeCalendar, SHARED_HERALD, writeOfficesConfig } from '../support/offices-fixture';
import { startPrivatePostgres } from '../support/private-postgres';
import { sleep } from '../support/process';
import { makeTempDir, officeDay, startBot, type RunningBot } from './bot-harness';

const MEDAN = 'kanim-medan';
const OTHERS = ['kanim-jayapura', 'kanim-makassar'];
/** Polling "off": only a NOTIFY can make a PostgreSQL instance switch within the test. */
const NO_POLLING_MS = 600_000;
/** SQLite has no NOTIFY: the bot polls (every 2 s by default; quicker here, the test waits on it). */
const SQLITE_POLLING_MS = 300;
const SHARED_RENDERING_AHEAD = SHARED_HERALD.replace('settings:\n  horizonDays: 35', 'settings:\n  horizonDays: 35\n  renderAheadMinutes: 14400');

interface Row {
  id: string;
  revision: number;
  office_id: string;
  state: string;
  updated_at: number;
  facts_json: string;
}

async function rows(store: Store): Promise<Row[]> {
  const found = await store.db.selectFrom('posts').select(['id', 'revision', 'office_id', 'state', 'updated_at', 'facts_json']).orderBy('id').orderBy('revision').execute();
  return found.map((row) => ({ ...row, revision: Number(row.revision), updated_at: Number(row.updated_at) }));
}

const regularCounts = (row: Row): number[] =>
  ((JSON.parse(row.facts_json) as { release?: { days: { quota: Record<string, number> }[] } }).release?.days ?? []).map((day) => day.quota.regular ?? -1);

async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: () => string | Promise<string>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined); // tables being created at start
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${await what()}`);
    await sleep(100);
  }
}

/** Every office's posts (two rules × two channels) rendered ahead. */
const allReady = async (store: Store): Promise<boolean> => {
  const all = await rows(store);
  return all.length === 12 && all.every((row) => row.state === 'ready');
};

/** Medan's current posts show `regular` and are rendered again. */
const medanRendered = async (store: Store, regular: number): Promise<boolean> => {
  const medan = (await rows(store)).filter((row) => row.office_id === MEDAN && row.state !== 'superseded');
  return medan.length === 4 && medan.every((row) => row.state === 'ready' && regularCounts(row).every((count) => count === regular));
};

const othersRows = async (store: Store): Promise<Row[]> => (await rows(store)).filter((row) => OTHERS.includes(row.office_id));

/** The three offices over shared defaults that render ten days ahead. */
function officesConfig(): string {
  const configDir = writeOfficesConfig({ opensOn: officeDay(3), serviceDay: officeDay(6) });
  fs.writeFileSync(path.join(configDir, 'herald.yaml'), SHARED_RENDERING_AHEAD);
  return configDir;
}

/** A copy of `configDir` with Medan's quota changed: what another writer imports. */
function editedCopy(configDir: string, regular: number, dirs: string[]): string {
  const copy = makeTempDir('herald-follow-edit-');
  dirs.push(copy);
  fs.cpSync(configDir, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, 'offices', MEDAN, 'calendar.yaml'), officeCalendar(officeDay(3), officeDay(6), regular));
  return copy;
}

/** `config import DIR --office kanim-medan` through the real CLI; the new revision's id. */
async function importMedan(dir: string, store: { dataDir?: string; databaseUrl?: string }): Promise<number> {
  const args = ['--templates', path.join(REPO_ROOT, 'templates'), ...(store.dataDir ? ['--data', store.dataDir] : []), 'config', 'import', dir, '--office', MEDAN, '--author', 'ani'];
  const result: CliRun = await runCliInProcess(args, { env: { DATABASE_URL: store.databaseUrl ?? '' } });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const id = /office kanim-medan: revision (\d+) .* is current/.exec(result.stdout)?.[1];
  if (!id) throw new Error(`no revision in: ${result.stdout}`);
  return Number(id);
}

/** The log lines (pino JSON) of a bot. */
const logLines = (bot: RunningBot): { msg: string; reason?: string; time: number }[] =>
  bot
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; reason?: string; time: number });

/** From the revision's creation (its row) to the bot's "now running" log line: the switch delay, for the report. */
async function switchDelayMs(bot: RunningBot, store: Store, id: number): Promise<number> {
  const row = await store.db.selectFrom('config_revisions').select('created_at').where('id', '=', id).executeTakeFirstOrThrow();
  const line = logLines(bot).find((each) => each.msg === `now running config revision ${id} of office ${MEDAN} (by ani)`);
  return (line?.time ?? Number.NaN) - Number(row.created_at);
}

/** The re-plans of Medan for revision `id` in a bot's log. */
const revisionReplans = (bot: RunningBot, id: number): number =>
  logLines(bot).filter((line) => line.msg === `re-planned 1 office(s): ${MEDAN}` && line.reason === `config revision ${MEDAN}@${id}`).length;

const running = (bot: RunningBot, id: number): boolean => bot.logs().includes(`now running config revision ${id} of office ${MEDAN} (by ani)`);

describe('bot: many offices follow the current config revision', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('sqlite: an import of one office is run within seconds (polling); only that office is re-planned, once', async () => {
    const configDir = officesConfig();
    const dataDir = makeTempDir('herald-follow-data-');
    dirs.push(configDir, dataDir);
    const bot = startBot({ configDir, dataDir, watchDebounceMs: 50, followIntervalMs: SQLITE_POLLING_MS });
    let store: Store | undefined;
    try {
      store = await waitUntil(async () => (bot.logs().includes('quota-herald running') ? openStore({ dataDir }) : undefined), 60_000, () => `the bot to start\n${bot.logs()}`);
      const opened = store;
      await waitUntil(() => allReady(opened), 60_000, async () => `every post rendered: ${JSON.stringify((await rows(opened)).map((r) => [r.office_id, r.state]))}`);
      const before = await othersRows(opened);
      const filesBefore = fs.readFileSync(path.join(configDir, 'offices', MEDAN, 'calendar.yaml'), 'utf8');

      const revision = await importMedan(editedCopy(configDir, 222, dirs), { dataDir });
      await waitUntil(async () => running(bot, revision), 30_000, () => `the bot to run revision ${revision}\n${bot.logs().slice(-3000)}`);
      const switchMs = await switchDelayMs(bot, opened, revision);
      await waitUntil(() => medanRendered(opened, 222), 45_000, async () => `Medan re-planned: ${JSON.stringify((await rows(opened)).filter((r) => r.office_id === MEDAN))}`);

      expect(revisionReplans(bot, revision)).toBe(1);
      const runs = await opened.db.selectFrom('job_runs').select(['period_key', 'finished_at']).where('job', '=', 'replan-revision').where('period_key', 'like', `${MEDAN}@%`).execute();
      expect(runs.map((run) => run.period_key).sort()).toEqual([`${MEDAN}@${revision - 1}`, `${MEDAN}@${revision}`].sort());
      expect(runs.every((run) => run.finished_at !== null)).toBe(true);
      // The other offices: the same rows, revisions, states and updated_at.
      expect(await othersRows(opened)).toEqual(before);
      // The files on disk are another writer's business: left as they were.
      expect(fs.readFileSync(path.join(configDir, 'offices', MEDAN, 'calendar.yaml'), 'utf8')).toBe(filesBefore);
      console.log(`sqlite: import → running on the bot in ${switchMs} ms (poll every ${SQLITE_POLLING_MS} ms)`);

      // Now Medan's files are out of date: an edit of them is refused and not run; the imported revision stays.
      fs.writeFileSync(path.join(configDir, 'offices', MEDAN, 'calendar.yaml'), officeCalendar(officeDay(3), officeDay(6), 555));
      await waitUntil(async () => bot.logs().includes('the config files were not recorded'), 30_000, () => `the refusal in the log\n${bot.logs().slice(-3000)}`);
      await waitUntil(async () => (await opened.db.selectFrom('runtime_status').select('value_json').where('key', '=', 'config').executeTakeFirst())?.value_json.includes('older revision than the current one'), 30_000, () => 'the status to say so');
      expect(await medanRendered(opened, 222)).toBe(true);
      expect(await othersRows(opened)).toEqual(before);
    } finally {
      await store?.close();
      await bot.stop();
    }
  }, 150_000);

  it('postgres: two instances switch through NOTIFY (no polling); the office is re-planned once for both', async () => {
    const database = await createTestDatabase('postgres');
    const databaseUrl = database.databaseUrl!;
    // Each instance reads its own copy of the files, as on two machines.
    const configA = officesConfig();
    const configB = makeTempDir('herald-follow-config-b-');
    fs.cpSync(configA, configB, { recursive: true });
    const [dataA, dataB] = [makeTempDir('herald-follow-a-'), makeTempDir('herald-follow-b-')];
    dirs.push(configA, configB, dataA, dataB);
    const store = await database.open();
    const bots: RunningBot[] = [];
    try {
      bots.push(startBot({ configDir: configA, dataDir: dataA, databaseUrl, followIntervalMs: NO_POLLING_MS, watchDebounceMs: 50 }));
      await waitUntil(() => allReady(store), 60_000, async () => `every post rendered: ${JSON.stringify((await rows(store)).map((r) => [r.office_id, r.state]))}\n${bots[0]!.logs().slice(-2000)}`);
      bots.push(startBot({ configDir: configB, dataDir: dataB, databaseUrl, followIntervalMs: NO_POLLING_MS, watchDebounceMs: 50 }));
      for (const bot of bots) await waitUntil(async () => bot.logs().includes('listening for config revisions'), 60_000, () => `the instance to listen\n${bot.logs().slice(-2000)}`);
      await waitUntil(() => allReady(store), 30_000, () => 'the posts ready again after the second start');
      const before = await othersRows(store);

      const revision = await importMedan(editedCopy(configA, 333, dirs), { databaseUrl });
      const switchMs: number[] = [];
      for (const bot of bots) {
        await waitUntil(async () => running(bot, revision), 30_000, () => `both instances to run revision ${revision}\n${bot.logs().slice(-3000)}`);
        switchMs.push(await switchDelayMs(bot, store, revision));
      }
      await waitUntil(() => medanRendered(store, 333), 45_000, async () => `Medan re-planned: ${JSON.stringify((await rows(store)).filter((r) => r.office_id === MEDAN))}`);

      // Once for the cluster: one instance re-planned it, the other only switched.
      expect(bots.map((bot) => revisionReplans(bot, revision)).sort()).toEqual([0, 1]);
      const runs = await store.db.selectFrom('job_runs').select(['owner', 'finished_at']).where('job', '=', 'replan-revision').where('period_key', '=', `${MEDAN}@${revision}`).execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.finished_at).not.toBeNull();
      expect(await othersRows(store)).toEqual(before);
      console.log(`postgres: import → running on both instances in ${switchMs.join(' and ')} ms (NOTIFY; polling every ${NO_POLLING_MS / 60_000} min)`);
    } finally {
      await store.close();
      await Promise.all(bots.map((bot) => bot.stop()));
    }
  }, 180_000);

  it('postgres: two instances reading one shared config directory re-plan a file edit once, not once each', async () => {
    const database = await createTestDatabase('postgres');
    const databaseUrl = database.databaseUrl!;
    const configDir = officesConfig();
    const [dataA, dataB] = [makeTempDir('herald-shared-a-'), makeTempDir('herald-shared-b-')];
    dirs.push(configDir, dataA, dataB);
    const store = await database.open();
    const bots: RunningBot[] = [];
    try {
      bots.push(startBot({ configDir, dataDir: dataA, databaseUrl, watchDebounceMs: 50 }));
      await waitUntil(() => allReady(store), 60_000, () => `every post rendered\n${bots[0]!.logs().slice(-2000)}`);
      bots.push(startBot({ configDir, dataDir: dataB, databaseUrl, watchDebounceMs: 50 }));
      await waitUntil(async () => bots[1]!.logs().includes('quota-herald running'), 60_000, () => bots[1]!.logs().slice(-2000));
      await waitUntil(() => allReady(store), 30_000, () => 'the posts ready again after the second start');

      fs.writeFileSync(path.join(configDir, 'offices', MEDAN, 'calendar.yaml'), officeCalendar(officeDay(3), officeDay(6), 666));
      await waitUntil(() => medanRendered(store, 666), 45_000, async () => `Medan re-planned: ${JSON.stringify((await rows(store)).filter((r) => r.office_id === MEDAN))}`);
      // Both instances saw the edit (or its revision); give the slower one time to finish what it does with it.
      await waitUntil(async () => bots.every((bot) => bot.logs().includes('config changed')), 30_000, () => bots.map((bot) => bot.logs().slice(-1500)).join('\n----\n'));
      await sleep(1_000);
      const medanReplans = bots.flatMap((bot) => logLines(bot).filter((line) => line.msg === `re-planned 1 office(s): ${MEDAN}`));
      expect(medanReplans).toHaveLength(1);
    } finally {
      await store.close();
      await Promise.all(bots.map((bot) => bot.stop()));
    }
  }, 180_000);

  it('postgres: two instances starting together with different files end up running one revision, and the ledger shows it', async () => {
    const database = await createTestDatabase('postgres');
    const databaseUrl = database.databaseUrl!;
    const configA = officesConfig();
    const configB = editedCopy(configA, 777, dirs);
    const [dataA, dataB] = [makeTempDir('herald-race-a-'), makeTempDir('herald-race-b-')];
    dirs.push(configA, dataA, dataB);
    const store = await database.open();
    const bots = [startBot({ configDir: configA, dataDir: dataA, databaseUrl, watchDebounceMs: 50 }), startBot({ configDir: configB, dataDir: dataB, databaseUrl, watchDebounceMs: 50 })];
    try {
      for (const bot of bots) await waitUntil(async () => bot.logs().includes('quota-herald running'), 60_000, () => bot.logs().slice(-2000));
      // Whichever files were recorded first are Medan's revision; the other instance's are refused, or older than it.
      const current = async (): Promise<number> => {
        const row = await store.db.selectFrom('config_current').innerJoin('config_revisions', 'config_revisions.id', 'config_current.revision_id').select('files_json').where('config_current.office_id', '=', MEDAN).executeTakeFirstOrThrow();
        return row.files_json.includes('regular: 777') ? 777 : 100;
      };
      const winner = await current();
      await waitUntil(() => medanRendered(store, winner), 45_000, async () => `Medan's posts to show the current revision's ${winner}: ${JSON.stringify((await rows(store)).filter((r) => r.office_id === MEDAN).map((r) => [r.state, regularCounts(r)]))}\n${bots.map((bot) => bot.logs().slice(-1500)).join('\n----\n')}`);
      expect(await current()).toBe(winner);
      const medanRevisions = await store.db.selectFrom('config_revisions').select(['id', 'author']).where('office_id', '=', MEDAN).execute();
      expect(medanRevisions).toHaveLength(1);
    } finally {
      await store.close();
      await Promise.all(bots.map((bot) => bot.stop()));
    }
  }, 180_000);

  it('postgres: after a real server restart the instance listens again and switches through NOTIFY; it never exits', async () => {
    const postgres = await startPrivatePostgres();
    const configDir = officesConfig();
    const dataDir = makeTempDir('herald-follow-restart-');
    dirs.push(configDir, dataDir);
    const bot = startBot({ configDir, dataDir, databaseUrl: postgres.url, followIntervalMs: NO_POLLING_MS, watchDebounceMs: 50 });
    let exited = false;
    bot.done.then(
      () => (exited = true),
      () => (exited = true),
    );
    try {
      await waitUntil(async () => bot.logs().includes('listening for config revisions'), 60_000, () => `the instance to listen\n${bot.logs().slice(-2000)}`);
      await postgres.stop();
      await waitUntil(async () => bot.logs().includes('the config revision listener lost'), 30_000, () => `the listener to notice the restart\n${bot.logs().slice(-2000)}`);
      await postgres.start();
      await waitUntil(async () => bot.logs().includes('listening for config revisions again'), 60_000, () => `the listener to connect again\n${bot.logs().slice(-3000)}`);
      expect(exited).toBe(false);

      const revision = await importMedan(editedCopy(configDir, 444, dirs), { databaseUrl: postgres.url });
      await waitUntil(async () => revisionReplans(bot, revision) === 1, 30_000, () => `the instance to run and re-plan revision ${revision} after the restart\n${bot.logs().slice(-3000)}`);
      expect(running(bot, revision)).toBe(true);
      expect(exited).toBe(false);
    } finally {
      await bot.stop();
      await postgres.close();
    }
  }, 180_000);
});
