/**
 * Migration 0012: posts written before it get their card's verification code,
 * the code the card shows, so an announcement published before the upgrade
 * can be checked on the public page too.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { verifyCode } from '../../src/render/verify-code';
import { migrationProvider } from '../../src/store/migrations';
import { SQLITE_FILE } from '../../src/store/open';
import { plannedToRow } from '../../src/store/rows';
import type { Database } from '../../src/store/schema';
import { createTestDatabase, DIALECTS } from '../support/databases';
import { at, buildPost } from './post-builder';

describe.each(DIALECTS)('migration 0012 (verify codes) on %s', (dialect) => {
  it('fills the code of every existing post revision and indexes it', async () => {
    const database = await createTestDatabase(dialect);
    const raw =
      dialect === 'sqlite'
        ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path.join(database.dataDir!, SQLITE_FILE)) }) })
        : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.databaseUrl }) }) });
    // More rows than one batch of the migration (500), over two revisions of some ids.
    const posts = Array.from({ length: 520 }, (_, i) => buildPost({ n: 5000 + i, fingerprint: `fp-${i}` }));
    try {
      expect((await new Migrator({ db: raw, provider: migrationProvider }).migrateTo('0011-posts-by-office')).error).toBeUndefined();
      const rows = posts.map((post) => plannedToRow(post, 1, at('2026-12-01T00:00:00Z')));
      const second = plannedToRow({ ...posts[0]!, fingerprint: 'fp-changed' }, 2, at('2026-12-01T00:00:00Z'));
      for (let i = 0; i < rows.length; i += 100) {
        await raw.insertInto('posts').values(rows.slice(i, i + 100).map(({ verify_code: _omitted, ...row }) => ({ ...row, state: 'superseded' }))).execute();
      }
      const { verify_code: _omitted, ...row } = second;
      await raw.insertInto('posts').values(row).execute();
    } finally {
      await raw.destroy();
    }
    const store = await database.open();
    try {
      const stored = await store.db.selectFrom('posts').select(['id', 'revision', 'verify_code']).execute();
      expect(stored).toHaveLength(521);
      const expected = new Map(posts.map((post) => [`${post.id}#1`, verifyCode(post)]));
      expected.set(`${posts[0]!.id}#2`, verifyCode({ ...posts[0]!, fingerprint: 'fp-changed' }));
      for (const r of stored) expect(r.verify_code).toBe(expected.get(`${r.id}#${Number(r.revision)}`));
    } finally {
      await store.close();
    }
  });
});
