/**
 * The console's cookies. The session cookie is httpOnly, SameSite=Lax (a link
 * from elsewhere still arrives signed in; a cross-site form post does not) and,
 * behind HTTPS, Secure with the `__Host-` prefix (no Domain, Path=/: no
 * subdomain can set or shadow it).
 */
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface CookieNames {
  session: string;
  /** Before sign-in: the CSRF secret of the login form. */
  loginCsrf: string;
  lang: string;
}

export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { session: '__Host-qh_session', loginCsrf: '__Host-qh_login', lang: 'qh_lang' }
    : { session: 'qh_session', loginCsrf: 'qh_login', lang: 'qh_lang' };
}

export function sessionCookieOptions(secure: boolean, maxAgeMs: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: Math.floor(maxAgeMs / 1000) };
}

export function loginCsrfCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 3600 };
}

export function langCookieOptions(secure: boolean): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 86_400 };
}
