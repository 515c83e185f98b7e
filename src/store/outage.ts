/**
 * A lost database is an outage to wait out, not a reason to exit: the bot
 * keeps its timers, backs off, and tries again until the server is back.
 * This module tells an outage from other store errors and words the one-line
 * message staff read while it lasts.
 */
import { isNativeError } from 'node:util/types';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { describeError } from './open';

/** Socket errors that mean "the server is not there (now)". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * PostgreSQL SQLSTATEs of a server going away or not accepting yet:
 * class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up / shutting down).
 */
function isServerGoneState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

/** pg's fixed texts for a connection lost under a client (no code on these). */
const PG_CONNECTION_LOST = [
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
];

/**
 * Whether `error` (or its cause chain) says the database cannot be reached.
 * pg reports a socket closed under it only by message (its Error has no code),
 * so its fixed texts for that are matched as well.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    // isNativeError, not instanceof: socket errors may come from another realm (a test sandbox).
    if (!isNativeError(current)) break;
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isServerGoneState(code))) return true;
    if (PG_CONNECTION_LOST.includes(current.message)) return true;
    // AggregateError: Node's happy-eyeballs connect reports each address tried.
    const errors = (current as Partial<AggregateError>).errors;
    if (Array.isArray(errors) && errors.some((each) => isDatabaseUnreachable(each))) return true;
    current = current.cause;
  }
  return false;
}

/** Waits between tries: 1, 2, 4, 8, 16, then every 30 s. */
export function outageBackoffMs(failures: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

/** "PostgreSQL at 127.0.0.1:5432/herald" without user or password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

/** The one line logged at each failed try. */
export function outageMessage(what: string, error: unknown, nextTryMs: number): string {
  return `${what} is unreachable (${describeError(error)}): the bot keeps running and retries; next try in ${Math.round(nextTryMs / 1000)} s`;
}

/**
 * Runs `attempt` until it succeeds, waiting with backoff while the database
 * is unreachable. Other errors are thrown at once. Returns null when `signal`
 * aborts during a wait (the bot is stopping).
 */
export async function retryWhileUnreachable<T>(
  attempt: () => Promise<T>,
  options: { what: string; clock: Clock; logger: Logger; signal: AbortSignal },
): Promise<T | null> {
  for (let failures = 1; ; failures += 1) {
    try {
      const result = await attempt();
      if (failures > 1) options.logger.info(`${options.what} is reachable again`);
      return result;
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw error;
      const waitMs = outageBackoffMs(failures);
      options.logger.error(outageMessage(options.what, error, waitMs));
      await options.clock.sleep(waitMs, options.signal);
      if (options.signal.aborted) return null;
    }
  }
}
