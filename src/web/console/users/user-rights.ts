/**
 * Who may manage whom on the users page. A global admin manages everyone but
 * themselves; an office admin manages the users of their offices only: they
 * grant roles in their own offices, never make a global admin, and change an
 * account (disable, password) only when every office it reaches is theirs —
 * else an admin of one office could lock out or take over the admin of another.
 * Pure: the routes (index.ts) ask, and refuse with 403.
 */
import type { ConsoleUser } from '../../../store/users';
import type { OfficeSummary } from '../../offices';

/** The offices served now in which `actor` is admin (all of them for a global admin). */
export function adminOffices(actor: ConsoleUser, offices: readonly OfficeSummary[]): OfficeSummary[] {
  if (actor.disabled) return [];
  return offices.filter((office) => actor.globalAdmin || actor.roles.get(office.id) === 'admin');
}

/** Whether `actor` may open the users page at all. */
export function mayManageUsers(actor: ConsoleUser, offices: readonly OfficeSummary[]): boolean {
  return !actor.disabled && (actor.globalAdmin || adminOffices(actor, offices).length > 0);
}

/** The users `actor` sees: everyone for a global admin, else those with a role in one of the actor's offices. */
export function visibleUsers(actor: ConsoleUser, users: readonly ConsoleUser[], offices: readonly OfficeSummary[]): ConsoleUser[] {
  if (actor.globalAdmin) return [...users];
  const mine = new Set(adminOffices(actor, offices).map((office) => office.id));
  return users.filter((user) => [...user.roles.keys()].some((officeId) => mine.has(officeId)));
}

/** Whether `actor` may disable, enable or set the password of `target`. */
export function mayChangeAccount(actor: ConsoleUser, target: ConsoleUser, offices: readonly OfficeSummary[]): boolean {
  if (actor.disabled || target.id === actor.id) return false;
  if (actor.globalAdmin) return true;
  if (target.globalAdmin || target.roles.size === 0) return false;
  // Offices the actor administers, as their roles say (an office not served now still counts as the target's).
  return [...target.roles.keys()].every((officeId) => actor.roles.get(officeId) === 'admin' && offices.some((office) => office.id === officeId));
}

/** Whether `actor` may give `target` (null: a new user) `role` in `officeId`, or take it away (role null). */
export function mayGrant(actor: ConsoleUser, target: ConsoleUser | null, officeId: string, offices: readonly OfficeSummary[]): boolean {
  return grantableOffices(actor, target, offices).some((office) => office.id === officeId);
}

/** The offices in which `actor` may give `target` (null: a new user) a role or take it away: `mayGrant` for every office at once. */
export function grantableOffices(actor: ConsoleUser, target: ConsoleUser | null, offices: readonly OfficeSummary[]): OfficeSummary[] {
  const mine = adminOffices(actor, offices);
  if (target === null) return mine;
  // Their own role: an admin does not demote themselves by a slip (another admin can).
  if (target.id === actor.id || target.globalAdmin) return [];
  return actor.globalAdmin || visibleUsers(actor, [target], offices).length === 1 ? mine : [];
}

/** Only a global admin makes another one. */
export function mayMakeGlobalAdmin(actor: ConsoleUser): boolean {
  return !actor.disabled && actor.globalAdmin;
}
