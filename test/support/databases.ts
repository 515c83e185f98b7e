/**
 * The store suite runs every test on both engines (Kysely's test-setup style):
 *
 *   describe.each(DIALECTS)('%s', (dialect) => { const db = useTestStores(dialect); … });
 *
 * SQLite: a fresh data directory under os.tmpdir(). PostgreSQL: a fresh
 * database `herald_<random>` on the server that test/global-setup.ts started,
 * so test files (and tests) never see each other's rows and run in parallel.
 * `useTestStore` starts each test from a copy of a database migrated once.
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
  return createPostgresDatabase();
}

/** A new database `herald_<random>` on the test server: empty, or a copy of `template` (no one may be connected to it). */
async function createPostgresDatabase(template?: string): Promise<TestDatabase> {
  const name = `herald_${crypto.randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      break;
    } catch (error) {
      // SQLSTATE 55006: the template's last session may still be ending on the server after our client closed.
      if (!template || (error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return { dialect: 'postgres', databaseUrl, open: () => openStore({ databaseUrl }) };
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

/**
 * A database with every migration applied (and what `seed` adds), made once
 * and copied for each test: migrating takes ~0.3 s, a copy ~10 ms (SQLite:
 * the file, closed so its WAL is folded in; PostgreSQL: CREATE DATABASE …
 * TEMPLATE). The copies are the same schema the migrations make, and `open()`
 * still runs the migrator over them (it finds nothing pending).
 */
interface Template<Seed> {
  seeded: Seed;
  copy(): Promise<TestDatabase>;
  remove(): Promise<void>;
}

async function createTemplate<Seed>(dialect: StoreDialect, seed: (store: Store) => Promise<Seed>): Promise<Template<Seed>> {
  const template = await createTestDatabase(dialect);
  const store = await template.open();
  let seeded: Seed;
  try {
    seeded = await seed(store);
  } finally {
    await store.close();
  }
  if (dialect === 'sqlite') {
    const templateDir = template.dataDir!;
    return {
      seeded,
      copy: async () => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-store-'));
        fs.cpSync(templateDir, dataDir, { recursive: true });
        return { dialect, dataDir, open: () => openStore({ dataDir }) };
      },
      remove: async () => fs.rmSync(templateDir, { recursive: true, force: true }),
    };
  }
  const name = new URL(template.databaseUrl!).pathname.slice(1);
  return { seeded, copy: () => createPostgresDatabase(name), remove: () => adminQuery(`DROP DATABASE IF EXISTS ${name}`) };
}

export interface TestStoreOptions<Seed> {
  /**
   * What every test of the block starts with (offices' revisions, planned
   * posts, users): written once, into the database each test gets a copy of,
   * so a test changes only its own copy. What it returns is `ctx.seeded`
   * (ids of the rows it made: the same in every copy).
   */
  seed?: (store: Store) => Promise<Seed>;
}

/**
 * Jest hooks: a fresh, opened store before each test (`ctx.store`), closed
 * after it (plus any other stores the test opened through `ctx.open()`). Each
 * test's database is a copy of one migrated (and seeded) once for this
 * describe block.
 */
export function useTestStore<Seed = undefined>(
  dialect: StoreDialect,
  options: TestStoreOptions<Seed> = {},
): { readonly store: Store; readonly database: TestDatabase; readonly seeded: Seed; open(): Promise<Store> } {
  let current: { store: Store; database: TestDatabase } | undefined;
  const extra: Store[] = [];
  let template: Promise<Template<Seed>> | undefined;
  let seeded: { value: Seed } | undefined;
  beforeEach(async () => {
    template ??= createTemplate(dialect, options.seed ?? (async () => undefined as Seed));
    const made = await template;
    seeded = { value: made.seeded };
    const database = await made.copy();
    current = { database, store: await database.open() };
  });
  afterAll(async () => {
    await (await template)?.remove();
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
    get seeded() {
      if (!seeded) throw new Error('useTestStore: what the seed returned exists only inside a test');
      return seeded.value;
    },
    async open() {
      if (!current) throw new Error('useTestStore: open() only inside a test');
      const store = await current.database.open();
      extra.push(store);
      return store;
    },
  };
}
