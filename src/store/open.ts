/**
 * Opens the ledger on SQLite (a file in the data directory, or in memory for
 * `simulate`) or PostgreSQL, and brings its schema up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors';
import { migrationProvider } from './migrations';
import { describeDatabaseUrl } from './outage';
import type { Database } from './schema';

export type StoreDialect = 'sqlite' | 'postgres';

/** An open ledger. Repository functions take it as their first argument. */
export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** Where it lives, for messages ("PostgreSQL at host:port/db", "the SQLite ledger …"); no credentials. */
  label: string;
  close(): Promise<void>;
  /**
   * PostgreSQL only: a new client outside the pool, with the pool's connection
   * settings, for a session of its own (LISTEN: store/revision-listener.ts).
   * The caller connects it, handles its `error` event and ends it.
   */
  newClient?: () => pg.Client;
}

export type OpenStoreOptions =
  /** SQLite in `<dataDir>/herald.sqlite` (the directory is created if missing). */
  | { dataDir: string }
  /** PostgreSQL: `postgres://user:password@host:port/database`. */
  | { databaseUrl: string }
  /** A private SQLite database in memory (simulate, throw-away runs). */
  | { inMemory: true };

/** The SQLite file name inside the data directory. */
export const SQLITE_FILE = 'herald.sqlite';

const INT8_OID = 20;

/**
 * Opens the store and runs pending migrations.
 * @throws AppError('store-failed') with what to do when the database cannot be opened or migrated.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = 'databaseUrl' in options ? openPostgres(options.databaseUrl) : openSqlite(options);
  try {
    await migrate(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

function openSqlite(options: { dataDir: string } | { inMemory: true }): Store {
  let file = ':memory:';
  if ('dataDir' in options) {
    ensureWritableDir(options.dataDir);
    file = path.join(options.dataDir, SQLITE_FILE);
  }
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(file);
    // WAL: `status` can read while `run` writes. synchronous=FULL: a ledger
    // write (claim, published) must be on disk before and after each channel
    // call, or a power cut could re-send a post. busy_timeout: wait for a
    // short write by another process instead of failing at once.
    if (file !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new AppError(
      'store-failed',
      `Cannot open the SQLite ledger ${file} (${describeError(error)}): check that the file is a quota-herald database and the disk is not full, or point --data at another directory.`,
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', label: `the SQLite ledger ${file}`, close: () => db.destroy() };
}

function openPostgres(databaseUrl: string): Store {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError('usage', 'DATABASE_URL must start with postgres:// or postgresql://; unset it to use SQLite in the data directory.');
  }
  const settings: pg.ClientConfig = {
    connectionString: databaseUrl,
    // int8 (BIGINT, count(*)) as a JS number: epoch milliseconds and counts
    // stay far below 2^53. Per pool, so other pg users in the process keep the default.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool(settings);
  // A client losing its connection emits `error`; unhandled, that event kills
  // the process. The pool listens only while a client is idle, so a client
  // checked out when the server dies (a paused instance woken by SIGCONT, a
  // transaction in flight) needs its own listener. The query in flight, or the
  // next one, reports the loss, and the outage handling retries (outage.ts).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    label: describeDatabaseUrl(databaseUrl),
    close: () => db.destroy(),
    // keepAlive: a session that only waits (LISTEN) must notice a peer that vanished without closing.
    newClient: () => new pg.Client({ ...settings, keepAlive: true }),
  };
}

async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  const where = store.dialect === 'postgres' ? 'the PostgreSQL database in DATABASE_URL' : 'the SQLite ledger';
  throw new AppError(
    'store-failed',
    `Cannot prepare ${where}${failed ? ` (migration ${failed})` : ''}: ${describeError(error)}. Check that the database is reachable and writable, and that it was not created by a newer quota-herald.`,
    { cause: error },
  );
}

/**
 * Creates the data directory if missing and proves it writable, so a wrong
 * --data fails with advice instead of a SQLite error later.
 */
export function ensureWritableDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new AppError(
      'store-failed',
      `The data directory ${dir} cannot be created or written (${describeError(error)}): give this user write access to it, or point --data at another directory.`,
      { cause: error },
    );
  }
}

/** A short reason without a stack trace and without credentials. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message.replace(/\/\/[^@/\s]*@/g, '//***@');
    return code && !message.includes(code) ? `${code}: ${message}` : message || code || error.name;
  }
  return String(error);
}
