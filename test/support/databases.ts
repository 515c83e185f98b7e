/**
 * The store suite runs every test on both engines (Kysely's test-setup style):
 *
 *   describe.each(DIALECTS)('%s', (dialect) => { const db = useTestStores(dialect); … });
 *
 * SQLite: a fresh data directory under os.tmpdir(). PostgreSQL: a fresh
 * database `herald_<random>` on the server that test/global-setup.ts started,
 * so test files (and tests) never see each other's rows and run in parallel.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store, type StoreDialect } from '../../src/store/open';

export const DIALECTS: readonly StoreDialect[] = ['sqlite', 'postgres'];

/** The admin URL exported by global setup. Missing means the suite is broken: fail, never skip. */
export function postgresAdminUrl(): string {
  const url = process.env.HERALD_TEST_PG_URL;
  if (!url) throw new Error('HERALD_TEST_PG_URL is not set: test/global-setup.ts must start embedded PostgreSQL.');
  return url;
}

/** Where a fresh store lives; `open()` may be called again (restart) and opens the same database. */
export interface TestDatabase {
  dialect: StoreDialect;
  /** SQLite only: the data directory. */
  dataDir?: string;
  /** PostgreSQL only: the database URL. */
  databaseUrl?: string;
  open(): Promise<Store>;
}

/** Creates an empty database for `dialect` (not opened: tests may want to see migrations run). */
export async function createTestDatabase(dialect: StoreDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-store-'));
    return { dialect, dataDir, open: () => openStore({ dataDir }) };
  }
  const name = `herald_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return { dialect, databaseUrl, open: () => openStore({ databaseUrl }) };
}

/**
 * Jest hooks: a fresh, opened store before each test (`ctx.store`), closed
 * after it (plus any other stores the test opened through `ctx.open()`).
 */
export function useTestStore(dialect: StoreDialect): { readonly store: Store; readonly database: TestDatabase; open(): Promise<Store> } {
  let current: { store: Store; database: TestDatabase } | undefined;
  const extra: Store[] = [];
  beforeEach(async () => {
    const database = await createTestDatabase(dialect);
    current = { database, store: await database.open() };
  });
  afterEach(async () => {
    const stores = [current?.store, ...extra.splice(0)];
    const dataDir = current?.database.dataDir;
    current = undefined;
    await Promise.all(stores.map((s) => s?.close()));
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (!current) throw new Error('useTestStore: the store exists only inside a test');
      return current.store;
    },
    get database() {
      if (!current) throw new Error('useTestStore: the database exists only inside a test');
      return current.database;
    },
    async open() {
      if (!current) throw new Error('useTestStore: open() only inside a test');
      const store = await current.database.open();
      extra.push(store);
      return store;
    },
  };
}
