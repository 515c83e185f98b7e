/**
 * Every card carries a verification code (render/verify-code.ts) that the
 * public types on the office's page to see the original post (issue 10). The
 * code derives from columns the row already has, but a lookup by code needs
 * it stored and indexed: `verify_code`, set by plannedToRow for new rows and
 * filled here for the rows that exist.
 */
import { type Kysely, type Migration } from 'kysely';
import { verifyCode } from '../../render/verify-code';

const BATCH = 500;

interface Tables {
  posts: { id: string; revision: number; office_id: string; rule_id: string; subject: string; fingerprint: string; verify_code: string | null };
}

export const verifyCodeMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('posts').addColumn('verify_code', 'text').execute();
    // Keyset pages over the primary key: no OFFSET scans on a large ledger.
    const typed = db as unknown as Kysely<Tables>;
    let after: { id: string; revision: number } | null = null;
    for (;;) {
      let query = typed.selectFrom('posts').select(['id', 'revision', 'office_id', 'rule_id', 'subject', 'fingerprint']).orderBy('id').orderBy('revision').limit(BATCH);
      if (after) {
        const { id, revision } = after;
        query = query.where((eb) => eb.or([eb('id', '>', id), eb.and([eb('id', '=', id), eb('revision', '>', revision)])]));
      }
      const rows = await query.execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const code = verifyCode({ officeId: row.office_id, ruleId: row.rule_id, subject: row.subject, fingerprint: row.fingerprint });
        await typed.updateTable('posts').set({ verify_code: code }).where('id', '=', row.id).where('revision', '=', Number(row.revision)).execute();
      }
      const last = rows[rows.length - 1]!;
      after = { id: last.id, revision: Number(last.revision) };
    }
    await db.schema.createIndex('posts_verify_code').on('posts').column('verify_code').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('posts_verify_code').execute();
    await db.schema.alterTable('posts').dropColumn('verify_code').execute();
  },
};
