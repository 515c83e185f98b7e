/**
 * The running bot with three offices (WIB, WITA, WIT) on the wall clock:
 * an edit that breaks one office leaves that office on its last good plan
 * (its posts stay, nothing is cancelled) while the others re-plan from their
 * edits; fixing it re-plans it too. At start, a broken office is skipped and
 * the others run.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CONFIG_STATUS_KEY, type ConfigStatus } from '../../src/app/bot';
import { SQLITE_FILE } from '../../src/store/open';
import { waitFor } from '../support/process';
import { brokenHerald, OFFICES, officeCalendar, officeHerald, writeOfficesConfig } from '../support/offices-fixture';
import { LedgerReader, makeTempDir, officeDay, startBot } from './bot-harness';

/** The regular counts each office's current announcements show, and how many posts it has pending. */
function officeState(dataDir: string): Map<string, { regular: number[]; pending: number }> {
  const file = path.join(dataDir, SQLITE_FILE);
  const state = new Map<string, { regular: number[]; pending: number }>();
  if (!fs.existsSync(file)) return state;
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db
      .prepare(`SELECT office_id, facts_json FROM posts WHERE kind = 'announcement' AND state IN ('planned', 'ready', 'retrying', 'claimed', 'published')`)
      .all() as { office_id: string; facts_json: string }[];
    for (const row of rows) {
      const facts = JSON.parse(row.facts_json) as { release?: { days: { quota: Record<string, number> }[] } };
      const entry = state.get(row.office_id) ?? { regular: [], pending: 0 };
      entry.regular.push(...(facts.release?.days ?? []).map((day) => day.quota.regular ?? -1));
      entry.pending += 1;
      state.set(row.office_id, entry);
    }
  } catch {
    // the tables are being created at start
  } finally {
    db.close();
  }
  return state;
}

/** True when every listed office's announcements all show its count (and it has 4: two rules × two channels). */
function shows(dataDir: string, expected: Record<string, number>): boolean {
  const state = officeState(dataDir);
  return Object.entries(expected).every(([office, regular]) => {
    const entry = state.get(office);
    return entry !== undefined && entry.pending === 4 && entry.regular.every((count) => count === regular);
  });
}

const describeState = (dataDir: string): string => JSON.stringify(Object.fromEntries(officeState(dataDir)));

describe('bot: many offices', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('an edit that breaks one office keeps its last good plan; the others re-plan; the fix re-plans it', async () => {
    const configDir = writeOfficesConfig({ opensOn: officeDay(10), serviceDay: officeDay(13) });
    const dataDir = makeTempDir('herald-offices-data-');
    dirs.push(configDir, dataDir);
    const officeDir = (id: string): string => path.join(configDir, 'offices', id);
    const jayapura = OFFICES.find((office) => office.id === 'kanim-jayapura')!;
    const bot = startBot({ configDir, dataDir, watchDebounceMs: 50 });
    const ledger = new LedgerReader(dataDir);
    try {
      await waitFor(() => shows(dataDir, { 'kanim-jayapura': 100, 'kanim-makassar': 100, 'kanim-medan': 100 }), 45_000, () => `every office planned: ${describeState(dataDir)}\n${bot.logs().slice(-2000)}`);

      // One save: Jayapura's herald.yaml broken and its calendar edited; the other two offices' calendars edited.
      fs.writeFileSync(path.join(officeDir('kanim-jayapura'), 'herald.yaml'), brokenHerald(jayapura));
      fs.writeFileSync(path.join(officeDir('kanim-jayapura'), 'calendar.yaml'), officeCalendar(officeDay(10), officeDay(13), 444));
      fs.writeFileSync(path.join(officeDir('kanim-makassar'), 'calendar.yaml'), officeCalendar(officeDay(10), officeDay(13), 333));
      fs.writeFileSync(path.join(officeDir('kanim-medan'), 'calendar.yaml'), officeCalendar(officeDay(10), officeDay(13), 222));

      await waitFor(() => shows(dataDir, { 'kanim-makassar': 333, 'kanim-medan': 222 }), 45_000, () => `Makassar and Medan re-planned: ${describeState(dataDir)}\n${bot.logs().slice(-2000)}`);
      // Jayapura: its last good plan, all four posts still pending, none cancelled, its edit not applied.
      expect(shows(dataDir, { 'kanim-jayapura': 100 })).toBe(true);
      const status = await waitFor(() => {
        const value = ledger.status<ConfigStatus>(CONFIG_STATUS_KEY);
        return value && !value.ok ? value : undefined;
      }, 10_000, () => 'the config status to report the broken office');
      expect(status.ok).toBe(false);
      expect(status.ok === false && status.brokenOffices).toEqual(['kanim-jayapura']);
      expect(status.problems).toEqual([expect.stringMatching(/^\[kanim-jayapura\] .*offices\/kanim-jayapura\/herald\.yaml:3:13: unknown time zone `Asia\/Jayapuraa`/)]);
      expect(bot.logs()).toContain('office kanim-jayapura: the config edit has 1 problem(s); its last good schedule keeps running');

      // The fix: Jayapura re-plans from its (edited) calendar; the others keep theirs.
      fs.writeFileSync(path.join(officeDir('kanim-jayapura'), 'herald.yaml'), officeHerald(jayapura));
      await waitFor(() => shows(dataDir, { 'kanim-jayapura': 444, 'kanim-makassar': 333, 'kanim-medan': 222 }), 45_000, () => `Jayapura re-planned after the fix: ${describeState(dataDir)}`);
      await waitFor(() => ledger.status<ConfigStatus>(CONFIG_STATUS_KEY)?.ok === true, 10_000, () => 'the config status to be ok again');
    } finally {
      ledger.close();
      await bot.stop();
    }
  }, 120_000);

  it('at start, a broken office is reported and skipped; the others run; its posts from the last run are neither cancelled nor corrected', async () => {
    const configDir = writeOfficesConfig({ opensOn: officeDay(10), serviceDay: officeDay(13) });
    const dataDir = makeTempDir('herald-offices-data-');
    dirs.push(configDir, dataDir);
    const all = { 'kanim-jayapura': 100, 'kanim-makassar': 100, 'kanim-medan': 100 };
    const first = startBot({ configDir, dataDir, watch: false });
    try {
      await waitFor(() => shows(dataDir, all), 45_000, () => `every office planned: ${describeState(dataDir)}\n${first.logs().slice(-2000)}`);
    } finally {
      await first.stop();
    }

    // Broken while the bot was down; the others' calendars edited.
    const jayapura = OFFICES.find((office) => office.id === 'kanim-jayapura')!;
    fs.writeFileSync(path.join(configDir, 'offices', 'kanim-jayapura', 'herald.yaml'), brokenHerald(jayapura));
    fs.writeFileSync(path.join(configDir, 'offices', 'kanim-medan', 'calendar.yaml'), officeCalendar(officeDay(10), officeDay(13), 222));
    const bot = startBot({ configDir, dataDir, watch: false });
    try {
      await waitFor(() => shows(dataDir, { 'kanim-makassar': 100, 'kanim-medan': 222 }), 45_000, () => `Medan re-planned: ${describeState(dataDir)}\n${bot.logs().slice(-2000)}`);
      expect(bot.logs()).toContain('office kanim-jayapura is not served: its config has errors');
      expect(bot.logs()).toMatch(/offices\/kanim-jayapura\/herald\.yaml:3:13: unknown time zone/);
      // Not served now, but its four pending posts wait for the fix: nothing cancelled, no cancellation planned.
      expect(shows(dataDir, { 'kanim-jayapura': 100 })).toBe(true);
      const db = new BetterSqlite3(path.join(dataDir, SQLITE_FILE), { readonly: true });
      try {
        const rows = db.prepare(`SELECT state, kind FROM posts WHERE office_id = 'kanim-jayapura'`).all() as { state: string; kind: string }[];
        expect(rows.filter((row) => row.state === 'cancelled' || row.kind !== 'announcement')).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      await bot.stop();
    }
  }, 120_000);
});
