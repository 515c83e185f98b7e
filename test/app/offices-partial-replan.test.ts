/**
 * The running bot with three offices: an edit of one office's files re-plans
 * (and renders again) only that office — the other offices' ledger rows are
 * not touched, not even their updated_at — and the log and `status` name the
 * office re-planned. An edit of a shared file re-plans every office.
 *
 * Posts are rendered ahead (renderAheadMinutes of ten days) so that a needless
 * re-plan shows in the ledger: a full reload puts every rendered card back to
 * `planned`, to be drawn again.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CONFIG_STATUS_KEY, type ConfigStatus } from '../../src/app/bot';
import { SQLITE_FILE } from '../../src/store/open';
import { waitFor } from '../support/process';
import { officeCalendar, SHARED_HERALD, writeOfficesConfig } from '../support/offices-fixture';
import { LedgerReader, makeTempDir, officeDay, startBot } from './bot-harness';

interface Row {
  id: string;
  revision: number;
  office_id: string;
  state: string;
  updated_at: number;
  facts_json: string;
}

function rows(dataDir: string): Row[] {
  const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT id, revision, office_id, state, updated_at, facts_json FROM posts ORDER BY id, revision').all() as Row[];
  } catch {
    return []; // the tables are being created at start
  } finally {
    db.close();
  }
}

const officeRows = (dataDir: string, office: string): Row[] => rows(dataDir).filter((row) => row.office_id === office);
const regularCounts = (row: Row): number[] =>
  ((JSON.parse(row.facts_json) as { release?: { days: { quota: Record<string, number> }[] } }).release?.days ?? []).map((day) => day.quota.regular ?? -1);

/** Two rules × two channels per office, all rendered ahead. */
const allReady = (dataDir: string): boolean => {
  const all = rows(dataDir);
  return all.length === 12 && all.every((row) => row.state === 'ready');
};

const SHARED_RENDERING_AHEAD = SHARED_HERALD.replace('settings:\n  horizonDays: 35', 'settings:\n  horizonDays: 35\n  renderAheadMinutes: 14400');

describe('bot: a one-office edit re-plans only that office', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('editing one office calendar syncs only its posts; the others rows are untouched; a shared edit re-plans all', async () => {
    expect(SHARED_RENDERING_AHEAD).toContain('renderAheadMinutes');
    const configDir = writeOfficesConfig({ opensOn: officeDay(3), serviceDay: officeDay(6) });
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), SHARED_RENDERING_AHEAD);
    const dataDir = makeTempDir('herald-partial-data-');
    dirs.push(configDir, dataDir);
    const bot = startBot({ configDir, dataDir, watchDebounceMs: 50 });
    const ledger = new LedgerReader(dataDir);
    try {
      await waitFor(() => allReady(dataDir), 60_000, () => `every post rendered: ${JSON.stringify(rows(dataDir).map((r) => [r.office_id, r.state]))}\n${bot.logs().slice(-2000)}`);
      const others = ['kanim-jayapura', 'kanim-makassar'];
      const before = others.map((office) => officeRows(dataDir, office));

      fs.writeFileSync(path.join(configDir, 'offices', 'kanim-medan', 'calendar.yaml'), officeCalendar(officeDay(3), officeDay(6), 222));
      const status = await waitFor(() => {
        const value = ledger.status<ConfigStatus>(CONFIG_STATUS_KEY);
        return value?.replannedOffices ? value : undefined;
      }, 45_000, () => `the status to name the re-planned office\n${bot.logs().slice(-2000)}`);
      expect(status).toMatchObject({ ok: true, replannedOffices: ['kanim-medan'] });
      await waitFor(
        () => {
          const medan = officeRows(dataDir, 'kanim-medan').filter((row) => row.state !== 'superseded');
          return medan.length === 4 && medan.every((row) => regularCounts(row).every((count) => count === 222));
        },
        45_000,
        () => `Medan re-planned: ${JSON.stringify(officeRows(dataDir, 'kanim-medan'))}`,
      );
      expect(bot.logs()).toContain('re-planned 1 office(s): kanim-medan');
      // The other offices: the same rows, same revisions, same states, same updated_at.
      expect(others.map((office) => officeRows(dataDir, office))).toEqual(before);

      // A shared file changed: every office is re-planned and its cards drawn again.
      const medanBefore = officeRows(dataDir, 'kanim-medan');
      fs.writeFileSync(path.join(configDir, 'herald.yaml'), SHARED_RENDERING_AHEAD.replace('horizonDays: 35', 'horizonDays: 36'));
      await waitFor(() => {
        const value = ledger.status<ConfigStatus>(CONFIG_STATUS_KEY);
        return value?.ok === true && value.replannedOffices === undefined;
      }, 45_000, () => `the status after the shared edit: ${JSON.stringify(ledger.status(CONFIG_STATUS_KEY))}`);
      await waitFor(
        () => [...others, 'kanim-medan'].every((office, i) => {
          const earlier = i < others.length ? before[i]! : medanBefore;
          const now = officeRows(dataDir, office).filter((row) => row.state !== 'superseded');
          return now.length > 0 && now.every((row) => row.updated_at > Math.max(...earlier.map((r) => r.updated_at)));
        }),
        45_000,
        () => `every office re-planned after the shared edit: ${JSON.stringify(rows(dataDir).map((r) => [r.office_id, r.state, r.updated_at]))}`,
      );
    } finally {
      ledger.close();
      await bot.stop();
    }
  }, 150_000);
});
