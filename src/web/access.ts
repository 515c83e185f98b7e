/**
 * Who may call each route. Every route of the web server declares it in
 * `config.access` (the server refuses to register one that does not), and one
 * guard (web/guard.ts) enforces it before any handler runs:
 *
 *   app.get('/admin/o/:office/calendar', { config: { access: requireRole('viewer', 'office') } }, handler)
 *
 * - `PUBLIC`: anyone (the login page, assets, health, the public pages).
 * - `SIGNED_IN`: any signed-in user; what they see is the handler's business (visibleOffices).
 * - `requireRole(role, param)`: a signed-in user with `role` (or more, web/roles.ts) in the
 *   office named by the route parameter `param`; a global admin everywhere. Another
 *   office's URL gets 403, an office that does not exist 404.
 * - `GLOBAL_ADMIN`: deployment-wide things (users of every office).
 *
 * Unsafe methods (POST, PUT, PATCH, DELETE) also need the form's CSRF token,
 * unless the access says `csrf: false` (a machine API with its own credentials).
 */
import type { ConsoleUser } from '../store/users';
import type { OfficeSummary } from './offices';
import { roleAllows, type Role } from './roles';

export type RouteAccess =
  | { kind: 'public'; csrf?: false }
  | { kind: 'signed-in' }
  | { kind: 'global-admin' }
  | { kind: 'role'; role: Role; officeParam: string };

export const PUBLIC: RouteAccess = { kind: 'public' };
export const SIGNED_IN: RouteAccess = { kind: 'signed-in' };
export const GLOBAL_ADMIN: RouteAccess = { kind: 'global-admin' };

export function requireRole(role: Role, officeParam = 'office'): RouteAccess {
  return { kind: 'role', role, officeParam };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (web/access.ts). Required on every route. */
    access?: RouteAccess;
  }
}

/** Whether `user` has `role` (or a role that includes it) in `officeId`. */
export function hasRole(user: ConsoleUser, officeId: string, role: Role): boolean {
  if (user.disabled) return false;
  if (user.globalAdmin) return true;
  const held = user.roles.get(officeId);
  return held !== undefined && roleAllows(held, role);
}

/** The offices `user` may see, in the given order: every office for a global admin. */
export function visibleOffices(user: ConsoleUser, offices: readonly OfficeSummary[]): OfficeSummary[] {
  return offices.filter((office) => hasRole(user, office.id, 'viewer'));
}
