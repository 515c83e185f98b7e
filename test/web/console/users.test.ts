/**
 * The users and account pages over HTTP (inject), real store and real scrypt
 * hashes: what each kind of admin sees and may change, every change audited,
 * every attempt across offices refused (IDOR), every form refused without its
 * CSRF token, and names shown as text.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { listAudit } from '../../../src/store/audit-log';
import { createUser, findUserForLogin, getUser, listUsers } from '../../../src/store/users';
import type { OfficeSummary } from '../../../src/web/offices';
import { verifyPassword } from '../../../src/web/password';
import { buildWebServer } from '../../../src/web/server';
import { useTestStore } from '../../support/databases';
import { addUser, Browser, OFFICES, PASSWORD, signedInBrowser } from '../../support/web';

const NOW = new Date('2026-11-27T06:30:00Z');
const MEDAN = 'kanim-medan';
const PONTIANAK = 'kanim-pontianak';
const NEW_PASSWORD = 'kopi susu di pagi hari';

describe('console users and account pages (sqlite)', () => {
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      await addUser(store, 'root', 'global-admin');
      await addUser(store, 'budi', { [MEDAN]: 'admin' });
      await addUser(store, 'ani', { [MEDAN]: 'editor' });
      await addUser(store, 'dewi', { [PONTIANAK]: 'viewer' });
      await addUser(store, 'eko', { [MEDAN]: 'viewer', [PONTIANAK]: 'viewer' });
    },
  });
  let app: FastifyInstance;
  let offices: OfficeSummary[] = OFFICES;
  const idOf = async (name: string): Promise<number> => (await findUserForLogin(db.store, name))!.user.id;

  beforeEach(async () => {
    offices = OFFICES;
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => offices, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 1000 });
  });
  afterEach(async () => {
    await app.close();
  });

  const signedIn = (name: string): Promise<Browser> => signedInBrowser(app, name);

  it('a global admin lists every user and adds users, a global admin among them; the new user signs in; audited without the password', async () => {
    const root = await signedIn('root');
    const page = await root.get('/admin/users');
    expect(page.statusCode).toBe(200);
    for (const name of ['ani', 'budi', 'dewi', 'eko', 'root']) expect(page.body).toContain(`<th scope="row">${name}`);
    expect(page.body).toContain('<option value="*">Semua kantor (admin semua kantor)</option>');
    expect(page.body).toContain('Admin di Kantor Imigrasi Medan');

    const added = await root.post('/admin/users', { name: ' Citra.Lubis ', password: NEW_PASSWORD, role: 'editor', office: MEDAN });
    const citra = await idOf('citra.lubis');
    expect([added.statusCode, added.headers.location]).toEqual([303, `/admin/users?done=added&user=${citra}`]);
    expect((await root.get(added.headers.location as string)).body).toContain('<p class="notice" role="status">Pengguna citra.lubis ditambahkan.</p>');
    expect([...(await getUser(db.store, citra))!.roles]).toEqual([[MEDAN, 'editor']]);
    const browser = new Browser(app);
    expect((await browser.login('citra.lubis', NEW_PASSWORD)).headers.location).toBe('/admin/');

    expect((await root.post('/admin/users', { name: 'fajar', password: NEW_PASSWORD, role: 'admin', office: '*' })).statusCode).toBe(303);
    expect(await getUser(db.store, await idOf('fajar'))).toMatchObject({ globalAdmin: true, roles: new Map() });

    const audit = await listAudit(db.store);
    expect(audit.filter((entry) => entry.action === 'users.add').map((entry) => [entry.userName, entry.officeId, entry.detail])).toEqual([
      ['root', null, { user: 'fajar', globalAdmin: true }],
      ['root', MEDAN, { user: 'citra.lubis', role: 'editor' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });

  it('a form with mistakes comes back with each message next to its field, and creates nothing', async () => {
    const root = await signedIn('root');
    const before = (await listUsers(db.store)).length;
    const short = await root.post('/admin/users', { name: 'gita', password: 'pendek', role: 'viewer', office: MEDAN });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('<span class="field-error" id="add-password-error">Kata sandi terlalu pendek: minimal 12 karakter');
    expect(short.body).toContain('value="gita"');
    expect(short.body).not.toContain('pendek"');
    const badName = await root.post('/admin/users', { name: 'Gita Siregar!', password: NEW_PASSWORD, role: 'viewer', office: MEDAN });
    expect(badName.statusCode).toBe(400);
    expect(badName.body).toContain('id="add-name-error">Nama pengguna tidak sah');
    const taken = await root.post('/admin/users', { name: 'ANI', password: NEW_PASSWORD, role: 'viewer', office: MEDAN });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Sudah ada pengguna bernama ani');
    const globalEditor = await root.post('/admin/users', { name: 'gita', password: NEW_PASSWORD, role: 'editor', office: '*' });
    expect(globalEditor.statusCode).toBe(400);
    expect(globalEditor.body).toContain('id="add-role-error">Admin semua kantor hanya bisa berperan admin.');
    const noOffice = await root.post('/admin/users', { name: 'gita', password: NEW_PASSWORD, role: 'viewer', office: '' });
    expect(noOffice.body).toContain('id="add-office-error">Pilih kantor.');
    // Not what the forms send: refused by the routes' schemas.
    expect((await root.post('/admin/users', { name: 'gita' })).statusCode).toBe(400);
    expect((await root.post('/admin/users/abc/disable')).statusCode).toBe(400);
    expect((await listUsers(db.store)).length).toBe(before);
  });

  it('an office admin sees and manages the users of their office only: no role elsewhere, no global admin, no account that reaches another office (IDOR)', async () => {
    const budi = await signedIn('budi');
    const page = await budi.get('/admin/users');
    expect(page.statusCode).toBe(200);
    const listed = [...page.body.matchAll(/<th scope="row">([a-z.]+)/g)].map((m) => m[1]);
    expect(listed).toEqual(['ani', 'budi', 'eko']);
    expect(page.body).not.toContain('Pontianak');
    expect(page.body).toContain('dan 1 kantor lain');
    expect(page.body).not.toContain('value="*"');
    // A row's role choice starts at the role held: saving it unchanged changes nothing.
    const aniRow = /<tr id="user-\d+">\s*<th scope="row">ani<[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '';
    expect(aniRow).toContain('<option value="editor" selected>Penyunting</option>');
    expect(aniRow).not.toContain('<option value="admin" selected>');

    const ids = { ani: await idOf('ani'), dewi: await idOf('dewi'), eko: await idOf('eko'), root: await idOf('root'), budi: await idOf('budi') };
    const refused: [string, Record<string, string>][] = [
      ['/admin/users', { name: 'mata', password: NEW_PASSWORD, role: 'admin', office: PONTIANAK }],
      ['/admin/users', { name: 'mata', password: NEW_PASSWORD, role: 'admin', office: '*' }],
      ['/admin/users', { name: 'mata', password: NEW_PASSWORD, role: 'admin', office: 'kanim-nowhere' }],
      [`/admin/users/${ids.dewi}/disable`, {}],
      [`/admin/users/${ids.root}/disable`, {}],
      [`/admin/users/${ids.root}/password`, { password: NEW_PASSWORD }],
      // eko is also a user of Pontianak: an admin of Medan alone may not lock them out or take the account over.
      [`/admin/users/${ids.eko}/disable`, {}],
      [`/admin/users/${ids.eko}/password`, { password: NEW_PASSWORD }],
      [`/admin/users/${ids.dewi}/role`, { office: PONTIANAK, role: 'admin' }],
      [`/admin/users/${ids.dewi}/role`, { office: MEDAN, role: 'admin' }],
      [`/admin/users/${ids.ani}/role`, { office: PONTIANAK, role: 'admin' }],
      [`/admin/users/${ids.root}/role`, { office: MEDAN, role: 'viewer' }],
      [`/admin/users/${ids.budi}/role`, { office: MEDAN, role: 'viewer' }],
      [`/admin/users/${ids.budi}/disable`, {}],
      ['/admin/users/99999/disable', {}],
    ];
    for (const [url, form] of refused) {
      const response = await budi.post(url, form);
      expect([url, form, response.statusCode]).toEqual([url, form, 403]);
      // Refused for who asks, not for a stale form.
      expect(response.body).toContain('Anda tidak punya akses ke halaman ini.');
    }
    expect((await findUserForLogin(db.store, 'mata'))).toBeUndefined();
    expect(await getUser(db.store, ids.dewi)).toMatchObject({ disabled: false, roles: new Map([[PONTIANAK, 'viewer']]) });
    expect(await getUser(db.store, ids.eko)).toMatchObject({ disabled: false });
    expect((await getUser(db.store, ids.root))!.globalAdmin).toBe(true);
    expect(await verifyPassword(PASSWORD, (await findUserForLogin(db.store, 'root'))!.passwordHash)).toBe(true);
    expect((await listAudit(db.store)).filter((entry) => entry.action.startsWith('users.'))).toEqual([]);

    // What is theirs to give: a role in their office, to a user they see.
    expect((await budi.post(`/admin/users/${ids.eko}/role`, { office: MEDAN, role: 'editor' })).statusCode).toBe(303);
    expect([...(await getUser(db.store, ids.eko))!.roles]).toEqual([[MEDAN, 'editor'], [PONTIANAK, 'viewer']]);
    expect((await budi.post('/admin/users', { name: 'mata', password: NEW_PASSWORD, role: 'approver', office: MEDAN })).statusCode).toBe(303);
  });

  it('users who administer no office get 403 on the users page and its forms', async () => {
    const ani = await signedIn('ani');
    expect((await ani.get('/admin/users')).body).toContain('Anda tidak punya akses ke halaman ini.');
    expect((await ani.post('/admin/users', { name: 'mata', password: NEW_PASSWORD, role: 'viewer', office: MEDAN })).statusCode).toBe(403);
    expect((await ani.post(`/admin/users/${await idOf('eko')}/disable`)).statusCode).toBe(403);
    expect((await ani.get('/admin/o/kanim-medan/')).body).not.toContain('href="/admin/users"');
  });

  it('disabling ends the user\'s sessions and sign-ins until enabled again; a reset password ends them too; roles change and go; all audited', async () => {
    const budi = await signedIn('budi');
    const ani = await signedIn('ani');
    const id = await idOf('ani');
    expect((await budi.post(`/admin/users/${id}/disable`)).headers.location).toBe(`/admin/users?done=disabled&user=${id}`);
    expect((await ani.get('/admin/o/kanim-medan/')).statusCode).toBe(303);
    expect((await new Browser(app).login('ani')).statusCode).toBe(401);
    expect((await budi.get('/admin/users?done=disabled&user=' + id)).body).toContain('Pengguna ani dinonaktifkan dan sesinya diakhiri.');
    expect((await budi.post(`/admin/users/${id}/enable`)).statusCode).toBe(303);
    const again = await signedIn('ani');

    const short = await budi.post(`/admin/users/${id}/password`, { password: 'pendek' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain(`<p class="error" role="alert" id="user-${id}-error">Kata sandi terlalu pendek`);
    expect((await budi.post(`/admin/users/${id}/password`, { password: NEW_PASSWORD })).statusCode).toBe(303);
    expect((await again.get('/admin/')).statusCode).toBe(303);
    expect((await new Browser(app).login('ani')).statusCode).toBe(401);
    expect((await new Browser(app).login('ani', NEW_PASSWORD)).statusCode).toBe(303);

    expect((await budi.post(`/admin/users/${id}/role`, { office: MEDAN, role: 'approver' })).statusCode).toBe(303);
    expect([...(await getUser(db.store, id))!.roles]).toEqual([[MEDAN, 'approver']]);
    expect((await budi.post(`/admin/users/${id}/role`, { office: MEDAN, role: 'owner' })).statusCode).toBe(400);
    expect((await budi.post(`/admin/users/${id}/role`, { office: MEDAN, role: 'none' })).statusCode).toBe(303);
    expect((await getUser(db.store, id))!.roles.size).toBe(0);
    // No longer a user of Medan: no longer budi's to change.
    expect((await budi.post(`/admin/users/${id}/role`, { office: MEDAN, role: 'viewer' })).statusCode).toBe(403);

    const audit = (await listAudit(db.store)).filter((entry) => entry.action.startsWith('users.')).reverse();
    expect(audit.map((entry) => [entry.action, entry.userName, entry.officeId, entry.detail])).toEqual([
      ['users.disable', 'budi', MEDAN, { user: 'ani' }],
      ['users.enable', 'budi', MEDAN, { user: 'ani' }],
      ['users.password-reset', 'budi', MEDAN, { user: 'ani' }],
      ['users.role', 'budi', MEDAN, { user: 'ani', role: 'approver', previous: 'editor' }],
      ['users.role', 'budi', MEDAN, { user: 'ani', role: null, previous: 'approver' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });

  it('every form of these pages is refused without the session\'s CSRF token, and changes nothing', async () => {
    const root = await signedIn('root');
    const other = await signedIn('budi');
    await other.get('/admin/users');
    const id = await idOf('ani');
    const forms = app.routeTable.filter((route) => route.method === 'POST' && /^\/admin\/(users|account)/.test(route.url));
    expect(forms.map((route) => route.url).sort()).toEqual(['/admin/account/password', '/admin/users', '/admin/users/:user/disable', '/admin/users/:user/enable', '/admin/users/:user/password', '/admin/users/:user/role']);
    const fields = { name: 'mata', password: NEW_PASSWORD, role: 'admin', office: MEDAN, current: PASSWORD, repeat: NEW_PASSWORD };
    for (const route of forms) {
      for (const token of [undefined, 'nonsense', other.csrf]) {
        const response = await root.request('POST', route.url.replace(':user', String(id)), token === undefined ? fields : { ...fields, _csrf: token });
        expect([route.url, token === other.csrf ? 'other' : token, response.statusCode]).toEqual([route.url, token === other.csrf ? 'other' : token, 403]);
      }
    }
    expect(await findUserForLogin(db.store, 'mata')).toBeUndefined();
    expect(await getUser(db.store, id)).toMatchObject({ disabled: false, roles: new Map([[MEDAN, 'editor']]) });
    expect(await verifyPassword(PASSWORD, (await findUserForLogin(db.store, 'root'))!.passwordHash)).toBe(true);
    expect((await listAudit(db.store)).filter((entry) => entry.action !== 'login')).toEqual([]);
  });

  it('shows user and office names with markup as text', async () => {
    offices = OFFICES.map((office) => (office.id === MEDAN ? { ...office, name: '<img src=x onerror=alert(1)>' } : office));
    // Not a name the forms accept; one written to the database some other way must still be inert.
    await createUser(db.store, { name: '<script>alert(2)</script>', passwordHash: 'x', globalAdmin: false, roles: new Map([[MEDAN, 'viewer']]) }, NOW);
    const root = await signedIn('root');
    const body = (await root.get('/admin/users')).body;
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(body).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('a user changes their own password with the current one; other sessions end, this one stays; audited', async () => {
    const ani = await signedIn('ani');
    const elsewhere = await signedIn('ani');
    const page = await ani.get('/admin/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Penyunting di Kantor Imigrasi Medan');
    expect(page.body).toContain('<a href="/admin/account" aria-current="page">Akun saya</a>');

    const wrong = await ani.post('/admin/account/password', { current: 'not my password', password: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('id="account-current-error">Kata sandi sekarang salah.');
    const differ = await ani.post('/admin/account/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: `${NEW_PASSWORD}!` });
    expect(differ.body).toContain('id="account-repeat-error">Kedua kata sandi baru tidak sama.');
    const short = await ani.post('/admin/account/password', { current: PASSWORD, password: 'pendek', repeat: 'pendek' });
    expect(short.body).toContain('id="account-new-error">Kata sandi terlalu pendek');
    expect(await verifyPassword(PASSWORD, (await findUserForLogin(db.store, 'ani'))!.passwordHash)).toBe(true);

    const changed = await ani.post('/admin/account/password', { current: PASSWORD, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
    expect([changed.statusCode, changed.headers.location]).toEqual([303, '/admin/account?done=password']);
    expect((await ani.get('/admin/account?done=password')).body).toContain('Kata sandi Anda diganti.');
    expect((await elsewhere.get('/admin/account')).statusCode).toBe(303);
    expect((await new Browser(app).login('ani', NEW_PASSWORD)).statusCode).toBe(303);
    const audit = (await listAudit(db.store, { userName: 'ani' })).filter((entry) => entry.action.startsWith('account.'));
    expect(audit.map((entry) => [entry.action, entry.detail])).toEqual([
      ['account.password', { otherSessionsEnded: 1 }],
      ['account.password-refused', { reason: 'wrong-current-password' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });
});
