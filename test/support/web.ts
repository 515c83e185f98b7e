/**
 * HTTP tests of the web server through fastify.inject, with a real store and
 * real users (scrypt hashes, at a low cost: see TEST_USER_COST): a tiny
 * cookie jar, sign-in, and the CSRF token of the page last seen.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createUser } from '../../src/store/users';
import type { Store } from '../../src/store/open';
import { hashPassword, type ScryptCost } from '../../src/web/password';
import type { Role } from '../../src/web/roles';

export const PASSWORD = 'benar sekali kata sandinya';

export const OFFICES = [
  { id: 'kanim-medan', name: 'Kantor Imigrasi Medan', timezone: 'Asia/Jakarta', locale: 'id-ID' },
  { id: 'kanim-pontianak', name: 'Kantor Imigrasi Pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID' },
];

/**
 * The users this support adds get a hash of the lowest cost verifyPassword
 * accepts (2^10 instead of 2^15): each sign-in verifies at the cost written in
 * the hash, and at full cost that is ~0.1 s on an idle machine, more beside
 * other tests. Production's cost is hashPassword's default, untouched and
 * tested in password.test.ts; users made through the console's own forms
 * still get it, and sign in with it.
 */
export const TEST_USER_COST: ScryptCost = { log2N: 10, r: 8, p: 1 };

/** One hash for every test user. */
let passwordHash: Promise<string> | null = null;

export async function addUser(store: Store, name: string, roles: Record<string, Role> | 'global-admin', now = new Date()): Promise<void> {
  passwordHash ??= hashPassword(PASSWORD, TEST_USER_COST);
  await createUser(store, { name, passwordHash: await passwordHash, globalAdmin: roles === 'global-admin', roles: new Map(roles === 'global-admin' ? [] : Object.entries(roles)) }, now);
}

/** A browser's worth of state: cookies and the last CSRF token seen in a page. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly app: FastifyInstance, readonly ip = '127.0.0.1') {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        ...(this.cookies.size > 0 ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
    });
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token) this.csrf = token[1]!;
    return response;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request('GET', url);
  }

  /** A form post with the last CSRF token seen (unless the form names its own `_csrf`). */
  post(url: string, form: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.request('POST', url, { _csrf: this.csrf, ...form });
  }

  async login(name: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    await this.get('/admin/login');
    return this.post('/admin/login', { name, password });
  }
}

/**
 * A browser signed in as `name`, holding a page of its session (the account
 * page): its forms' CSRF token, since the sign-in form's was bound to the
 * visitor, not the session.
 */
export async function signedInBrowser(app: FastifyInstance, name: string): Promise<Browser> {
  const browser = new Browser(app);
  const login = await browser.login(name);
  if (login.statusCode !== 303) throw new Error(`signing in as ${name} answered ${login.statusCode}, not 303`);
  await browser.get('/admin/account');
  return browser;
}
