/**
 * `public_versions` (issue 10, the feeds): what the public feeds last showed
 * of each thing, so a calendar event's SEQUENCE rises on every change of its
 * opening (RFC 5545: a reader keeps the event with the higher SEQUENCE) and
 * feeds can say when they last changed (Last-Modified).
 *
 * One row per (office, item): `opening:{releaseId}` for an opening, `openings`
 * for the list of openings as a whole. `fingerprint` is what it showed,
 * `sequence` how often that changed (0 for the first version), `modified_at`
 * when the current version was first served. Written only on a change, by an
 * upsert that raises the sequence only when the fingerprint differs, so two
 * instances serving the same change count it once (store/public-versions.ts).
 *
 * Numbered 0013: 0012 is the verification code column, made alongside.
 */
import type { Kysely, Migration } from 'kysely';

export const publicVersionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('public_versions')
      .addColumn('office_id', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('modified_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('public_versions_pk', ['office_id', 'item'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('public_versions').execute();
  },
};
