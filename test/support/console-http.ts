/**
 * The console of a running `run` or `serve` over real HTTP (fetch): a user
 * made in its database, signed in through the login form, and the office ids
 * the pages show. For fastify.inject tests see ./web.ts.
 */
import type { Store } from '../../src/store/open';
import { addUser, PASSWORD } from './web';

/** A global admin named `name` (sees every office the console shows). */
export async function addGlobalAdmin(store: Store, name = 'root'): Promise<void> {
  await addUser(store, name, 'global-admin');
}

export interface ConsoleSession {
  get(path: string): Promise<{ status: number; body: string; location: string | null }>;
}

/** Signs in at `address` (http://host:port) as `name`; the session's GETs follow no redirects. */
export async function signIn(address: string, name = 'root', password = PASSWORD): Promise<ConsoleSession> {
  const form = await fetch(`${address}/admin/login`);
  const formCookies = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('the login form has no CSRF token');
  const response = await fetch(`${address}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: formCookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name, password }).toString(),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('qh_session='))?.split(';')[0];
  if (response.status !== 303 || !session) throw new Error(`sign-in as ${name} failed: ${response.status}`);
  return {
    async get(path) {
      const page = await fetch(`${address}${path}`, { redirect: 'manual', headers: { cookie: session } });
      return { status: page.status, body: await page.text(), location: page.headers.get('location') };
    },
  };
}

/** The office ids `/admin/` lists (its links to office dashboards), in page order. */
export async function listedOffices(session: ConsoleSession): Promise<string[]> {
  const home = await session.get('/admin/');
  if (home.status === 303) return [/^\/admin\/o\/([^/]+)\//.exec(home.location ?? '')?.[1] ?? `? ${home.location}`];
  return [...home.body.matchAll(/<a href="\/admin\/o\/([^/"]+)\/">/g)].map((match) => decodeURIComponent(match[1]!));
}

/** Polls the office list until it is `expected` (45 s at most; `context` adds e.g. the bot's log to the failure). */
export async function waitForListed(session: ConsoleSession, expected: string[], context: () => string = () => ''): Promise<void> {
  let listed: string[] = [];
  const started = Date.now();
  while (JSON.stringify((listed = await listedOffices(session))) !== JSON.stringify(expected)) {
    if (Date.now() - started > 45_000) throw new Error(`the console to list ${expected.join(', ')}; it lists ${listed.join(', ')}\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An office's dashboard answers with its name and its office menu. */
export async function expectOfficePage(session: ConsoleSession, id: string, name: string): Promise<void> {
  const dashboard = await session.get(`/admin/o/${id}/`);
  expect(dashboard.status).toBe(200);
  expect(dashboard.body).toContain(name);
  expect(dashboard.body).toContain(`href="/admin/o/${id}/calendar"`);
}
