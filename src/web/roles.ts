/**
 * Console roles per office. `admin` may do everything in its office, `editor`
 * edits the calendar and templates, `approver` approves changes, `viewer` only
 * reads. A global admin (a user with no office) has every role everywhere.
 */
export const ROLES = ['admin', 'editor', 'approver', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether holding `held` allows what `needed` allows. Editor and approver are separate duties: neither includes the other. */
export function roleAllows(held: Role, needed: Role): boolean {
  if (held === needed || held === 'admin') return true;
  return needed === 'viewer';
}
