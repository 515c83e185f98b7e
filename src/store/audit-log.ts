/**
 * What staff did in the console: every sign-in, sign-out, failed sign-in and
 * change, with who, when, which office and from where. Append-only: nothing
 * updates a record, and only the retention clean-up deletes one, once it is
 * older than settings.web.auditRetentionDays (a year by default).
 * `detail` never holds a password or token.
 */
import type { Store } from './open';

export interface AuditEntry {
  /** The user as known, or as typed for a failed sign-in; null when no user is concerned. */
  userName: string | null;
  officeId: string | null;
  /** `login`, `logout`, `login-failed`, `login-locked`, `calendar.edit`, …: `<area>.<verb>` for changes. */
  action: string;
  detail: Readonly<Record<string, unknown>>;
  ip: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: Date;
}

export async function appendAudit(store: Store, entry: AuditEntry, now: Date): Promise<void> {
  await store.db
    .insertInto('audit_log')
    .values({ at: now.getTime(), user_name: entry.userName, office_id: entry.officeId, action: entry.action, detail_json: JSON.stringify(entry.detail), ip: entry.ip })
    .execute();
}

/** Newest first. `officeIds` limits to those offices (entries with no office are left out then). */
export async function listAudit(store: Store, options: { officeIds?: readonly string[]; userName?: string; limit?: number } = {}): Promise<AuditRecord[]> {
  let query = store.db.selectFrom('audit_log').selectAll();
  if (options.officeIds) {
    if (options.officeIds.length === 0) return [];
    query = query.where('office_id', 'in', options.officeIds);
  }
  if (options.userName !== undefined) query = query.where('user_name', '=', options.userName);
  const rows = await query.orderBy('id', 'desc').limit(options.limit ?? 100).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    at: new Date(Number(row.at)),
    userName: row.user_name,
    officeId: row.office_id,
    action: row.action,
    detail: parseDetail(row.detail_json),
    ip: row.ip,
  }));
}

/** Deletes up to `limit` entries from before `before`; returns how many (app/console-cleanup.ts calls it batch by batch). */
export async function pruneAudit(store: Store, before: Date, limit: number): Promise<number> {
  const old = store.db.selectFrom('audit_log').select('id').where('at', '<', before.getTime()).limit(limit);
  const result = await store.db.deleteFrom('audit_log').where('id', 'in', old).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return {};
  }
}
