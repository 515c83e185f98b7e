import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { claimAlertDelivery, takeAlertSend, takeAlertSummary } from '../../src/store/alert-state';
import { migrationProvider } from '../../src/store/migrations';
import { SQLITE_FILE, type Store } from '../../src/store/open';
import { createTestDatabase, DIALECTS, useTestStore } from '../support/databases';

const DAY = 86_400_000;
const at = (iso: string): Date => new Date(iso);

describe.each(DIALECTS)('store/alert-state (%s)', (dialect) => {
  const db = useTestStore(dialect);
  /** A second instance: its own connection (PostgreSQL); on SQLite one process holds one. */
  const other = async (): Promise<Store> => (dialect === 'sqlite' ? db.store : db.open());

  it('of two instances claiming the same problem at once, exactly one delivers; a changed message or a day later, again', async () => {
    const second = await other();
    const claim = { scope: 'global', problem: 'auth|', digest: 'aaaa' };
    const now = at('2026-11-27T06:30:00Z');
    const wins = await Promise.all([claimAlertDelivery(db.store, claim, now, DAY), claimAlertDelivery(second, claim, now, DAY)]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await claimAlertDelivery(second, claim, at('2026-11-27T12:00:00Z'), DAY)).toBe(false);
    expect(await claimAlertDelivery(second, { ...claim, digest: 'bbbb' }, at('2026-11-27T12:00:00Z'), DAY)).toBe(true);
    expect(await claimAlertDelivery(db.store, { ...claim, digest: 'bbbb' }, at('2026-11-28T12:00:00Z'), DAY)).toBe(true);
    // Another scope (an office's own recipients) is its own problem.
    expect(await claimAlertDelivery(db.store, { ...claim, scope: 'office:kanim-medan', digest: 'bbbb' }, at('2026-11-28T12:00:00Z'), DAY)).toBe(true);
  });

  it('one window for every instance: at most the limit in flight together, one summary of what was held back', async () => {
    const second = await other();
    const policy = { maxPerWindow: 3, windowMs: 600_000 };
    const now = at('2026-11-27T06:30:00Z');
    const taken = await Promise.all(Array.from({ length: 8 }, (_, i) => takeAlertSend(i % 2 ? db.store : second, 'global|telegram', now, policy)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    // Still full: no summary yet, try again later.
    expect(await takeAlertSummary(db.store, 'global|telegram', at('2026-11-27T06:35:00Z'), { ...policy, canSend: true })).toEqual({ count: 0, retry: true });
    const later = at('2026-11-27T06:40:00Z');
    const summaries = await Promise.all([takeAlertSummary(db.store, 'global|telegram', later, { ...policy, canSend: true }), takeAlertSummary(second, 'global|telegram', later, { ...policy, canSend: true })]);
    expect(summaries.map((s) => s.count).sort()).toEqual([0, 5]);
    // The summary took a place: two left in this window.
    const after = await Promise.all([1, 2, 3].map(() => takeAlertSend(db.store, 'global|telegram', later, policy)));
    expect(after.filter(Boolean)).toHaveLength(2);
  });

  it('migration 0008 carries over what each instance remembered delivering', async () => {
    const database = await createTestDatabase(dialect);
    const raw =
      dialect === 'sqlite'
        ? new Kysely<{ runtime_status: { key: string; value_json: string } }>({ dialect: new SqliteDialect({ database: new BetterSqlite3(path.join(database.dataDir!, SQLITE_FILE)) }) })
        : new Kysely<{ runtime_status: { key: string; value_json: string } }>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.databaseUrl }) }) });
    try {
      const migrated = await new Migrator({ db: raw, provider: migrationProvider }).migrateTo('0007-channel-tokens');
      expect(migrated.error).toBeUndefined();
      await raw
        .insertInto('runtime_status')
        .values([
          { key: 'alert-deliveries', value_json: JSON.stringify({ 'auth|': { digest: 'd1', at: '2026-11-27T06:00:00.000Z' } }) },
          { key: 'alert-deliveries:kanim-medan', value_json: JSON.stringify({ 'expired|p-1': { digest: 'd2', at: '2026-11-27T05:00:00.000Z' } }) },
          { key: 'alerts', value_json: '[]' },
        ])
        .execute();
    } finally {
      await raw.destroy();
    }
    const store = await database.open();
    try {
      const rows = await store.db.selectFrom('alert_deliveries').selectAll().orderBy('scope').execute();
      expect(rows.map((row) => ({ ...row, delivered_at: Number(row.delivered_at) }))).toEqual([
        { scope: 'global', problem: 'auth|', digest: 'd1', delivered_at: Date.parse('2026-11-27T06:00:00Z') },
        { scope: 'office:kanim-medan', problem: 'expired|p-1', digest: 'd2', delivered_at: Date.parse('2026-11-27T05:00:00Z') },
      ]);
      expect((await store.db.selectFrom('runtime_status').select('key').execute()).map((row) => row.key)).toEqual(['alerts']);
      // Remembered: the same problem is not delivered again right after the upgrade.
      expect(await claimAlertDelivery(store, { scope: 'global', problem: 'auth|', digest: 'd1' }, at('2026-11-27T07:00:00Z'), DAY)).toBe(false);
    } finally {
      await store.close();
    }
  });
});
