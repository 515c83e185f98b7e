/**
 * Failed sign-ins, shared by every instance: a password guesser spread over
 * several instances behind a load balancer meets one limit. Counted per user
 * name (`user:<name>`, guessing one account's password) and per address
 * (`ip:<address>`, trying many accounts); either over its limit within the
 * window locks that key until its oldest failure in the window ages out.
 */
import type { Store } from './open';

export interface LockoutPolicy {
  windowMs: number;
  maxPerUser: number;
  maxPerIp: number;
}

/** 5 wrong passwords for one name, or 20 from one address, in 15 minutes: locked for up to 15 minutes. */
export const DEFAULT_LOCKOUT: LockoutPolicy = { windowMs: 15 * 60_000, maxPerUser: 5, maxPerIp: 20 };

export const userKey = (name: string): string => `user:${name}`;
export const ipKey = (ip: string): string => `ip:${ip}`;

export async function recordLoginFailure(store: Store, keys: readonly string[], now: Date): Promise<void> {
  if (keys.length === 0) return;
  await store.db
    .insertInto('login_failures')
    .values(keys.map((key) => ({ key, at: now.getTime() })))
    .execute();
}

/** When the key is locked until (the moment its failures in the window drop below `max`), or null when it is not locked. */
export async function lockedUntil(store: Store, key: string, max: number, now: Date, windowMs: number): Promise<Date | null> {
  const since = now.getTime() - windowMs;
  const rows = await store.db.selectFrom('login_failures').select('at').where('key', '=', key).where('at', '>', since).orderBy('at', 'desc').limit(max).execute();
  if (rows.length < max) return null;
  // The max-th newest failure: once it leaves the window, fewer than max remain.
  return new Date(Number(rows[max - 1]!.at) + windowMs);
}

/** A successful sign-in forgets the user's failures (not the address's: one good account does not clear a sweep). */
export async function clearLoginFailures(store: Store, key: string): Promise<void> {
  await store.db.deleteFrom('login_failures').where('key', '=', key).execute();
}

/**
 * Drops failures older than the window (the counts ignore them anyway); returns how many.
 * `limit`: about that many in this statement (rows of one key at one instant go together).
 */
export async function pruneLoginFailures(store: Store, now: Date, windowMs: number, limit?: number): Promise<number> {
  const before = now.getTime() - windowMs;
  if (limit === undefined) {
    const result = await store.db.deleteFrom('login_failures').where('at', '<=', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  // The table has no key of its own: rows are picked by (key, at), the columns of its index.
  const result = await store.db
    .deleteFrom('login_failures')
    .where(({ eb, refTuple, selectFrom }) =>
      eb(refTuple('key', 'at'), 'in', selectFrom('login_failures').select(['key', 'at']).where('at', '<=', before).limit(limit).$asTuple('key', 'at')),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
