/**
 * store/outage on the real embedded PostgreSQL behind a TCP proxy the test
 * cuts: refused and cut connections are recognised as an outage, opening the
 * store waits for the database with backoff, and a connection that dies while
 * checked out of the pool does not crash the process.
 */
import { sql } from 'kysely';
import { createVirtualClock } from '../../src/clock';
import { openStore, type Store } from '../../src/store/open';
import { isDatabaseUnreachable, outageBackoffMs, retryWhileUnreachable } from '../../src/store/outage';
import { captureLogs } from '../alerts/support';
import { createTestDatabase } from '../support/databases';
import { hostAndPort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

describe('store/outage on postgres', () => {
  let proxy: TcpProxy;
  let url: string;
  const opened: Store[] = [];

  beforeEach(async () => {
    const database = await createTestDatabase('postgres');
    proxy = await startTcpProxy(hostAndPort(database.databaseUrl!));
    url = proxy.urlFor(database.databaseUrl!);
  });

  afterEach(async () => {
    await proxy.up();
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await proxy.close();
  });

  it('backs off 1, 2, 4, 8, 16 s, then every 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(outageBackoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('opening a store whose server refuses fails with an error recognised as an outage', async () => {
    await proxy.down();
    const error = await openStore({ databaseUrl: url }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(isDatabaseUnreachable(error)).toBe(true);
    // A wrong URL is not an outage: waiting would not fix it.
    expect(isDatabaseUnreachable(await openStore({ databaseUrl: 'mysql://x' }).catch((thrown: unknown) => thrown))).toBe(false);
  });

  it('waits for a database that is down at start, one line per try, and opens it once it is back', async () => {
    const { logger, lines } = captureLogs();
    await proxy.down();
    const inner = createVirtualClock(new Date('2026-12-04T05:00:00Z'));
    let tries = 0;
    const clock = { now: inner.now, sleep: async (ms: number) => { tries += 1; if (tries === 3) await proxy.up(); await inner.sleep(ms); } };
    const store = await retryWhileUnreachable(() => openStore({ databaseUrl: url }), { what: 'PostgreSQL at the proxy', clock, logger, signal: new AbortController().signal });
    opened.push(store!);
    expect(await sql<{ one: number }>`select 1 as one`.execute(store!.db)).toMatchObject({ rows: [{ one: 1 }] });
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual([
      expect.stringMatching(/^PostgreSQL at the proxy is unreachable \(.*\): the bot keeps running and retries; next try in 1 s$/),
      expect.stringMatching(/next try in 2 s$/),
      expect.stringMatching(/next try in 4 s$/),
      'PostgreSQL at the proxy is reachable again',
    ]);
    expect(inner.now().toISOString()).toBe('2026-12-04T05:00:07.000Z');
  });

  it('stops waiting when the bot is asked to stop', async () => {
    await proxy.down();
    const stop = new AbortController();
    const inner = createVirtualClock(new Date('2026-12-04T05:00:00Z'));
    const clock = { now: inner.now, sleep: async (ms: number) => { stop.abort(); await inner.sleep(ms); } };
    expect(await retryWhileUnreachable(() => openStore({ databaseUrl: url }), { what: 'db', clock, logger: captureLogs().logger, signal: stop.signal })).toBeNull();
  });

  it('survives a connection that dies while checked out of the pool, and queries again once the server is back', async () => {
    const store = await openStore({ databaseUrl: url });
    opened.push(store);
    // Hold one connection idle but checked out (as a paused instance does), then cut it.
    // Without a listener on the client, its `error` event is an uncaught exception here.
    await store.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      await proxy.down();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lost = await sql`select 1`.execute(conn).catch((thrown: unknown) => thrown);
      expect(isDatabaseUnreachable(lost)).toBe(true);
    });
    await proxy.up();
    expect(await sql<{ one: number }>`select 1 as one`.execute(store.db)).toMatchObject({ rows: [{ one: 1 }] });
  });
});
