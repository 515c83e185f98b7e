/**
 * The store suite runs every test on both engines (Kysely's test-setup style):
 *
 *   describe.each(DIALECTS)('%s', (dialect) => { const db = useTestStores(dialect); … });
 *
 * SQLite: a fresh data directory under os.tmpdir(). PostgreSQL: a fresh
 * database `herald_<random>` on the server that test/global-setup.ts started,
 * so test files (and tests) never see each other's rows and run in parallel.
 *
 * `useTestStore` gives each test a fresh copy of a database migrated once per
 * describe block (SQLite: a file copy; PostgreSQL: CREATE DATABASE … TEMPLATE):
 * running the ten migrations again for every test cost about half a second a
 * test on each engine, a fsync per statement on SQLite. `createTestDatabase`
 * still gives an empty database, for tests that watch the migrations run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, SQLITE_FILE, type Store, type StoreDialect } from '../../src/store/open';

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
  await adminQuery(`CREATE DATABASE ${name}`);
  const databaseUrl = databaseUrlOf(name);
  return { dialect, databaseUrl, open: () => openStore({ databaseUrl }) };
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/** The URL of database `name` on the test server. */
function databaseUrlOf(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** A migrated database to copy: a closed SQLite file, or a PostgreSQL database nobody is connected to. */
type Template = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; name: string };

async function createTemplate(dialect: StoreDialect): Promise<Template> {
  const database = await createTestDatabase(dialect);
  const store = await database.open();
  await store.close();
  if (database.dataDir) {
    // Closing the last connection checkpoints the WAL into the file: the file alone is the database.
    if (fs.existsSync(path.join(database.dataDir, `${SQLITE_FILE}-wal`))) throw new Error('useTestStore: the SQLite template kept a WAL file after closing');
    return { dialect: 'sqlite', file: path.join(database.dataDir, SQLITE_FILE) };
  }
  return { dialect: 'postgres', name: new URL(database.databaseUrl!).pathname.slice(1) };
}

/** SQLSTATE 55006: the template's last session may still be ending on the server after our client closed. */
const OBJECT_IN_USE = '55006';

/** A fresh database with the template's content (its migrations applied), not opened. */
async function copyOf(template: Template): Promise<TestDatabase> {
  if (template.dialect === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-store-'));
    fs.copyFileSync(template.file, path.join(dataDir, SQLITE_FILE));
    return { dialect: 'sqlite', dataDir, open: () => openStore({ dataDir }) };
  }
  const name = `herald_${crypto.randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template.name}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const databaseUrl = databaseUrlOf(name);
  return { dialect: 'postgres', databaseUrl, open: () => openStore({ databaseUrl }) };
}

/**
 * Jest hooks: a fresh, opened store before each test (`ctx.store`), closed
 * after it (plus any other stores the test opened through `ctx.open()`).
 * Fresh means a copy of a database migrated once for this describe block.
 */
export function useTestStore(dialect: StoreDialect): { readonly store: Store; readonly database: TestDatabase; open(): Promise<Store> } {
  let current: { store: Store; database: TestDatabase } | undefined;
  const extra: Store[] = [];
  let template: Promise<Template> | undefined;
  beforeEach(async () => {
    const database = await copyOf(await (template ??= createTemplate(dialect)));
    current = { database, store: await database.open() };
  });
  afterAll(async () => {
    const made = await template?.catch(() => undefined);
    if (made?.dialect === 'sqlite') fs.rmSync(path.dirname(made.file), { recursive: true, force: true });
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
