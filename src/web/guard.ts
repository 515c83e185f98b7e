/**
 * Enforces each route's `config.access` (web/access.ts) before its handler,
 * and keeps the route table the tests walk. A route without an access
 * declaration cannot be registered: forgetting it fails at start-up, not in production.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type RouteAccess } from './access';
import { HttpError } from './http-error';
import type { WebContext } from './console-page';

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const LOGIN_PATH = '/admin/login';

/** Installs the check at registration and the guard; returns the live route table. */
export function installGuard(app: FastifyInstance, web: WebContext): RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) throw new Error(`route ${methods.join(',')} ${route.url} declares no config.access (web/access.ts): say who may call it`);
    for (const method of methods) routes.push({ method: String(method), url: route.url, access });
  });

  // preValidation, not preHandler: before a route's schema checks the body or parameters, so a visitor
  // without a session is sent to sign in (not told 400), and nothing about a form is revealed to them.
  // The body is parsed by then: the CSRF token is there to check.
  app.addHook('preValidation', async (request, reply) => {
    const access = request.routeOptions.config.access;
    // Only the not-found handler has no route config; it serves no data.
    if (!access) return;
    if (access.kind !== 'public') {
      const user = request.consoleUser;
      if (!user) {
        // A part of a page refreshing itself (htmx) after the session ended: the whole page goes to sign in, not the part.
        if (request.headers['hx-request'] === 'true') {
          await reply.header('HX-Redirect', htmxLoginRedirect(request)).code(401).send();
          return reply;
        }
        await reply.redirect(loginRedirect(request), 303);
        return reply;
      }
      if (access.kind === 'global-admin' && !user.globalAdmin) throw new HttpError(403, 'error.403');
      if (access.kind === 'role') {
        const officeId = (request.params as Record<string, string | undefined>)[access.officeParam];
        if (officeId === undefined) throw new Error(`route ${request.routeOptions.url}: requireRole names the parameter "${access.officeParam}", which the URL does not have`);
        // No access is 403 whether or not the office exists: a URL must not tell outsiders which offices there are.
        if (!hasRole(user, officeId, access.role)) throw new HttpError(403, 'error.403');
        const office = web.offices().find((candidate) => candidate.id === officeId);
        if (!office) throw new HttpError(404, 'error.404');
        request.consoleOffice = office;
      }
    }
    if (UNSAFE.has(request.method) && !(access.kind === 'public' && access.csrf === false) && !passesCsrf(app, request, reply)) return reply;
    return undefined;
  });
  return routes;
}

/**
 * @fastify/csrf-protection's check is synchronous: it calls `next` or sends its
 * 403 error (FST_CSRF_*, rendered by the error handler) before returning.
 */
function passesCsrf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): boolean {
  let passed = false;
  app.csrfProtection(request, reply, () => {
    passed = true;
  });
  return passed;
}

/** To the login page, coming back here after (GET only: a form post is not replayed). */
function loginRedirect(request: FastifyRequest): string {
  if (request.method !== 'GET' && request.method !== 'HEAD') return LOGIN_PATH;
  return `${LOGIN_PATH}?next=${encodeURIComponent(request.url)}`;
}

/** To the login page, coming back to the page the htmx request came from (its `HX-Current-URL`). */
function htmxLoginRedirect(request: FastifyRequest): string {
  const page = request.headers['hx-current-url'];
  let next: string | undefined;
  try {
    if (typeof page === 'string') next = ((url) => `${url.pathname}${url.search}`)(new URL(page));
  } catch {
    next = undefined;
  }
  const safe = safeNext(next);
  return safe === '/admin/' ? LOGIN_PATH : `${LOGIN_PATH}?next=${encodeURIComponent(safe)}`;
}

/** A `next` that stays inside the console: never another site (`//evil`, `/\evil`, `https:`). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/admin/') || next.startsWith('//') || /[\\\s]/.test(next) || next.startsWith(LOGIN_PATH)) return '/admin/';
  return next;
}
