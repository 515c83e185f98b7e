/**
 * Where each console page of an office lives, and the office menu the layout
 * shows on every page of an office (views/layout.hbs). Pages link to each
 * other through these paths, never through strings of their own, so a page
 * that moves moves everywhere. Plain links: the menu works without JavaScript.
 */
import type { ConsoleUser } from '../store/users';
import { hasRole } from './access';
import type { Translate } from './i18n';
import type { OfficeSummary } from './offices';

export const USERS_PATH = '/admin/users';
export const ACCOUNT_PATH = '/admin/account';

export interface OfficePaths {
  dashboard: string;
  calendar: string;
  /** The recurring rules (editors). */
  rules: string;
  preview: string;
  approvals: string;
  history: string;
  /** One post (one channel) of the ledger: its state, and the actions staff can take on it. */
  post(postId: string): string;
}

export function officePaths(officeId: string): OfficePaths {
  const base = `/admin/o/${encodeURIComponent(officeId)}`;
  return {
    dashboard: `${base}/`,
    calendar: `${base}/calendar`,
    rules: `${base}/rules`,
    preview: `${base}/preview`,
    approvals: `${base}/approvals`,
    history: `${base}/history`,
    post: (postId) => `${base}/posts/${encodeURIComponent(postId)}`,
  };
}

export interface NavLink {
  href: string;
  label: string;
  /** The page shown is this link's page (or one below it): `aria-current="page"`. */
  current: boolean;
}

export interface OfficeNav {
  /** The menu's accessible name: it is the second <nav> of the page. */
  label: string;
  officeName: string;
  links: NavLink[];
}

/** The menu of `office` for `user` on the page at `currentPath`; the rules only for editors, the users page only for the office's admins. */
export function officeNav(office: OfficeSummary, user: ConsoleUser, currentPath: string, t: Translate): OfficeNav {
  const paths = officePaths(office.id);
  const entries: [string, string][] = [
    [paths.dashboard, 'nav.dashboard'],
    [paths.calendar, 'nav.calendar'],
    ...(hasRole(user, office.id, 'editor') ? [[paths.rules, 'nav.rules'] as [string, string]] : []),
    [paths.preview, 'nav.preview'],
    [paths.approvals, 'nav.approvals'],
    [paths.history, 'nav.history'],
  ];
  if (hasRole(user, office.id, 'admin')) entries.push([USERS_PATH, 'nav.users']);
  const links = entries.map(([href, key]) => ({
    href,
    label: t(key),
    // The dashboard is the office's root: only its own path is it, not every page below.
    current: href === paths.dashboard ? currentPath === href : currentPath === href || currentPath.startsWith(`${href}/`),
  }));
  return { label: t('nav.office', { office: office.name }), officeName: office.name, links };
}
