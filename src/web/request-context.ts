/**
 * Per request, before any handler: the language, and for console URLs the
 * session from its cookie (looked up in the database: valid on every
 * instance) and its user with their current roles (a role taken away counts
 * at the next request, not at the next sign-in).
 *
 * `request.session._csrf` is the secret @fastify/csrf-protection checks form
 * tokens against (its `@fastify/session` mode reads exactly this): the
 * session's secret when signed in, else the login form's secret from its own cookie.
 */
import crypto from 'node:crypto';
import type {} from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSession, type Session, type SessionTimeouts } from '../store/sessions';
import { getUser, type ConsoleUser } from '../store/users';
import { langCookieOptions, loginCsrfCookieOptions, type CookieNames } from './cookies';
import { DEFAULT_LANG, isLang, translator, type Lang, type Messages, type Translate } from './i18n';
import type { OfficeSummary } from './offices';
import type { WebContext } from './console-page';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null. */
    consoleUser: ConsoleUser | null;
    consoleSession: Session | null;
    /** For role routes: the office of the URL, once the guard let the request through. */
    consoleOffice: OfficeSummary | null;
    lang: Lang;
    /** Words in the request's language (web/i18n.ts). */
    t: Translate;
    /** Read by @fastify/csrf-protection (sessionPlugin '@fastify/session'). */
    session: { _csrf?: string };
  }
}

export const CONSOLE_PREFIX = '/admin';

export function isConsoleUrl(url: string): boolean {
  return url === CONSOLE_PREFIX || url.startsWith(`${CONSOLE_PREFIX}/`) || url.startsWith(`${CONSOLE_PREFIX}?`);
}

export function installRequestContext(app: FastifyInstance, web: WebContext, options: { names: CookieNames; secure: boolean; timeouts: SessionTimeouts; messages: Messages }): void {
  app.decorateRequest('consoleUser', null);
  app.decorateRequest('consoleSession', null);
  app.decorateRequest('consoleOffice', null);
  app.decorateRequest('lang', DEFAULT_LANG);
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('session', null as unknown as { _csrf?: string });
  const translators = { id: translator(options.messages, 'id'), en: translator(options.messages, 'en') };

  app.addHook('onRequest', async (request, reply) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    // Public pages are Indonesian only and may be cached by a CDN: they never set a cookie.
    if (isLang(asked) && isConsoleUrl(request.url)) {
      request.lang = asked;
      reply.setCookie(options.names.lang, asked, langCookieOptions(options.secure));
    } else {
      const remembered = request.cookies[options.names.lang];
      request.lang = isLang(remembered) ? remembered : DEFAULT_LANG;
    }
    request.t = translators[request.lang];
    request.session = {};
    if (!isConsoleUrl(request.url)) return;
    const token = request.cookies[options.names.session];
    if (token) {
      const session = await findSession(web.store, token, web.clock.now(), options.timeouts);
      const user = session ? await getUser(web.store, session.userId) : undefined;
      if (session && user && !user.disabled) {
        request.consoleSession = session;
        request.consoleUser = user;
        request.session = { _csrf: session.csrfSecret };
        return;
      }
    }
    const loginSecret = request.cookies[options.names.loginCsrf];
    if (loginSecret) request.session = { _csrf: loginSecret };
  });
}

/**
 * The CSRF token for a form on this page. Before sign-in the login form's
 * secret is made here and kept in its own cookie.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, names: CookieNames, secure: boolean): string {
  if (!request.session._csrf) {
    request.session._csrf = crypto.randomBytes(24).toString('base64url');
    reply.setCookie(names.loginCsrf, request.session._csrf, loginCsrfCookieOptions(secure));
  }
  return reply.generateCsrf();
}

/** The signed-in user of a route whose access is not public (the guard made sure there is one). */
export function currentUser(request: FastifyRequest): ConsoleUser {
  if (!request.consoleUser) throw new Error(`${request.url}: no signed-in user; is the route's access public?`);
  return request.consoleUser;
}

/** The office of a `requireRole` route (the guard resolved and checked it). */
export function currentOffice(request: FastifyRequest): OfficeSummary {
  if (!request.consoleOffice) throw new Error(`${request.url}: no office; use requireRole(role, param) as the route's access`);
  return request.consoleOffice;
}

/** The client's address: the TCP peer, or what a trusted reverse proxy says (settings.web.trustProxy). */
export function clientIp(request: FastifyRequest): string {
  return request.ip;
}
