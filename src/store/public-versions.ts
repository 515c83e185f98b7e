/**
 * What the public feeds last showed of each item and how often it changed
 * (migrations/0013-public-versions.ts): the calendar's SEQUENCE and
 * LAST-MODIFIED, the feeds' Last-Modified.
 *
 * Serving a feed reads an office's rows (one query) and writes only what
 * changed: a feed polled every minute by thousands of calendars costs one
 * read per request, and a write once per edit.
 */
import type { Store } from './open';

export interface PublicVersion {
  fingerprint: string;
  /** 0 for the first version seen, raised by one on each change. */
  sequence: number;
  /** When the current version was first served. */
  modifiedAt: Date;
}

export interface SeenItem {
  /** `opening:{releaseId}`, `openings`, …: unique within the office. */
  item: string;
  /** What is shown now. */
  fingerprint: string;
}

export async function readPublicVersions(store: Store, officeId: string): Promise<Map<string, PublicVersion>> {
  const rows = await store.db.selectFrom('public_versions').select(['item', 'fingerprint', 'sequence', 'modified_at']).where('office_id', '=', officeId).execute();
  return new Map(rows.map((row) => [row.item, { fingerprint: row.fingerprint, sequence: Number(row.sequence), modifiedAt: new Date(Number(row.modified_at)) }]));
}

/**
 * The versions of `items` as shown now: each new item is recorded at
 * sequence 0, each changed one gets the next sequence, and `now` as its
 * modification time. Nothing is written when nothing changed.
 *
 * Safe when several instances serve the same change at once: the upsert's
 * condition (`fingerprint <> excluded.fingerprint`) is checked against the row
 * as the first writer left it, so the change is counted once (PostgreSQL
 * locks the row and re-checks; SQLite writes one at a time).
 */
export async function recordPublicVersions(store: Store, officeId: string, items: readonly SeenItem[], now: Date): Promise<Map<string, PublicVersion>> {
  const known = await readPublicVersions(store, officeId);
  const changed = items.filter((item) => known.get(item.item)?.fingerprint !== item.fingerprint);
  if (changed.length === 0) return known;
  await upsertPublicVersions(store, officeId, changed, now);
  return readPublicVersions(store, officeId);
}

/**
 * The write of recordPublicVersions, on its own: inserts new items, raises the
 * sequence of those whose fingerprint differs from the row's, leaves the rest.
 * What another instance wrote between our read and this write is what the
 * condition compares against.
 */
export async function upsertPublicVersions(store: Store, officeId: string, items: readonly SeenItem[], now: Date): Promise<void> {
  await store.db
    .insertInto('public_versions')
    .values(items.map((item) => ({ office_id: officeId, item: item.item, fingerprint: item.fingerprint, sequence: 0, modified_at: now.getTime() })))
    .onConflict((conflict) =>
      conflict
        .columns(['office_id', 'item'])
        .doUpdateSet((eb) => ({
          fingerprint: eb.ref('excluded.fingerprint'),
          sequence: eb('public_versions.sequence', '+', 1),
          modified_at: eb.ref('excluded.modified_at'),
        }))
        .where('public_versions.fingerprint', '<>', (eb) => eb.ref('excluded.fingerprint')),
    )
    .execute();
}
