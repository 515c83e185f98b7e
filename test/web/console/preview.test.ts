/**
 * The preview pages over HTTP (src/web/console/preview/): real revisions,
 * templates, renderer and fonts on SQLite (the data modules run on both
 * stores in test/console/). The X count as X weighs it and the over-limit
 * caption flagged; card images only through the office's own preview; the
 * caption template editor's live preview with line and column, and its save
 * as a revision by the user; hostile text shown as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../../src/store/audit-log';
import { getCurrentRevision } from '../../../src/store/config-revisions';
import { LONG_X_CAPTION } from '../../console/unlike-office';
import { REPO_ROOT } from '../../support/cli';
import { useTestStore } from '../../support/databases';
import { addUser, Browser } from '../../support/web';
import { BOVEN, buildServer, htmxPost, MERAUKE, officeFiles, recordRevision, tempDir, unescapeAttr, writeTwoOffices } from './two-offices';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const EDITOR = `/admin/o/${MERAUKE}/templates/h-1/x`;

describe('web/console/preview (sqlite)', () => {
  let dir: string;
  // Both offices' first revisions and the users, written once: each test gets a copy of that database.
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      await recordRevision(store, dir, MERAUKE, officeFiles(dir, MERAUKE), { author: 'files', message: 'start' });
      await recordRevision(store, dir, BOVEN, officeFiles(dir, BOVEN), { author: 'files', message: 'start' });
      await addUser(store, 'root', 'global-admin');
      await addUser(store, 'ani', { [MERAUKE]: 'editor' });
      await addUser(store, 'vera', { [MERAUKE]: 'viewer' });
    },
  });
  let scratch: string;
  let app: FastifyInstance;

  beforeAll(() => {
    dir = writeTwoOffices();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    scratch = tempDir('herald-web-preview-');
    app = await buildServer(db.store, dir, scratch);
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function signedIn(name: string): Promise<Browser> {
    const browser = new Browser(app);
    expect((await browser.login(name)).statusCode).toBe(303);
    return browser;
  }

  it('shows each post per network (the X count weighted, the over-limit caption flagged, cards with alt text) and serves the office’s own card images only', async () => {
    const vera = await signedIn('vera');
    const page = await vera.get(`/admin/o/${MERAUKE}/preview`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    // Two announcements (h-1 the evening before, the opening) on two networks each.
    expect(body).toMatch(/4 unggahan dari Senin, 14 Desember 2026 sampai Minggu, 27 Desember 2026; 1 tidak akan terkirim\./);
    const counts = [...body.matchAll(/Panjang caption: (\d+)\/280 \(dihitung seperti X/g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(2);
    const over = counts.find((n) => n > 280)!;
    expect(over).toBeDefined();
    expect(body).toContain(`Caption ${over} karakter menurut hitungan X, melebihi batas 280.`);
    expect(body).toContain('Tidak akan terkirim: ada kesalahan');
    expect(body).toContain(`caption is ${over} characters (weighted as X counts them), over the limit of 280`);
    expect(body).toMatch(/Panjang caption: \d+\/2200 karakter\./);
    expect(body).toContain('… lainnya');
    expect(body).toMatch(/alt="Kartu [^"]+"/);
    // A viewer does not get the template editor's links.
    expect(body).not.toContain('/templates/');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");

    const urls = [...body.matchAll(/<img src="([^"]+)"/g)].map((m) => unescapeAttr(m[1]!));
    expect(urls.length).toBeGreaterThanOrEqual(4);
    expect(urls.every((url) => url.startsWith(`/admin/o/${MERAUKE}/preview/card/`) && url.includes('?from=2026-12-14&to=2026-12-27'))).toBe(true);
    const css = await vera.get('/admin/assets/preview.css');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const english = (await vera.get(`/admin/o/${MERAUKE}/preview?lang=en`)).body;
    expect(english).toContain(`Caption length: ${over}/280 (counted as X does`);
    expect(english).toContain('4 posts from ');

    const ani = await signedIn('ani');
    expect((await ani.get(`/admin/o/${MERAUKE}/preview`)).body).toContain(`href="${EDITOR}"`);

    // The card images: the office's own, looked up in the preview the page was made from.
    const url = urls[0]!;
    const card = await ani.get(url);
    expect(card.statusCode).toBe(200);
    expect(['image/png', 'image/jpeg']).toContain(card.headers['content-type']);
    expect(card.headers['cache-control']).toBe('private, max-age=300');
    const bytes = card.rawPayload;
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(bytes.subarray(0, 4).equals(PNG) || bytes.subarray(0, 3).equals(JPEG)).toBe(true);

    const [, postId, rest] = /^\/admin\/o\/[^/]+\/preview\/card\/([^/]+)(\/.*)$/.exec(url)!;
    // Another office's URL: refused before anything is looked up.
    expect((await ani.get(`/admin/o/${BOVEN}/preview/card/${postId}${rest}`)).statusCode).toBe(403);
    const root = await signedIn('root');
    expect((await root.get(url)).statusCode).toBe(200);
    // Merauke's post is not in Boven's preview, even for an admin of both.
    expect((await root.get(`/admin/o/${BOVEN}/preview/card/${postId}${rest}`)).statusCode).toBe(404);
    for (const bad of [
      `/admin/o/${MERAUKE}/preview/card/0000000000000000dead/1`,
      `/admin/o/${MERAUKE}/preview/card/${postId}/9`,
      `/admin/o/${MERAUKE}/preview/card/${postId}/0`,
      `/admin/o/${MERAUKE}/preview/card/..%2F..%2F..%2Fetc%2Fpasswd/1`,
      `/admin/o/${MERAUKE}/preview/card/${postId}/..%2Fcard.png`,
    ]) {
      expect([bad, (await ani.get(bad)).statusCode]).toEqual([bad, 404]);
    }
    // Signed out: to the login page, no bytes.
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(303);
  }, 60_000);

  it('the template editor previews an edit live (htmx) and as a plain form post, with a syntax error at its line and column', async () => {
    const ani = await signedIn('ani');
    const editor = await ani.get(EDITOR);
    expect(editor.statusCode).toBe(200);
    expect(editor.body).toContain('captions/h-1.x.hbs');
    expect(editor.body).toContain('Pengumuman resmi {{office.name}}');
    expect(editor.body).toMatch(/<textarea id="template-source" name="source"[^>]*hx-post="\/admin\/o\/kanim-merauke\/templates\/h-1\/x\/preview"/);
    // The office's own caption, as it stands: over X's limit, said so in the result beside the textarea.
    expect(editor.body).toContain('melebihi batas 280');

    const broken = 'Kuota dibuka.\n{{#if release.note}}{{release.note}}{{/each}}\n';
    const fragment = await htmxPost(ani, `${EDITOR}/preview`, { source: broken });
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).toContain('Baris 2, kolom 4:');
    expect(fragment.body).toContain('Blok {{#if}} ditutup dengan {{/each}}');

    // Without JavaScript: the whole page, the text as typed (CRLF from the browser), the error beside it.
    const page = await ani.post(`${EDITOR}/preview`, { source: broken.replace(/\n/g, '\r\n') });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html');
    expect(page.body).toContain('Baris 2, kolom 4:');
    expect(page.body).toContain('{{#if release.note}}{{release.note}}{{/each}}\n</textarea>');

    const fits = await htmxPost(ani, `${EDITOR}/preview`, { source: 'Kuota paspor {{office.shortName}} dibuka {{time release.opensAt}}.\n' });
    expect(fits.body).toContain('Kuota paspor Imigrasi Merauke dibuka 10.00 WIT.');
    expect(fits.body).toMatch(/Panjang caption: 47\/280 \(dihitung seperti X/);
    expect(fits.body).toContain('Dalam batas.');

    // Editors only; and never without the form's token.
    const vera = await signedIn('vera');
    expect((await vera.get(EDITOR)).statusCode).toBe(403);
    expect((await vera.post(`${EDITOR}/preview`, { source: 'x' })).statusCode).toBe(403);
    expect((await ani.request('POST', `${EDITOR}/preview`, { source: 'x' })).statusCode).toBe(403);
    expect((await ani.get(`/admin/o/${MERAUKE}/templates/h-9/x`)).statusCode).toBe(404);
  }, 60_000);

  it('saving a template makes a revision by the user (audited); one over the limit is refused and nothing is stored', async () => {
    const ani = await signedIn('ani');
    await ani.get(EDITOR);
    const before = (await getCurrentRevision(db.store, MERAUKE))!;

    const refused = await ani.post(EDITOR, { source: `${LONG_X_CAPTION}Tambahan.\n`, base: String(before.id), message: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Tidak disimpan: perbaiki dulu masalah di bagian Hasil.');
    expect((await getCurrentRevision(db.store, MERAUKE))!.id).toBe(before.id);

    const short = 'Kuota paspor {{office.shortName}} dibuka {{relativeDate release.opensAt}} pukul {{time release.opensAt}}.\n';
    const saved = await ani.post(EDITOR, { source: short.replace(/\n/g, '\r\n'), base: String(before.id), message: 'caption X dipersingkat' });
    expect(saved.statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, MERAUKE))!;
    expect(current).toMatchObject({ parentId: before.id, author: 'ani', message: 'caption X dipersingkat', valid: true });
    expect(current.files[`offices/${MERAUKE}/templates/captions/h-1.x.hbs`]).toBe(short);
    expect(saved.headers.location).toBe(`${EDITOR}?saved=${current.id}`);
    const after = (await ani.get(saved.headers.location as string)).body;
    expect(after).toContain(`Tersimpan sebagai revisi ${current.id}, berlaku sekarang.`);
    // The editor follows the new revision (it keeps what it loaded per revision): the saved text, and its result.
    expect(after).toContain('Kuota paspor {{office.shortName}} dibuka {{relativeDate release.opensAt}} pukul {{time release.opensAt}}.');
    expect(after).toContain('Dalam batas.');
    expect((await listAudit(db.store, { officeIds: [MERAUKE] })).map((entry) => [entry.action, entry.userName, entry.detail.revisionId])).toEqual([['template.save', 'ani', current.id]]);

    // The preview follows the new revision: no post over its limit any more (the h-1 day only: fewer cards to render).
    const page = await ani.get(`/admin/o/${MERAUKE}/preview?from=2026-12-17&to=2026-12-17`);
    expect(page.body).toContain('2 unggahan dari Kamis, 17 Desember 2026 sampai Kamis, 17 Desember 2026; 0 tidak akan terkirim.');
    // Boven's revision is untouched.
    expect((await getCurrentRevision(db.store, BOVEN))!.files[`offices/${BOVEN}/templates/captions/h-1.x.hbs`]).toBe(LONG_X_CAPTION);
  }, 60_000);

  it('hostile text in a caption template is shown as text in the editor, its result and the preview', async () => {
    const ani = await signedIn('ani');
    await ani.get(EDITOR);
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> {{office.shortName}}\n';
    const result = await ani.post(`${EDITOR}/preview`, { source: hostile });
    expect(result.body).not.toMatch(/<script>alert|<img src=x/);
    expect(result.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt; Imigrasi Merauke');
    const base = String((await getCurrentRevision(db.store, MERAUKE))!.id);
    expect((await ani.post(EDITOR, { source: hostile, base, message: '<b onmouseover=alert(3)>pesan</b>' })).statusCode).toBe(303);
    const page = await ani.get(`/admin/o/${MERAUKE}/preview?from=2026-12-17&to=2026-12-17`);
    expect(page.body).not.toMatch(/<script>alert|<img src=x|<b onmouseover/);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  }, 60_000);

  it('the sample office keeps its templates outside its revisions: the editor previews, says why it cannot save, and refuses a save', async () => {
    const sampleDir = path.join(REPO_ROOT, 'config');
    const sampleApp = await buildServer(db.store, sampleDir, scratch, { offices: [{ id: 'kanim-pontianak', name: 'Kantor Imigrasi Pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID' }] });
    try {
      const first = await recordRevision(db.store, sampleDir, 'kanim-pontianak', officeFiles(sampleDir, 'kanim-pontianak'), { author: 'files', message: 'sample' });
      await addUser(db.store, 'sari', { 'kanim-pontianak': 'editor' });
      const sari = new Browser(sampleApp);
      await sari.login('sari');
      const editor = await sari.get('/admin/o/kanim-pontianak/templates/h-1/x');
      expect(editor.statusCode).toBe(200);
      expect(editor.body).toContain('Template kantor ini tidak tersimpan di revisi konfigurasi');
      expect(editor.body).not.toContain('Simpan sebagai revisi baru');
      // The preview still works: the shipped X caption for the next h-1 post.
      expect(editor.body).toMatch(/Panjang caption: \d+\/280 \(dihitung seperti X/);
      const refused = await sari.post('/admin/o/kanim-pontianak/templates/h-1/x', { source: 'Kuota {{office.shortName}}\n', base: String(first) });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Tidak disimpan: template kantor ini tidak dapat disimpan dari konsol');
      expect((await getCurrentRevision(db.store, 'kanim-pontianak'))!.id).toBe(first);
    } finally {
      await sampleApp.close();
    }
  }, 60_000);
});
