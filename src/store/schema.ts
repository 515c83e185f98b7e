/**
 * The ledger's tables as Kysely sees them. Column names are snake_case in SQL;
 * rows are mapped to camelCase `LedgerPost` objects in rows.ts.
 *
 * Every instant is an integer of epoch milliseconds (BIGINT in PostgreSQL,
 * INTEGER in SQLite), never local text: a row means the same instant whatever
 * the host time zone, and comparisons in SQL are plain integer comparisons.
 */
import type { Generated } from 'kysely';
import type { PostKind } from '../plan/types';
import type { PostState } from './types';

/**
 * `posts`: one row per revision of a post; primary key (id, revision).
 * The current revision of an id is its one row that is not `superseded`
 * (a partial unique index keeps it single).
 */
export interface PostsTable {
  id: string;
  revision: number;
  office_id: string;
  rule_id: string;
  channel_id: string;
  kind: PostKind;
  release_id: string | null;
  subject: string;
  template: string;
  due_at: number;
  deadline: number | null;
  fingerprint: string;
  facts_json: string;
  state: PostState;
  attempts: number;
  next_attempt_at: number | null;
  rendered_json: string | null;
  remote_id: string | null;
  remote_url: string | null;
  published_at: number | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  updated_at: number;
  /** The approval cut-off of a post that needs approval (migrations/0010-approvals.ts); null: none needed. */
  approve_by: number | null;
  /** Digest of the rendered content (store/approvals.ts `contentHash`), set and cleared with `rendered_json`. */
  content_hash: string | null;
  /** When the `unapproved` alert of this revision was raised; null: not yet. */
  approval_alerted_at: number | null;
  /** The card's verification code (render/verify-code.ts, migrations/0012-verify-code.ts); null only in rows written before it by hand. */
  verify_code: string | null;
}

/**
 * `attempts`: one row per claim of a post revision (a channel call).
 * Written by `claimDue` (outcome null: in flight) and completed by
 * `markPublished`, `markFailed` or `releaseExpiredLeases`; reconciliation
 * (reconcile-store.ts) adds rows of its own, outcome `reconciled` or `not-found`.
 */
export interface AttemptsTable {
  post_id: string;
  revision: number;
  attempt: number;
  owner: string;
  started_at: number;
  finished_at: number | null;
  /** `published`, `retrying`, `dead`, `unknown`, `interrupted` (holder died before sending), `reconciled` or `not-found`; null while in flight. */
  outcome: string | null;
  error: string | null;
  remote_id: string | null;
  /** `preparing` (claimed, nothing sent that creates the post), `sending`, or null (before migration 0003): see migrations/0003-attempt-phase.ts. */
  phase: string | null;
}

/** `runtime_status`: key → JSON value, for what `status` shows (config loads, re-plans, heartbeats). */
export interface RuntimeStatusTable {
  key: string;
  value_json: string;
}

/** `instances`: one row per running bot, its heartbeat renewed every few seconds (store/instances.ts). */
export interface InstancesTable {
  id: string;
  pid: number;
  host: string;
  started_at: number;
  heartbeat_at: number;
}

/** `job_runs`: who runs a periodic job for one period (store/job-runs.ts). */
export interface JobRunsTable {
  job: string;
  period_key: string;
  owner: string;
  started_at: number;
  finished_at: number | null;
}

/**
 * `media`: the bytes of each rendered card (migrations/0005-card-media.ts),
 * stored with the rendering so any instance can publish and serve it.
 */
export interface MediaTable {
  /** As the ledger records it: `media/<post>/r<revision>/card.jpg`, relative to the data directory. */
  file: string;
  post_id: string;
  revision: number;
  /** The file name alone (`card.jpg`, `card-2.jpg`). */
  name: string;
  mime: string;
  width: number;
  height: number;
  /** BLOB (SQLite) / BYTEA (PostgreSQL); both drivers return a Buffer. */
  bytes: Buffer;
  /** hex SHA-256 of `bytes`: the rendering records it too, so a stale cached file is noticed. */
  sha256: string;
  created_at: number;
}

/** `config_revisions`: every change of an office's config, valid or not (migrations/0006-config-revisions.ts). */
export interface ConfigRevisionsTable {
  id: Generated<number>;
  office_id: string;
  parent_id: number | null;
  /** `files` for edits on disk, `cli`, or a user name. */
  author: string;
  created_at: number;
  message: string;
  /** `{ "relative/path": "text" }` */
  files_json: string;
  /** sha256 (hex) of the files, as store/config-revisions.ts `hashFiles` computes it. */
  content_hash: string;
  /** The problems found when checked (errors and warnings), file paths relative to the revision. */
  problems_json: string;
  /** 1 when no problem is an error; only such a revision can become current. */
  valid: number;
}

/** `config_current`: the revision each office runs. */
export interface ConfigCurrentTable {
  office_id: string;
  revision_id: number | null;
  updated_at: number;
}

/**
 * `channel_tokens`: the access token each channel publishes with, shared by
 * every instance (migrations/0007-channel-tokens.ts, store/channel-tokens.ts).
 */
export interface ChannelTokensTable {
  channel_id: string;
  /** AES-256-GCM sealed (store/token-cipher.ts); null while the token from `.env` is used. */
  token_sealed: string | null;
  source: 'env' | 'refreshed';
  /** sha256 (hex) of the `.env` token this state descends from. */
  env_fingerprint: string;
  /** JSON array of fingerprints of `.env` tokens this state replaced. */
  retired_fingerprints: string;
  obtained_at: number;
  expires_at: number | null;
  updated_at: number;
  updated_by: string;
}

/** `alert_deliveries`: which problem each alert scope delivered last, and when (migrations/0008-alert-deliveries.ts). */
export interface AlertDeliveriesTable {
  /** `global` or `office:<id>`. */
  scope: string;
  /** `kind|postId`. */
  problem: string;
  /** A digest of the message delivered (never the message). */
  digest: string;
  delivered_at: number;
}

/** `alert_sends`: when each notice of a sink (`<scope>|<sink>`) was let through the rate limit. */
export interface AlertSendsTable {
  scope: string;
  sent_at: number;
}

/** `alert_held`: notices of a sink held back by its rate limit, for the one summary. */
export interface AlertHeldTable {
  scope: string;
  held: number;
  updated_at: number;
}

/** `approvals`: a staff approval of one post revision's content (migrations/0010-approvals.ts). */
export interface ApprovalsTable {
  post_id: string;
  revision: number;
  content_hash: string;
  approver: string;
  approved_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
}

/** `post_actions`: what staff did to a post (store/post-actions.ts), for the audit trail. */
export interface PostActionsTable {
  post_id: string;
  revision: number;
  /** `skip`, `retry`, `posted-by-hand`, `not-posted`. */
  action: string;
  actor: string;
  at: number;
  from_state: string;
  to_state: string;
  /** JSON: the reason, link, or deadline decision. */
  detail: string | null;
}

/** `users`: who may sign in to the web console (migrations/0009-console-users.ts, store/users.ts). */
export interface UsersTable {
  id: Generated<number>;
  name: string;
  /** Self-describing scrypt hash (web/password.ts); never the password. */
  password_hash: string;
  /** 1: every office, every role. */
  global_admin: number;
  /** 1: may not sign in; their sessions end. */
  disabled: number;
  created_at: number;
}

/** `user_roles`: a user's role in one office. */
export interface UserRolesTable {
  user_id: number;
  office_id: string;
  role: string;
}

/** `sessions`: signed-in browsers (store/sessions.ts); `id` is the SHA-256 (hex) of the cookie token. */
export interface SessionsTable {
  id: string;
  user_id: number;
  csrf_secret: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute end; the idle end is `last_seen_at` + the idle timeout. */
  expires_at: number;
}

/** `audit_log`: what staff did in the console (store/audit-log.ts). */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** The user as typed or known; null when no user is concerned. */
  user_name: string | null;
  office_id: string | null;
  action: string;
  detail_json: string;
  ip: string | null;
}

/** `login_failures`: one row per failed sign-in, per key (`user:<name>`, `ip:<address>`). */
export interface LoginFailuresTable {
  key: string;
  at: number;
}

/**
 * `public_versions`: what the public feeds last showed of an opening
 * (`opening:{releaseId}`) or of an office's list of openings (`openings`),
 * and how often that changed (migrations/0013-public-versions.ts, store/public-versions.ts).
 */
export interface PublicVersionsTable {
  office_id: string;
  item: string;
  fingerprint: string;
  /** 0 for the first version, raised by one on each change (the ICS SEQUENCE). */
  sequence: number;
  /** When the current version was first served. */
  modified_at: number;
}

export interface Database {
  posts: PostsTable;
  attempts: AttemptsTable;
  runtime_status: RuntimeStatusTable;
  instances: InstancesTable;
  job_runs: JobRunsTable;
  media: MediaTable;
  config_revisions: ConfigRevisionsTable;
  config_current: ConfigCurrentTable;
  channel_tokens: ChannelTokensTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_sends: AlertSendsTable;
  alert_held: AlertHeldTable;
  approvals: ApprovalsTable;
  post_actions: PostActionsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  login_failures: LoginFailuresTable;
  public_versions: PublicVersionsTable;
}
