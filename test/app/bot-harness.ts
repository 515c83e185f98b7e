/**
 * The real bot loop (`runBot`) in this process on the wall clock, on a
 * throw-away config directory built from the sample office, with a reader of
 * its SQLite ledger for polling (synchronous, so `waitFor` can call it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { runBot, type BotOptions } from '../../src/app/bot';
import { systemClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { SQLITE_FILE } from '../../src/store/open';
import { addDays, type PlainDate } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { REPO_ROOT } from '../support/cli';
import { waitFor } from '../support/process';

export const ZONE = 'Asia/Pontianak';

/** Today's date in the office zone plus `days`. */
export function officeDay(days: number): PlainDate {
  return addDays(toLocal(new Date(), ZONE).date, days);
}

/** DD/MM/YYYY, as the CSV import writes dates. */
export function csvDate(date: PlainDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The sample herald.yaml without national holidays (the dates below move with
 * the day the test runs and must never fall on a holiday), with `edit` applied.
 */
export function heraldYaml(edit: (text: string) => string = (text) => text): string {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'config', 'herald.yaml'), 'utf8').replace('holidays:\n  country: ID', 'holidays:\n  country: null');
  if (!text.includes('country: null')) throw new Error('the sample herald.yaml changed: update the test harness');
  return edit(text);
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh temp directory with an empty `config/` and a `data/` path for a bot; `cleanup` collects it for afterAll. */
export function makeBotDirs(prefix: string, cleanup: string[]): { dir: string; configDir: string; dataDir: string } {
  const dir = makeTempDir(prefix);
  cleanup.push(dir);
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir);
  return { dir, configDir, dataDir: path.join(dir, 'data') };
}

export interface RunningBot {
  logs: () => string;
  /** Stops the bot (the post in flight finishes) and waits until it has closed. */
  stop: () => Promise<void>;
  /** Rejects when the bot stopped with an error. */
  done: Promise<void>;
}

export function startBot(options: Partial<BotOptions> & { configDir: string; dataDir: string }): RunningBot {
  let logs = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs += chunk.toString();
      callback();
    },
  });
  const stop = new AbortController();
  const done = runBot({
    templatesDir: path.join(REPO_ROOT, 'templates'),
    clock: systemClock,
    logger: createLogger({ level: 'debug', destination }),
    env: {},
    signal: stop.signal,
    // Many bots run at once in the suite: none takes the web port unless a test asks for it.
    web: false,
    ...options,
  });
  done.catch(() => undefined); // observed through `done` or `stop`
  return {
    logs: () => logs,
    done,
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

/** Reads the bot's ledger while it runs (WAL: readers do not block the writer). */
export class LedgerReader {
  private db: BetterSqlite3.Database | null = null;

  constructor(private readonly dataDir: string) {}

  private open(): BetterSqlite3.Database | null {
    if (!this.db && fs.existsSync(path.join(this.dataDir, SQLITE_FILE))) this.db = new BetterSqlite3(path.join(this.dataDir, SQLITE_FILE), { fileMustExist: true });
    return this.db;
  }

  /**
   * The regular-service counts the current, still-planned announcements of
   * the releases whose id matches `releaseLike` (SQL LIKE) show, one per post.
   */
  announcedRegular(releaseLike: string): number[] {
    const db = this.open();
    if (!db) return [];
    try {
      const rows = db
        .prepare(`SELECT facts_json FROM posts WHERE release_id LIKE ? AND kind = 'announcement' AND state IN ('planned', 'ready', 'retrying', 'claimed', 'published')`)
        .all(releaseLike) as { facts_json: string }[];
      return rows.flatMap((row) => {
        const facts = JSON.parse(row.facts_json) as { release?: { days: { quota: Record<string, number> }[] } };
        return (facts.release?.days ?? []).map((day) => day.quota.regular ?? -1);
      });
    } catch {
      return []; // the tables are being migrated at start
    }
  }

  /** The states of an office's current (not superseded) posts. */
  states(officeId: string): string[] {
    const db = this.open();
    if (!db) return [];
    try {
      return (db.prepare(`SELECT state FROM posts WHERE office_id = ? AND state <> 'superseded'`).all(officeId) as { state: string }[]).map((row) => row.state);
    } catch {
      return []; // the tables are being migrated at start
    }
  }

  status<T>(key: string): T | null {
    const db = this.open();
    if (!db) return null;
    try {
      const row = db.prepare('SELECT value_json FROM runtime_status WHERE key = ?').get(key) as { value_json: string } | undefined;
      return row ? (JSON.parse(row.value_json) as T) : null;
    } catch {
      return null;
    }
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

/** Waits until every announcement of the matching releases shows `regular` (and there is at least one). */
export function waitForAnnounced(ledger: LedgerReader, releaseLike: string, regular: number, what: string, logs: () => string, timeoutMs = 45_000): Promise<true> {
  return waitFor(
    () => {
      const counts = ledger.announcedRegular(releaseLike);
      return counts.length > 0 && counts.every((count) => count === regular);
    },
    timeoutMs,
    () => `${what}: announcements of ${releaseLike} to show regular ${regular}, they show [${ledger.announcedRegular(releaseLike).join(', ')}]\nlast log lines:\n${logs().split('\n').slice(-15).join('\n')}`,
    // A read of a few rows: polling often costs nothing, and tests that wait on many edits in a row finish sooner.
    50,
  );
}
