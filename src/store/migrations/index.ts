/**
 * In-code migration provider: migrations are compiled with the app, so a
 * packaged bot never depends on finding .ts/.js files at run time.
 * Names sort in order of application; never rename or edit an applied one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './0001-initial';
import { uniqueRemoteIdMigration } from './0002-unique-remote-id';
import { attemptPhaseMigration } from './0003-attempt-phase';
import { instancesMigration } from './0004-instances';
import { cardMediaMigration } from './0005-card-media';
import { configRevisionsMigration } from './0006-config-revisions';
import { channelTokensMigration } from './0007-channel-tokens';
import { alertDeliveriesMigration } from './0008-alert-deliveries';
import { consoleUsersMigration } from './0009-console-users';
import { approvalsMigration } from './0010-approvals';
import { postsByOfficeMigration } from './0011-posts-by-office';
import { verifyCodeMigration } from './0012-verify-code';
import { publicVersionsMigration } from './0013-public-versions';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initialMigration,
  '0002-unique-remote-id': uniqueRemoteIdMigration,
  '0003-attempt-phase': attemptPhaseMigration,
  '0004-instances': instancesMigration,
  '0005-card-media': cardMediaMigration,
  '0006-config-revisions': configRevisionsMigration,
  '0007-channel-tokens': channelTokensMigration,
  '0008-alert-deliveries': alertDeliveriesMigration,
  '0009-console-users': consoleUsersMigration,
  '0010-approvals': approvalsMigration,
  '0011-posts-by-office': postsByOfficeMigration,
  '0012-verify-code': verifyCodeMigration,
  '0013-public-versions': publicVersionsMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
