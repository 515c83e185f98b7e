/**
 * PostgreSQL: LISTEN for config revisions becoming current (the NOTIFY that
 * store/config-revisions.ts sends at commit), so a running instance switches
 * at once instead of at its next poll.
 *
 * The session is a client of its own, outside the pool: a LISTEN belongs to
 * one connection, and pooled connections are handed to any query. When the
 * connection is lost (PostgreSQL restarting, the network) the listener waits
 * with the outage backoff and connects again, for as long as the bot runs;
 * nothing here ever throws or exits. Notifications sent while it was not
 * listening are lost, so after every (re)connect it says so (`onNotice(null)`)
 * and the bot looks at the current revisions once. Polling stays on beside
 * it: a listener that is down (or a NOTIFY lost) only costs the poll delay.
 */
import type pg from 'pg';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { REVISIONS_CHANNEL, type RevisionNotice } from './config-revisions';
import { describeError, type Store } from './open';
import { outageBackoffMs } from './outage';

export interface RevisionListenerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Aborting ends the session and the loop. */
  signal: AbortSignal;
  /**
   * A revision became current (`notice`), or the listener has just (re)connected and
   * notifications may have been missed (`null`): look at the current revisions.
   */
  onNotice: (notice: RevisionNotice | null) => void;
}

/**
 * Listens until `signal` aborts; the promise resolves then (never rejects).
 * A store without its own sessions (SQLite) resolves at once: the bot polls.
 */
export async function listenForRevisions(options: RevisionListenerOptions): Promise<void> {
  const { store, clock, logger, signal } = options;
  const newClient = store.newClient;
  if (!newClient) return;
  const stopped = new Promise<null>((resolve) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener('abort', () => resolve(null), { once: true });
  });
  let failures = 0;
  while (!signal.aborted) {
    const client = newClient();
    // Registered before connecting: an `error` event without a listener would end the process.
    const lost = new Promise<unknown>((resolve) => {
      client.on('error', resolve);
      client.on('end', () => resolve(new Error('Connection terminated')));
    });
    client.on('notification', (message) => {
      if (message.channel !== REVISIONS_CHANNEL) return;
      const notice = parseNotice(message.payload);
      if (!notice) logger.warn({ payload: message.payload }, 'ignored a config revision notice that does not parse');
      options.onNotice(notice);
    });
    try {
      const connected = await Promise.race([
        connectAndListen(client).then(() => true),
        lost.then((why) => Promise.reject(why instanceof Error ? why : new Error(String(why)))),
        stopped.then(() => false),
      ]);
      if (!connected) break;
      if (failures > 0) logger.info(`listening for config revisions again (${store.label})`);
      else logger.debug(`listening for config revisions (${store.label})`);
      failures = 0;
      options.onNotice(null);
      const why = await Promise.race([lost, stopped]);
      if (why === null) break;
      failures = 1;
      logger.warn(`the config revision listener lost ${store.label} (${describeError(why)}): connecting again; meanwhile new revisions are found by polling`);
    } catch (error) {
      if (signal.aborted) break;
      failures += 1;
      // The outage itself is reported by the schedule loop; one line per try here would double it.
      logger.debug(`the config revision listener cannot connect (${describeError(error)}); next try in ${Math.round(outageBackoffMs(failures) / 1000)} s`);
    } finally {
      await endQuietly(client, clock);
    }
    await clock.sleep(outageBackoffMs(failures), signal);
  }
}

async function connectAndListen(client: pg.Client): Promise<void> {
  await client.connect();
  // The channel name is a constant identifier: no quoting or parameters needed (LISTEN takes none).
  await client.query(`LISTEN ${REVISIONS_CHANNEL}`);
}

/** Ends the session; a socket that never reports its end must not stall the loop. */
async function endQuietly(client: pg.Client, clock: Clock): Promise<void> {
  const ended = new AbortController();
  await Promise.race([client.end().catch(() => undefined), clock.sleep(END_WAIT_MS, ended.signal)]);
  ended.abort();
}

const END_WAIT_MS = 5_000;

function parseNotice(payload: string | undefined): RevisionNotice | null {
  try {
    const parsed = JSON.parse(payload ?? '') as Partial<RevisionNotice>;
    if (typeof parsed.officeId === 'string' && typeof parsed.revisionId === 'number') return { officeId: parsed.officeId, revisionId: parsed.revisionId };
  } catch {
    // Reported by the caller as unparsable.
  }
  return null;
}
