/**
 * store/revision-listener on the real embedded PostgreSQL, behind a TCP proxy
 * the test cuts (every connection dropped, then refused, then accepted again:
 * what a client sees of a server restart): a revision becoming current is
 * heard at once through NOTIFY, an invalid one is not announced, and after the
 * loss the listener connects again by itself, says it may have missed
 * notices, and hears the next revision. On SQLite there is nothing to listen to.
 */
import { createRevision, type RevisionNotice } from '../../src/store/config-revisions';
import type { Clock } from '../../src/clock';
import { openStore, type Store } from '../../src/store/open';
import { listenForRevisions } from '../../src/store/revision-listener';
import { captureLogs } from '../alerts/support';
import { createTestDatabase } from '../support/databases';
import { waitFor } from '../support/process';
import { hostAndPort, startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/** Real time, but the listener's backoff waits are cut to 20 ms: the test is about reconnecting, not about waiting. */
const quickClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, 20));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

const files = (regular: number): Record<string, string> => ({ 'herald.yaml': 'office: {}\n', 'calendar.yaml': `# regular ${regular}\n` });
const error = { message: 'broken', severity: 'error' as const };

describe('store/revision-listener on postgres', () => {
  let proxy: TcpProxy;
  let direct: Store;
  let proxied: Store;

  beforeEach(async () => {
    const database = await createTestDatabase('postgres');
    direct = await database.open();
    proxy = await startTcpProxy(hostAndPort(database.databaseUrl!));
    proxied = await openStore({ databaseUrl: proxy.urlFor(database.databaseUrl!) });
  });

  afterEach(async () => {
    await proxy.up();
    await Promise.all([direct.close(), proxied.close()]);
    await proxy.close();
  });

  it('hears each revision that becomes current, reconnects after the connection is cut, and says it may have missed some', async () => {
    const { logger, text } = captureLogs();
    const heard: (RevisionNotice | null)[] = [];
    const stop = new AbortController();
    const listening = listenForRevisions({ store: proxied, clock: quickClock, logger, signal: stop.signal, onNotice: (notice) => heard.push(notice) });
    try {
      await waitFor(() => heard.length === 1, 10_000, () => `the first connect: ${JSON.stringify(heard)}\n${text()}`);
      expect(heard).toEqual([null]);

      const first = await createRevision(direct, { officeId: 'kanim-a', parentId: null, author: 'ani', message: 'one', files: files(1), problems: [] }, new Date());
      await waitFor(() => heard.length === 2, 10_000, () => `the notice of revision ${first.revision.id}: ${JSON.stringify(heard)}`);
      expect(heard[1]).toEqual({ officeId: 'kanim-a', revisionId: first.revision.id });

      // An invalid revision never becomes current: nothing to announce.
      await createRevision(direct, { officeId: 'kanim-a', parentId: first.revision.id, author: 'ani', message: 'bad', files: files(2), problems: [error] }, new Date());

      // The server "restarts": the listening connection is cut, new ones refused for a while.
      await proxy.down();
      await waitFor(() => text().includes('the config revision listener lost'), 10_000, () => `the loss in the log\n${text()}`);
      // Made while nobody listens: this notice is lost, which is why the listener says so on reconnecting.
      const missed = await createRevision(direct, { officeId: 'kanim-b', parentId: null, author: 'budi', message: 'while down', files: files(3), problems: [] }, new Date());
      await new Promise((resolve) => setTimeout(resolve, 200)); // a few refused tries
      await proxy.up();
      await waitFor(() => heard.length === 3, 10_000, () => `the reconnect: ${JSON.stringify(heard)}\n${text()}`);
      expect(heard[2]).toBeNull();
      expect(text()).toContain('listening for config revisions again');
      expect(heard).not.toContainEqual({ officeId: 'kanim-b', revisionId: missed.revision.id });

      const after = await createRevision(direct, { officeId: 'kanim-a', parentId: first.revision.id, author: 'ani', message: 'after', files: files(4), problems: [] }, new Date());
      await waitFor(() => heard.length === 4, 10_000, () => `the notice after the reconnect: ${JSON.stringify(heard)}`);
      expect(heard[3]).toEqual({ officeId: 'kanim-a', revisionId: after.revision.id });
    } finally {
      stop.abort();
      await listening;
    }
  });

  it('keeps trying while the server refuses, and stops when asked', async () => {
    await proxy.down();
    const { logger } = captureLogs();
    const heard: (RevisionNotice | null)[] = [];
    const stop = new AbortController();
    const listening = listenForRevisions({ store: proxied, clock: quickClock, logger, signal: stop.signal, onNotice: (notice) => heard.push(notice) });
    const acceptedBefore = proxy.accepted;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await proxy.up();
    await waitFor(() => heard.length === 1, 10_000, () => 'the connect once the server is back');
    expect(proxy.accepted).toBeGreaterThan(acceptedBefore);
    stop.abort();
    await listening; // resolves: never rejects, never hangs
  });
});

describe('store/revision-listener on sqlite', () => {
  it('has nothing to listen to: returns at once (the bot polls)', async () => {
    const database = await createTestDatabase('sqlite');
    const store = await database.open();
    try {
      const heard: unknown[] = [];
      await listenForRevisions({ store, clock: quickClock, logger: captureLogs().logger, signal: new AbortController().signal, onNotice: (notice) => heard.push(notice) });
      expect(heard).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
