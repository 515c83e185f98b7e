/**
 * The security plugins every route runs behind: strict headers (a CSP that
 * allows this origin only: no inline script or style, no frames of us
 * elsewhere), cookies, form bodies, CSRF tokens bound to the session, and the
 * rate limiter (opted into per route: the sign-in form).
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export async function registerSecurityPlugins(app: FastifyInstance, options: { secure: boolean }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only when served over HTTPS (a plain local try-out must not pin the browser to https).
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1_048_576 });
  // The secret is the session's (or the login form's): web/request-context.ts puts it where this mode reads it.
  await app.register(csrf, { sessionPlugin: '@fastify/session', logLevel: 'info' });
  await app.register(rateLimit, { global: false });
}
