/**
 * Pages in the console layout (views/layout.hbs) through @fastify/view and
 * Handlebars, which escapes every `{{value}}`: office names, user names and
 * calendar text are shown as text, never as markup. Views are found relative
 * to src/web/ (dist/web/ when built): `console/home.hbs`, `views/login.hbs`.
 *
 * In a view: `{{t "home.title"}}`, `{{t "nav.signedInAs" name=user.name}}`;
 * every form carries `<input type="hidden" name="_csrf" value="{{csrfToken}}">`.
 */
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import type { CookieNames } from './cookies';
import { ACCOUNT_PATH, officeNav, USERS_PATH } from './office-nav';
import { csrfToken } from './request-context';

export const VIEWS_ROOT = __dirname;
export const LAYOUT = 'views/layout.hbs';

export interface PageData {
  /** The page's <title> and <h1>, already in the request's language. */
  title: string;
  [key: string]: unknown;
}

/** The Handlebars of one web server, with the `t` helper. */
export function createViewEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('t', function translate(key: unknown, options: Handlebars.HelperOptions) {
    const root = options.data?.root as { t?: (key: string, vars?: Record<string, string | number>) => string } | undefined;
    return root?.t ? root.t(String(key), options.hash as Record<string, string | number>) : String(key);
  });
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return engine;
}

/** The cookie settings of the server (`app.renderSettings`, decorated by buildWebServer). */
export interface RenderSettings {
  names: CookieNames;
  secure: boolean;
}

/** What the layout shows around every page: user, language links, CSRF token, and on an office's pages the office menu. */
export function layoutData(request: FastifyRequest, reply: FastifyReply, settings: RenderSettings): Record<string, unknown> {
  const user = request.consoleUser;
  const currentPath = request.url.split('?')[0] ?? request.url;
  // An admin of any office manages users (of their offices); the users page says which.
  const managesUsers = user !== null && (user.globalAdmin || [...user.roles.values()].includes('admin'));
  const nav = user && request.consoleOffice ? officeNav(request.consoleOffice, user, currentPath, request.t) : null;
  return {
    lang: request.lang,
    t: request.t,
    csrfToken: csrfToken(request, reply, settings.names, settings.secure),
    user: user ? { name: user.name, globalAdmin: user.globalAdmin } : null,
    langLinks: { id: withLang(request.url, 'id'), en: withLang(request.url, 'en') },
    currentPath,
    officeNav: nav,
    // On an office's pages the users page is in the office menu; elsewhere in the header.
    userLinks: user ? { account: ACCOUNT_PATH, accountCurrent: currentPath === ACCOUNT_PATH, users: managesUsers && !nav ? USERS_PATH : null, usersCurrent: currentPath === USERS_PATH } : null,
  };
}

export async function renderPage(request: FastifyRequest, reply: FastifyReply, view: string, data: PageData, status = 200): Promise<FastifyReply> {
  const settings = request.server.renderSettings;
  const html = await reply.viewAsync(view, { ...layoutData(request, reply, settings), ...data }, { layout: LAYOUT });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A piece of a page without the layout (an htmx swap); still with `t` and `csrfToken`. */
export async function renderFragment(request: FastifyRequest, reply: FastifyReply, view: string, data: Record<string, unknown>): Promise<FastifyReply> {
  const settings = request.server.renderSettings;
  const html = await reply.viewAsync(view, { ...layoutData(request, reply, settings), ...data });
  return reply.type('text/html; charset=utf-8').send(html);
}

function withLang(url: string, lang: string): string {
  const parsed = new URL(url, 'http://console.invalid');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}`;
}

declare module 'fastify' {
  interface FastifyInstance {
    renderSettings: RenderSettings;
  }
}
