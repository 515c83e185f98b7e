/**
 * Console users and their roles per office (migrations/0009-console-users.ts).
 * Passwords arrive here already hashed (web/password.ts).
 */
import { isRole, type Role } from '../web/roles';
import type { Store } from './open';
import { inWriteTransaction } from './transaction';

export interface ConsoleUser {
  id: number;
  name: string;
  globalAdmin: boolean;
  disabled: boolean;
  /** office id → role; empty for a global admin (who has every role everywhere). */
  roles: ReadonlyMap<string, Role>;
  createdAt: Date;
}

export interface NewUser {
  name: string;
  passwordHash: string;
  globalAdmin: boolean;
  roles: ReadonlyMap<string, Role>;
}

export class UserExistsError extends Error {
  constructor(readonly userName: string) {
    super(`there is already a user named "${userName}"`);
    this.name = 'UserExistsError';
  }
}

/** User names are compared as typed, trimmed and lower-cased, so "Ani" and "ani " are one user. */
export function normalizeUserName(name: string): string {
  return name.trim().toLowerCase();
}

/** Letters, digits and . _ @ - (ani.siregar, budi@kanim): safe in a URL, a log line and a shell. */
const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,99}$/;

/** Whether `name`, once normalized, is a name a new user may have. */
export function isValidUserName(name: string): boolean {
  return USER_NAME.test(normalizeUserName(name));
}

/** @throws UserExistsError when the name is taken. */
export async function createUser(store: Store, user: NewUser, now: Date): Promise<ConsoleUser> {
  const name = normalizeUserName(user.name);
  return inWriteTransaction(store, async (trx) => {
    // Checked first for the common case; the unique index decides a race (isUniqueViolation below).
    const taken = await trx.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst();
    if (taken) throw new UserExistsError(name);
    const row = await trx
      .insertInto('users')
      .values({ name, password_hash: user.passwordHash, global_admin: user.globalAdmin ? 1 : 0, disabled: 0, created_at: now.getTime() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const roles = [...user.roles].map(([officeId, role]) => ({ user_id: id, office_id: officeId, role }));
    if (roles.length > 0) await trx.insertInto('user_roles').values(roles).execute();
    return { id, name, globalAdmin: user.globalAdmin, disabled: false, roles: new Map(user.roles), createdAt: now };
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? new UserExistsError(name) : error;
  });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** The user and the password hash to check, or undefined. */
export async function findUserForLogin(store: Store, name: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined> {
  const row = await store.db.selectFrom('users').selectAll().where('name', '=', normalizeUserName(name)).executeTakeFirst();
  if (!row) return undefined;
  return { user: await withRoles(store, row), passwordHash: row.password_hash };
}

export async function getUser(store: Store, id: number): Promise<ConsoleUser | undefined> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? withRoles(store, row) : undefined;
}

/** Every user by name, with their roles: two queries, not one per user (a deployment of 200 offices has hundreds of users). */
export async function listUsers(store: Store): Promise<ConsoleUser[]> {
  const [rows, roles] = await Promise.all([
    store.db.selectFrom('users').selectAll().orderBy('name').execute(),
    store.db.selectFrom('user_roles').select(['user_id', 'office_id', 'role']).orderBy('user_id').orderBy('office_id').execute(),
  ]);
  const byUser = new Map<number, { office_id: string; role: string }[]>();
  for (const role of roles) {
    const list = byUser.get(Number(role.user_id)) ?? [];
    list.push(role);
    byUser.set(Number(role.user_id), list);
  }
  return rows.map((row) => userOf(row, byUser.get(Number(row.id)) ?? []));
}

export async function setUserDisabled(store: Store, id: number, disabled: boolean): Promise<void> {
  await store.db.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', id).execute();
}

export async function setUserPassword(store: Store, id: number, passwordHash: string): Promise<void> {
  await store.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

/** Gives the user `role` in `officeId` (replacing the one they had there), or takes their access to it away (null). */
export async function setUserRole(store: Store, id: number, officeId: string, role: Role | null): Promise<void> {
  await inWriteTransaction(store, async (trx) => {
    await trx.deleteFrom('user_roles').where('user_id', '=', id).where('office_id', '=', officeId).execute();
    if (role !== null) await trx.insertInto('user_roles').values({ user_id: id, office_id: officeId, role }).execute();
  });
}

type UserRow = { id: number; name: string; global_admin: number; disabled: number; created_at: number };

async function withRoles(store: Store, row: UserRow): Promise<ConsoleUser> {
  const roles = await store.db.selectFrom('user_roles').select(['office_id', 'role']).where('user_id', '=', Number(row.id)).orderBy('office_id').execute();
  return userOf(row, roles);
}

function userOf(row: UserRow, roles: readonly { office_id: string; role: string }[]): ConsoleUser {
  return {
    id: Number(row.id),
    name: row.name,
    globalAdmin: row.global_admin === 1,
    disabled: row.disabled === 1,
    // A role this version does not know (written by a newer one) grants nothing.
    roles: new Map(roles.flatMap((r) => (isRole(r.role) ? [[r.office_id, r.role] as const] : []))),
    createdAt: new Date(Number(row.created_at)),
  };
}
