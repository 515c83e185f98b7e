/**
 * Console sessions, in the database so every instance behind a load balancer
 * knows them. The browser holds a random token; the table holds only its
 * SHA-256, so reading the table (a backup, a log of queries) gives no one a session.
 *
 * A session ends at whichever comes first: `expires_at` (absolute, set at
 * sign-in) or `last_seen_at` + the idle timeout. `last_seen_at` is written at
 * most once per TOUCH_EVERY_MS, not at every request.
 */
import crypto from 'node:crypto';
import type { Store } from './open';

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

/** 2 h without a request, 12 h in all: a working day, then sign in again. */
export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 };
const TOUCH_EVERY_MS = 60_000;

export interface Session {
  /** SHA-256 (hex) of the token. */
  id: string;
  userId: number;
  csrfSecret: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A new session for `userId`; returns the token for the cookie (shown once, never stored). */
export async function createSession(store: Store, userId: number, now: Date, timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS): Promise<{ token: string; session: Session }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const session: Session = {
    id: hashSessionToken(token),
    userId,
    csrfSecret: crypto.randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + timeouts.absoluteMs),
  };
  await store.db
    .insertInto('sessions')
    .values({ id: session.id, user_id: userId, csrf_secret: session.csrfSecret, created_at: now.getTime(), last_seen_at: now.getTime(), expires_at: session.expiresAt.getTime() })
    .execute();
  return { token, session };
}

/**
 * The live session of `token`, its last use moved to `now`; undefined when
 * there is none, it expired (then it is deleted), or its user is disabled.
 */
export async function findSession(store: Store, token: string, now: Date, timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS): Promise<Session | undefined> {
  const id = hashSessionToken(token);
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.csrf_secret', 'sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at', 'users.disabled'])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const at = now.getTime();
  const lastSeen = Number(row.last_seen_at);
  if (at >= Number(row.expires_at) || at >= lastSeen + timeouts.idleMs || row.disabled === 1) {
    await deleteSession(store, id);
    return undefined;
  }
  if (at - lastSeen >= TOUCH_EVERY_MS) await store.db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  return {
    id,
    userId: Number(row.user_id),
    csrfSecret: row.csrf_secret,
    createdAt: new Date(Number(row.created_at)),
    lastSeenAt: new Date(at - lastSeen >= TOUCH_EVERY_MS ? at : lastSeen),
    expiresAt: new Date(Number(row.expires_at)),
  };
}

export async function deleteSession(store: Store, id: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user (a disabled account, a changed password). */
export async function deleteUserSessions(store: Store, userId: number): Promise<number> {
  const result = await store.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session of a user but one (the browser that changed the password stays signed in). */
export async function deleteOtherSessions(store: Store, userId: number, keepId: string): Promise<number> {
  const result = await store.db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Removes sessions past their absolute or idle end; returns how many. `limit`:
 * at most that many in this statement (the clean-up deletes in short batches,
 * app/console-cleanup.ts), else every one.
 */
export async function deleteExpiredSessions(store: Store, now: Date, timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS, limit?: number): Promise<number> {
  const at = now.getTime();
  const expired = store.db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen_at', '<=', at - timeouts.idleMs)]));
  const result = await store.db
    .deleteFrom('sessions')
    .where('id', 'in', limit === undefined ? expired : expired.limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
