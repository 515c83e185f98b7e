import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { REDACT_PATHS } from '../../src/logger';
import { listAudit } from '../../src/store/audit-log';
import { buildWebServer } from '../../src/web/server';
import { useTestStore } from '../support/databases';
import { addUser, Browser, OFFICES, PASSWORD } from '../support/web';

const NOW = new Date('2026-11-27T06:30:00Z');

describe('web/server (sqlite)', () => {
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      await addUser(store, 'root', 'global-admin');
      await addUser(store, 'ani', { 'kanim-medan': 'editor' });
    },
  });
  let app: FastifyInstance;
  let offices = OFFICES;
  let logged = '';
  const clock = { now: () => NOW };

  beforeEach(async () => {
    offices = OFFICES;
    logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const logger = pino({ level: 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    app = await buildWebServer({ store: db.store, logger, clock, offices: () => offices, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 1000 });
  });
  afterEach(async () => {
    await app.close();
  });

  it('every non-public route sends a visitor without a session to the login page, GET and POST alike', async () => {
    const guarded = app.routeTable.filter((route) => route.access.kind !== 'public');
    expect(guarded.map((route) => `${route.method} ${route.url}`)).toEqual(expect.arrayContaining(['GET /admin/', 'GET /admin/o/:office/', 'POST /admin/logout']));
    for (const route of guarded) {
      const url = route.url.replace(/:office/g, 'kanim-medan').replace(/:(\w+)/g, 'x');
      const response = await app.inject({ method: route.method as 'GET', url });
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 303]);
      expect(response.headers.location).toMatch(/^\/admin\/login(\?next=|$)/);
    }
    // Only the sign-in page, assets, health checks, the public pages (web/public/, all GET), and the feeds and API (web/feeds/) are open
    // (/metrics checks its callers itself: web/metrics-access.ts).
    const feeds = ['/o/:office/calendar.ics', '/o/:office/feed.atom', '/api/v1/*'].map((url) => `OPTIONS ${url}`);
    const api = ['/offices', '/offices/:office', '/offices/:office/openings', '/offices/:office/announcements', '/announcements/:code', '/openapi.json', '/*'].map((url) => `GET /api/v1${url}`);
    expect(app.routeTable.filter((route) => route.access.kind === 'public' && route.method !== 'HEAD').map((route) => `${route.method} ${route.url.replace(/^\/assets\/public\.[0-9a-f]{12}\.css$/, '/assets/public.HASH.css')}`).sort()).toEqual(
      [
        'GET /admin/assets/console.css',
        'GET /admin/assets/htmx.min.js',
        'GET /admin/login',
        'GET /healthz',
        'GET /metrics',
        'GET /readyz',
        'POST /admin/login',
        'GET /',
        'GET /assets/public.HASH.css',
        'GET /o/:office',
        'GET /o/:office/',
        'GET /o/:office/archive',
        'GET /o/:office/archive/:code',
        'GET /o/:office/archive/:code/card-:index(^\\d{1,2}).jpg',
        'GET /o/:office/widget',
        'GET /o/:office/widget.js',
        'GET /v',
        'GET /v/:code',
        'GET /o/:office/calendar.ics',
        'GET /o/:office/feed.atom',
        ...api,
        ...feeds,
      ].sort(),
    );
  });

  it('refuses to register a route that does not say who may call it', async () => {
    expect(() => app.get('/admin/forgotten', async () => 'x')).toThrow(/declares no config.access/);
  });

  it('signs in, shows the offices the user may see, comes back after a redirect, signs out (audited)', async () => {
    const browser = new Browser(app);
    const first = await browser.get('/admin/o/kanim-medan/');
    expect(first.headers.location).toBe('/admin/login?next=%2Fadmin%2Fo%2Fkanim-medan%2F');
    const page = await browser.get(first.headers.location as string);
    expect(page.body).toContain('<html lang="id">');
    const signedIn = await browser.post('/admin/login', { name: 'Ani', password: PASSWORD, next: '/admin/o/kanim-medan/' });
    expect([signedIn.statusCode, signedIn.headers.location]).toEqual([303, '/admin/o/kanim-medan/']);
    // One office only: home goes straight to its dashboard.
    const home = await browser.get('/admin/');
    expect([home.statusCode, home.headers.location]).toEqual([303, '/admin/o/kanim-medan/']);
    const dashboard = await browser.get('/admin/o/kanim-medan/');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Kantor Imigrasi Medan');
    expect(dashboard.body).not.toContain('Kantor Imigrasi Pontianak');
    const out = await browser.post('/admin/logout');
    expect([out.statusCode, out.headers.location]).toEqual([303, '/admin/login?bye=1']);
    expect((await browser.get('/admin/')).statusCode).toBe(303);
    expect((await listAudit(db.store)).map((entry) => [entry.action, entry.userName, entry.ip])).toEqual([
      ['logout', 'ani', '127.0.0.1'],
      ['login', 'ani', '127.0.0.1'],
    ]);
  });

  it('a user of one office gets 403 on another office, a global admin sees every office; an unknown office is 404 for the admin only', async () => {
    const ani = new Browser(app);
    await ani.login('ani');
    expect((await ani.get('/admin/o/kanim-medan/')).statusCode).toBe(200);
    expect((await ani.get('/admin/o/kanim-pontianak/')).statusCode).toBe(403);
    expect((await ani.get('/admin/o/kanim-nowhere/')).statusCode).toBe(403);
    const root = new Browser(app);
    await root.login('root');
    expect((await root.get('/admin/o/kanim-pontianak/')).statusCode).toBe(200);
    expect((await root.get('/admin/o/kanim-nowhere/')).statusCode).toBe(404);
    const home = await root.get('/admin/');
    expect(home.body).toContain('Kantor Imigrasi Pontianak');
    expect(home.body).toContain('Admin semua kantor');
  });

  it('a form post without the CSRF token, or with a wrong or another session\'s token, is refused with 403 and changes nothing', async () => {
    const ani = new Browser(app);
    await ani.login('ani');
    const root = new Browser(app);
    await root.login('root');
    await root.get('/admin/');
    for (const token of [undefined, 'nonsense', root.csrf]) {
      const response = await ani.request('POST', '/admin/logout', token === undefined ? {} : { _csrf: token });
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('Formulir kedaluwarsa');
    }
    expect((await ani.get('/admin/o/kanim-medan/')).statusCode).toBe(200);
    // The login form too: its token is bound to the visitor's own cookie.
    const stranger = new Browser(app);
    const forged = await stranger.request('POST', '/admin/login', { name: 'ani', password: PASSWORD, _csrf: ani.csrf });
    expect(forged.statusCode).toBe(403);
  });

  it('a session cookie planted before sign-in is not the session after it (no fixation)', async () => {
    const victim = new Browser(app);
    victim.cookies.set('qh_session', 'planted-by-attacker');
    await victim.login('ani');
    const session = victim.cookies.get('qh_session');
    expect(session).toBeDefined();
    expect(session).not.toBe('planted-by-attacker');
    const attacker = new Browser(app);
    attacker.cookies.set('qh_session', 'planted-by-attacker');
    expect((await attacker.get('/admin/')).statusCode).toBe(303);
    // Signing in again (another user on the same browser) replaces the session too.
    const before = victim.cookies.get('qh_session');
    await victim.get('/admin/o/kanim-medan/');
    expect((await victim.post('/admin/login', { name: 'root', password: PASSWORD })).statusCode).toBe(303);
    expect(victim.cookies.get('qh_session')).not.toBe(before);
    const stale = new Browser(app);
    stale.cookies.set('qh_session', before!);
    expect((await stale.get('/admin/')).statusCode).toBe(303);
  });

  it('locks a name out after five wrong passwords (even with the right one then), audited; other names still sign in', async () => {
    const guesser = new Browser(app, '203.0.113.9');
    for (let i = 0; i < 5; i++) expect((await guesser.login('ani', `wrong password ${i}`)).statusCode).toBe(401);
    const locked = await guesser.login('ani');
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Terlalu banyak percobaan gagal\. Coba lagi dalam 15 menit/);
    expect(guesser.cookies.has('qh_session')).toBe(false);
    expect((await new Browser(app).login('root')).statusCode).toBe(303);
    const actions = (await listAudit(db.store)).map((entry) => entry.action);
    expect(actions.filter((a) => a === 'login-failed')).toHaveLength(5);
    expect(actions).toContain('login-locked');
  });

  it('rate-limits the sign-in form per address on each instance', async () => {
    const limited = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock, offices: () => offices, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 3 });
    try {
      const browser = new Browser(limited, '198.51.100.7');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await browser.login('nobody', 'whatever password')).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('shows an office name with markup as text (stored XSS is inert)', async () => {
    offices = [{ ...OFFICES[0]!, name: '<script>alert(1)</script><img src=x onerror=alert(2)>' }, OFFICES[1]!];
    const root = new Browser(app);
    await root.login('root');
    for (const url of ['/admin/', '/admin/o/kanim-medan/']) {
      const body = (await root.get(url)).body;
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('never writes a password to the log, signed in or failed', async () => {
    const browser = new Browser(app);
    await browser.login('ani');
    await browser.login('ani', 'the wrong secret words');
    await new Browser(app).login('nobody', 'a password for no one');
    expect(logged).toContain('console sign-in');
    for (const secret of [PASSWORD, 'the wrong secret words', 'a password for no one', encodeURIComponent(PASSWORD)]) expect(logged).not.toContain(secret);
  });

  it('sends strict security headers, serves its assets, answers health checks, and speaks English on request', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/login?lang=en' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<html lang="en">');
    expect(page.body).toContain('Sign in');
    const cookie = page.cookies.find((c: { name: string }) => c.name === 'qh_lang');
    expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax' });
    const css = await app.inject({ method: 'GET', url: '/admin/assets/console.css' });
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await app.inject({ method: 'GET', url: '/admin/assets/htmx.min.js' })).body).toContain('htmx');
    expect((await app.inject({ method: 'GET', url: '/admin/assets/../../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    // No office has a config revision in this ledger: up, but not ready (test/web/health.test.ts has the rest).
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'not ready', checks: { database: { ok: true }, config: { ok: false } } });
  });

  it('marks the session cookie httpOnly, SameSite=Lax, and Secure with the __Host- prefix when configured', async () => {
    const plain = new Browser(app);
    const signedIn = await plain.login('ani');
    expect(signedIn.cookies.find((c: { name: string }) => c.name === 'qh_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const secureApp = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock, offices: () => offices, settings: { secureCookies: true, trustProxy: true } });
    try {
      const browser = new Browser(secureApp);
      const response = await browser.login('ani');
      expect(response.cookies.find((c: { name: string }) => c.name === '__Host-qh_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
      expect(response.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    } finally {
      await secureApp.close();
    }
  });
});
