/**
 * The users page of a deployment with many offices (bench/console.ts: 200):
 * a row's office for a role is typed, with one list of suggestions for the
 * page, instead of a list of every office in every row (400 users × 200
 * offices made a 5 MB page). Typed ids and names both work; a slip is said at
 * the row; another admin's office stays refused.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { findUserForLogin, getUser } from '../../../src/store/users';
import type { OfficeSummary } from '../../../src/web/offices';
import { buildWebServer } from '../../../src/web/server';
import { MAX_OFFICE_CHOICES, USERS_PER_PAGE } from '../../../src/web/console/users';
import { createUser } from '../../../src/store/users';
import { hashPassword } from '../../../src/web/password';
import { useTestStore } from '../../support/databases';
import { addUser, Browser, signedInBrowser } from '../../support/web';

const NOW = new Date('2026-11-27T06:30:00Z');
const OFFICES: OfficeSummary[] = Array.from({ length: MAX_OFFICE_CHOICES + 5 }, (_, i) => ({
  id: `kanim-${String(i).padStart(3, '0')}`,
  name: `Kantor Imigrasi ${i}`,
  timezone: 'Asia/Jakarta',
  locale: 'id-ID',
}));

describe('console users page with many offices (sqlite)', () => {
  const db = useTestStore('sqlite');
  let app: FastifyInstance;
  const idOf = async (name: string): Promise<number> => (await findUserForLogin(db.store, name))!.user.id;

  beforeEach(async () => {
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 1000 });
    await addUser(db.store, 'root', 'global-admin');
    await addUser(db.store, 'ani', { 'kanim-003': 'editor' });
    await addUser(db.store, 'budi', { 'kanim-001': 'admin', 'kanim-002': 'admin' });
    await addUser(db.store, 'dewi', { 'kanim-004': 'viewer' });
    await addUser(db.store, 'eko', { 'kanim-002': 'viewer' });
  });
  afterEach(async () => {
    await app.close();
  });

  const signedIn = (name: string): Promise<Browser> => signedInBrowser(app, name);

  it('offers the offices once per page, each row an office field starting at an office the user has a role in', async () => {
    const root = await signedIn('root');
    const page = await root.get('/admin/users');
    expect(page.statusCode).toBe(200);
    const ani = await idOf('ani');
    expect(page.body.match(/<datalist id="user-offices">/g)).toHaveLength(1);
    expect(page.body).toContain('<option value="kanim-024">Kantor Imigrasi 24</option>');
    // Every office once in the shared list and once in the add form's list: not once per row.
    expect(page.body.match(/<option value="kanim-024"/g)).toHaveLength(2);
    expect(page.body).toContain(`<input id="user-${ani}-office" name="office" list="user-offices" required maxlength="200" autocomplete="off" spellcheck="false" value="kanim-003"`);
    // The role held there is chosen: saving unchanged changes nothing.
    const aniRow = page.body.slice(page.body.indexOf(`<tr id="user-${ani}">`), page.body.indexOf('</tr>', page.body.indexOf(`<tr id="user-${ani}">`)));
    expect(aniRow).toContain('<option value="editor" selected>');
  });

  it('takes a typed office id or name; a slip is said at the row, another admin’s office is refused', async () => {
    const root = await signedIn('root');
    const dewi = await idOf('dewi');
    expect((await root.post(`/admin/users/${dewi}/role`, { office: 'kanim-010', role: 'editor' })).statusCode).toBe(303);
    expect((await root.post(`/admin/users/${dewi}/role`, { office: ' kantor imigrasi 11 ', role: 'approver' })).statusCode).toBe(303);
    expect((await getUser(db.store, dewi))!.roles).toEqual(new Map([['kanim-004', 'viewer'], ['kanim-010', 'editor'], ['kanim-011', 'approver']]));

    const slip = await root.post(`/admin/users/${dewi}/role`, { office: 'kanim-999', role: 'editor' });
    expect(slip.statusCode).toBe(400);
    expect(slip.body).toContain(`<p class="error" role="alert" id="user-${dewi}-error">Tidak ada kantor &quot;kanim-999&quot; yang bisa Anda atur.`);
    expect((await getUser(db.store, dewi))!.roles.size).toBe(3);

    // An office admin: offices of their own only (two: a list per row, as before); another office is an attempt.
    const budi = await signedIn('budi');
    const eko = await idOf('eko');
    const page = await budi.get('/admin/users');
    expect(page.body).not.toContain('<datalist');
    expect(page.body).toContain(`<select id="user-${eko}-office" name="office">`);
    expect((await budi.post(`/admin/users/${eko}/role`, { office: 'kanim-001', role: 'viewer' })).statusCode).toBe(303);
    expect((await budi.post(`/admin/users/${eko}/role`, { office: 'kanim-005', role: 'viewer' })).statusCode).toBe(403);
    expect((await getUser(db.store, eko))!.roles).toEqual(new Map([['kanim-001', 'viewer'], ['kanim-002', 'viewer']]));
  });

  it('lists the users a page at a time, and after a change shows the page of the user changed', async () => {
    // Test users sign in with nothing: one cheap hash for all of them.
    const passwordHash = await hashPassword('tidak dipakai untuk masuk', { log2N: 10, r: 8, p: 1 });
    for (let i = 0; i < USERS_PER_PAGE + 20; i += 1) {
      await createUser(db.store, { name: `staf-${String(i).padStart(3, '0')}`, passwordHash, globalAdmin: false, roles: new Map([[OFFICES[i % OFFICES.length]!.id, 'viewer']]) }, NOW);
    }
    const total = USERS_PER_PAGE + 20 + 5;
    const root = await signedIn('root');
    const first = await root.get('/admin/users');
    expect(first.body.match(/<tr id="user-/g)).toHaveLength(USERS_PER_PAGE);
    expect(first.body).toContain(`<p>Pengguna 1–${USERS_PER_PAGE} dari ${total}</p>`);
    expect(first.body).toContain('<a href="/admin/users?page&#x3D;2" rel="next">Berikutnya</a>');
    expect(first.body).not.toContain('rel="prev"');
    const second = await root.get('/admin/users?page=2');
    expect(second.body.match(/<tr id="user-/g)).toHaveLength(total - USERS_PER_PAGE);
    expect(second.body).toContain('<a href="/admin/users?page&#x3D;1" rel="prev">Sebelumnya</a>');
    // Past the end: the last page.
    expect((await root.get('/admin/users?page=99')).body).toContain(`Pengguna ${USERS_PER_PAGE + 1}–${total} dari ${total}`);

    const last = await idOf('staf-119');
    const changed = await root.post(`/admin/users/${last}/disable`);
    expect(changed.statusCode).toBe(303);
    const shown = await root.get(changed.headers.location as string);
    expect(shown.body).toContain(`<tr id="user-${last}">`);
    expect(shown.body).toContain('dinonaktifkan');
  });
});
