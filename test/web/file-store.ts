/**
 * One store for a whole test file (beforeAll/afterAll), for HTTP tests that
 * sign in once per file: scrypt at full cost makes a sign-in per test slow.
 * The tests of such a file run in order on the same data; each says which
 * state it starts from.
 */
import fs from 'node:fs';
import type { Store } from '../../src/store/open';
import { createTestDatabase, type TestDatabase } from '../support/databases';

export function useFileStore(dialect: TestDatabase['dialect'] = 'sqlite'): { readonly store: Store } {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    store = await database.open();
  });
  afterAll(async () => {
    await store?.close();
    if (database?.dataDir) fs.rmSync(database.dataDir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (!store) throw new Error('useFileStore: the store exists only inside the file’s tests');
      return store;
    },
  };
}
