/**
 * Sign-in and sign-out. A sign-in always makes a NEW session (id and CSRF
 * secret): a cookie planted before sign-in (session fixation) is never the
 * session after it. Failed sign-ins are counted in the database per name and
 * per address (store/login-failures.ts), so the lock-out holds across
 * instances; @fastify/rate-limit adds a per-instance cap on the form itself.
 * Every sign-in, failure, lock-out and sign-out goes to the audit log. The
 * password is never logged and never stored.
 */
import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../store/audit-log';
import { clearLoginFailures, ipKey, lockedUntil, recordLoginFailure, userKey, type LockoutPolicy } from '../store/login-failures';
import { createSession, deleteSession, hashSessionToken, type SessionTimeouts } from '../store/sessions';
import { findUserForLogin, normalizeUserName } from '../store/users';
import { PUBLIC, SIGNED_IN } from './access';
import type { WebContext } from './console-page';
import { sessionCookieOptions, type CookieNames } from './cookies';
import { LOGIN_PATH, safeNext } from './guard';
import { decoyHash, verifyPassword } from './password';
import { renderPage } from './render';
import { clientIp } from './request-context';

export interface AuthOptions {
  names: CookieNames;
  secure: boolean;
  timeouts: SessionTimeouts;
  lockout: LockoutPolicy;
  /** Per instance and address: sign-in posts per minute (@fastify/rate-limit). */
  loginRatePerMinute: number;
}

interface LoginBody {
  name: string;
  password: string;
  next?: string;
}

const loginBodySchema = {
  type: 'object',
  required: ['name', 'password'],
  properties: {
    name: { type: 'string', maxLength: 100 },
    password: { type: 'string', maxLength: 1000 },
    next: { type: 'string', maxLength: 2000 },
    _csrf: { type: 'string' },
  },
} as const;

export function registerAuthRoutes(app: FastifyInstance, web: WebContext, options: AuthOptions): void {
  const { names, secure } = options;
  const showLogin = (request: FastifyRequest, reply: FastifyReply, view: { status?: number; error?: string; notice?: string; name?: string; next?: string }): Promise<FastifyReply> =>
    renderPage(request, reply, 'views/login.hbs', { title: request.t('login.title'), error: view.error, notice: view.notice, name: view.name ?? '', next: view.next ?? '' }, view.status ?? 200);

  app.get<{ Querystring: { next?: string; bye?: string } }>(LOGIN_PATH, { config: { access: PUBLIC } }, async (request, reply) => {
    if (request.consoleUser) return reply.redirect(safeNext(request.query.next), 303);
    return showLogin(request, reply, { next: request.query.next === undefined ? '' : safeNext(request.query.next), ...(request.query.bye === '1' ? { notice: request.t('login.signedOut') } : {}) });
  });

  app.post<{ Body: LoginBody }>(
    LOGIN_PATH,
    { config: { access: PUBLIC, rateLimit: { max: options.loginRatePerMinute, timeWindow: 60_000 } }, schema: { body: loginBodySchema } },
    async (request, reply) => {
      const now = web.clock.now();
      const ip = clientIp(request);
      const name = normalizeUserName(request.body.name);
      const next = safeNext(request.body.next);
      const audit = (action: string, detail: Record<string, unknown>): Promise<void> => appendAudit(web.store, { userName: name || null, officeId: null, action, detail, ip }, now);

      const { lockout } = options;
      const until = [await lockedUntil(web.store, userKey(name), lockout.maxPerUser, now, lockout.windowMs), await lockedUntil(web.store, ipKey(ip), lockout.maxPerIp, now, lockout.windowMs)]
        .filter((date): date is Date => date !== null)
        .sort((a, b) => b.getTime() - a.getTime())[0];
      if (until) {
        // Not even checked: a locked name cannot be probed for its password.
        await audit('login-locked', { until: until.toISOString() });
        const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
        return showLogin(request, reply, { status: 429, error: request.t('login.locked', { minutes }), name, next });
      }

      const found = await findUserForLogin(web.store, name);
      // An unknown name costs one scrypt too: the time taken does not tell which names exist.
      const matches = await verifyPassword(request.body.password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !matches || found.user.disabled) {
        await recordLoginFailure(web.store, [userKey(name), ipKey(ip)], now);
        await audit('login-failed', { reason: !found ? 'unknown-user' : !matches ? 'wrong-password' : 'disabled' });
        request.log.info({ user: name, ip }, 'console sign-in failed');
        return showLogin(request, reply, { status: 401, error: request.t('login.failed'), name, next });
      }

      await clearLoginFailures(web.store, userKey(name));
      // Whatever session cookie came with the request (another user's, a planted one) ends here.
      const previous = request.cookies[names.session];
      if (previous) await deleteSession(web.store, hashSessionToken(previous));
      const { token } = await createSession(web.store, found.user.id, now, options.timeouts);
      reply.setCookie(names.session, token, sessionCookieOptions(secure, options.timeouts.absoluteMs));
      reply.clearCookie(names.loginCsrf, { path: '/' });
      await audit('login', {});
      request.log.info({ user: name, ip }, 'console sign-in');
      return reply.redirect(next, 303);
    },
  );

  app.post(LOGIN_PATH.replace('login', 'logout'), { config: { access: SIGNED_IN } }, async (request, reply) => {
    const session = request.consoleSession;
    if (session) await deleteSession(web.store, session.id);
    reply.clearCookie(names.session, { path: '/' });
    await appendAudit(web.store, { userName: request.consoleUser?.name ?? null, officeId: null, action: 'logout', detail: {}, ip: clientIp(request) }, web.clock.now());
    return reply.redirect(`${LOGIN_PATH}?bye=1`, 303);
  });
}
