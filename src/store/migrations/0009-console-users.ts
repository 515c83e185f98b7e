/**
 * The staff web console (issue 9): who may sign in, what they may do in which
 * office, their sessions, what they did, and failed sign-ins.
 *
 * Everything lives in the database, not in the memory of one process: behind a
 * load balancer a session made on one instance is valid on every other, and a
 * password guesser is locked out on all of them (login_failures).
 *
 * - `users`: a name (unique), a self-describing scrypt hash (web/password.ts),
 *   `global_admin` (every office), `disabled`. Flags are 0/1 on both dialects.
 * - `user_roles`: (user, office) → one of admin | editor | approver | viewer.
 * - `sessions`: `id` is the SHA-256 of the cookie's token, never the token, so a
 *   read of the table does not hand out sessions. The CSRF secret of the
 *   session's forms lives beside it.
 * - `audit_log`: sign-ins, sign-outs, failed sign-ins and every change; the user
 *   is kept by name, so the record survives the user.
 * - `login_failures`: one row per failed sign-in, keyed `user:<name>` and `ip:<address>`.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql, SqliteAdapter } from 'kysely';

export const consoleUsersMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const serial = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey());
    await db.schema
      .createTable('users')
      .addColumn('id', sqlite ? 'integer' : sql`bigserial`, serial)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('global_admin', 'integer', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('office_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'office_id'])
      .execute();
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', sqlite ? 'integer' : sql`bigserial`, serial)
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('user_name', 'text')
      .addColumn('office_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('detail_json', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_office').on('audit_log').columns(['office_id', 'at']).execute();
    await db.schema
      .createTable('login_failures')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_failures_key').on('login_failures').columns(['key', 'at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('login_failures').execute();
    await db.schema.dropTable('audit_log').execute();
    await db.schema.dropTable('sessions').execute();
    await db.schema.dropTable('user_roles').execute();
    await db.schema.dropTable('users').execute();
  },
};
