import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { claimDue, markPublished } from '../../src/store/claims';
import { getAttempts, getPostHistory, listPosts, markRendered } from '../../src/store/ledger';
import { openStore, SQLITE_FILE } from '../../src/store/open';
import { getRuntimeStatus, setRuntimeStatus } from '../../src/store/runtime-status';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, postgresAdminUrl, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const NOW = at('2026-11-27T12:00+07:00');
const WINDOW = { from: NOW, to: at('2026-12-31T00:00+07:00') };

describe.each(DIALECTS)('store/open on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('creates the schema from an empty database, and reopening applies nothing twice', async () => {
    const tables = await ctx.store.db.introspection.getTables();
    expect(tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort()).toEqual([
      'alert_deliveries',
      'alert_held',
      'alert_sends',
      'approvals',
      'attempts',
      'audit_log',
      'channel_tokens',
      'config_current',
      'config_revisions',
      'instances',
      'job_runs',
      'login_failures',
      'media',
      'post_actions',
      'posts',
      'public_versions',
      'runtime_status',
      'sessions',
      'user_roles',
      'users',
    ]);
    // Card bytes (migration 0005): each engine's binary type, not text.
    const bytes = tables.find((t) => t.name === 'media')?.columns.find((c) => c.name === 'bytes');
    expect(bytes?.dataType.toLowerCase()).toBe(ctx.store.dialect === 'sqlite' ? 'blob' : 'bytea');
    const again = await ctx.open();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(again.db);
    expect(applied.rows.map((r) => r.name)).toEqual(['0001-initial', '0002-unique-remote-id', '0003-attempt-phase', '0004-instances', '0005-card-media', '0006-config-revisions', '0007-channel-tokens', '0008-alert-deliveries', '0009-console-users', '0010-approvals', '0011-posts-by-office', '0012-verify-code', '0013-public-versions']);
  });

  it('stores instants as integer epoch milliseconds and reads back the same Date in any host zone', async () => {
    // Milliseconds, a UTC date different from the local one, and an instant
    // inside a European DST change: none may shift.
    const dueAt = new Date('2027-03-28T01:30:00.123Z');
    const deadline = new Date('2027-03-28T02:30:59.999Z');
    await syncPlan(ctx.store, [buildPost({ n: 1, dueAt, deadline })], { from: NOW, to: NOW }, NOW);
    const [post] = await listPosts(ctx.store);
    expect(post?.dueAt.getTime()).toBe(dueAt.getTime());
    expect(post?.deadline?.getTime()).toBe(deadline.getTime());
    expect(post?.createdAt.getTime()).toBe(NOW.getTime());
    const raw = await ctx.store.db.selectFrom('posts').select(['due_at', 'deadline']).executeTakeFirstOrThrow();
    expect(raw).toEqual({ due_at: dueAt.getTime(), deadline: deadline.getTime() });
    expect(typeof raw.due_at).toBe('number');
  });

  it('keeps at most one current revision per post id', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 })], WINDOW, NOW);
    const row = await ctx.store.db.selectFrom('posts').selectAll().executeTakeFirstOrThrow();
    // Matched on the message: better-sqlite3's native binding keeps the error
    // class of the first jest sandbox that loaded it, so `toThrow()` may not
    // recognise it as an Error in later test files of the same worker.
    await expect(ctx.store.db.insertInto('posts').values({ ...row, revision: 2 }).execute()).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
    await ctx.store.db.insertInto('posts').values({ ...row, revision: 0, state: 'superseded' }).execute();
  });

  it('survives a restart: nothing sent is re-sent, nothing pending is forgotten', async () => {
    const posts = [buildPost({ n: 1, dueAt: NOW }), buildPost({ n: 2, dueAt: plusMinutes(NOW, 60) })];
    await syncPlan(ctx.store, posts, WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{"text":"Kuota dibuka"}');
    await claimDue(ctx.store, { now: NOW, owner: 'run-1', leaseMs: 60_000, limit: 5 });
    await markPublished(ctx.store, { id: 'post-1', revision: 1, owner: 'run-1' }, { remoteId: 'r-1', url: null, publishedAt: NOW });
    await setRuntimeStatus(ctx.store, 'last-replan', { at: NOW.toISOString(), posts: 2 });
    await ctx.store.close();

    const reopened = await ctx.open();
    const later = plusMinutes(NOW, 1);
    expect(await syncPlan(reopened, posts, WINDOW, later)).toMatchObject({ inserted: 0, superseded: 0, cancelled: 0, unchanged: 2 });
    expect(await claimDue(reopened, { now: plusMinutes(NOW, 30), owner: 'run-2', leaseMs: 60_000, limit: 5 })).toEqual([]);
    const states = (await listPosts(reopened)).map((p) => [p.id, p.state, p.remoteId]);
    expect(states).toEqual([
      ['post-1', 'published', 'r-1'],
      ['post-2', 'planned', null],
    ]);
    expect(await getAttempts(reopened, 'post-1')).toHaveLength(1);
    expect(await getPostHistory(reopened, 'post-2')).toHaveLength(1);
    expect(await getRuntimeStatus(reopened, 'last-replan')).toEqual({ at: NOW.toISOString(), posts: 2 });
  });

  if (dialect === 'sqlite') {
    it('puts the ledger in the data directory, durable: WAL and synchronous=FULL', async () => {
      expect(fs.existsSync(path.join(ctx.database.dataDir!, SQLITE_FILE))).toBe(true);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(ctx.store.db);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(ctx.store.db);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(ctx.store.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(sync.rows[0]?.synchronous).toBe(2); // FULL
      expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
    });
  }
});

describe('store/open errors and variants', () => {
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-open-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('creates a missing data directory', async () => {
    const dataDir = path.join(temp(), 'nested', 'data');
    const store = await openStore({ dataDir });
    await store.close();
    expect(fs.existsSync(path.join(dataDir, SQLITE_FILE))).toBe(true);
  });

  it('explains a data directory that cannot be created', async () => {
    const file = path.join(temp(), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    await expect(openStore({ dataDir: path.join(file, 'data') })).rejects.toMatchObject({
      name: 'AppError',
      code: 'store-failed',
      message: expect.stringMatching(/cannot be created or written .*point --data at another directory/),
    });
  });

  it('explains a file that is not a ledger', async () => {
    const dataDir = temp();
    fs.writeFileSync(path.join(dataDir, SQLITE_FILE), 'this is not a database, just text '.repeat(200));
    await expect(openStore({ dataDir })).rejects.toMatchObject({ code: 'store-failed', message: expect.stringContaining('SQLite ledger') });
  });

  it('rejects a DATABASE_URL that is not postgres://', async () => {
    await expect(openStore({ databaseUrl: 'mysql://localhost/herald' })).rejects.toMatchObject({ code: 'usage' });
  });

  it('explains an unreachable PostgreSQL without printing the password', async () => {
    const port = await closedPort();
    const error = await openStore({ databaseUrl: `postgres://herald:s3cret@127.0.0.1:${port}/herald` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'store-failed', message: expect.stringContaining('DATABASE_URL') });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('opens a private in-memory ledger for simulations', async () => {
    const store = await openStore({ inMemory: true });
    await syncPlan(store, [buildPost({ n: 1 })], WINDOW, NOW);
    expect(await listPosts(store)).toHaveLength(1);
    await store.close();
  });

  it('knows the test server (global setup started PostgreSQL)', () => {
    expect(postgresAdminUrl()).toMatch(/^postgres:\/\/.*127\.0\.0\.1:\d+\//);
  });
});

/** A port on 127.0.0.1 nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}
