/**
 * The calendar and calendar edit pages over HTTP (fastify.inject), on SQLite
 * (console/edit's data layer is tested on both engines in test/console/edit),
 * with the sample office's real config revision in the store and its posts
 * planned, the h-1 posts of simpatik-desember already published: the agenda and
 * month grid, adding an opening end to end (a revision by the user, the next
 * plan has its posts), problems next to their fields, a cancellation post in
 * the review, two editors, roles, offices, CSRF and a hostile note.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { listAudit } from '../../src/store/audit-log';
import { getCurrentRevision, listRevisions } from '../../src/store/config-revisions';
import { listPosts } from '../../src/store/ledger';
import { useTestStore } from '../support/databases';
import { addUser, Browser } from '../support/web';
import { buildCalendarServer, NOW, replanCurrent, SAMPLE_OFFICE, startCalendarOffices, WIT_OFFICE } from './calendar-fixture';

const BASE = `/admin/o/${SAMPLE_OFFICE}`;

/** A hidden field's value in a page, as the browser would send it back (Handlebars escapes attribute text). */
function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no hidden ${name} in the page`);
  const entities: Record<string, string> = { '&quot;': '"', '&#x27;': "'", '&#x60;': '`', '&#x3D;': '=', '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  return match[1]!.replace(/&quot;|&#x27;|&#x60;|&#x3D;|&lt;|&gt;|&amp;/g, (entity) => entities[entity]!);
}

/** The review page's Save button. */
function save(browser: Browser, url: string, review: LightMyRequestResponse): Promise<LightMyRequestResponse> {
  return browser.post(url, { _step: 'save', baseRevisionId: hidden(review.body, 'baseRevisionId'), draft: hidden(review.body, 'draft') });
}

/** The <section> of the review page with this heading id, or ''. */
function section(html: string, id: string): string {
  return new RegExp(`<section[^>]*aria-labelledby="${id}">[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
}

const NEW_OPENING = {
  id: 'simpatik-tambahan',
  opensDate: '2026-12-12',
  opensTime: '10:00',
  closesTime: '',
  // A Sunday and the next: the weekly rule gives Monday to Friday.
  day1: '2026-12-13',
  day2: '2026-12-20',
  day3: '',
  'count.regular': '50',
  'count.express': '5',
  note: 'Kuota tambahan akhir tahun',
};

describe('web/console calendar and edit pages (sqlite)', () => {
  // The offices, their posts and the users, written once: each test gets a copy of that database.
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      const revision = await startCalendarOffices(store);
      await addUser(store, 'eka', { [SAMPLE_OFFICE]: 'editor' });
      await addUser(store, 'budi', { [SAMPLE_OFFICE]: 'admin' });
      await addUser(store, 'vina', { [SAMPLE_OFFICE]: 'viewer' });
      await addUser(store, 'jaya', { [WIT_OFFICE]: 'editor' });
      return revision;
    },
  });
  let app: FastifyInstance;
  let sampleRevision: number;

  beforeEach(async () => {
    sampleRevision = db.seeded;
    app = await buildCalendarServer(db.store);
  });
  afterEach(async () => {
    await app.close();
  });

  async function signedIn(name: string): Promise<Browser> {
    const browser = new Browser(app);
    const response = await browser.login(name);
    expect(response.statusCode).toBe(303);
    return browser;
  }

  it('shows the agenda: openings with time, days, counts per service, note, each announcement per channel (published with its link); holidays, cuti bersama, closures', async () => {
    const vina = await signedIn('vina');
    const page = await vina.get(`${BASE}/calendar`);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<h1>Kalender · Kantor Imigrasi Kelas I TPI Pontianak</h1>');
    expect(html).toContain('Hari ini sampai akhir Januari 2027');
    expect(html).not.toContain('id="o-mingguan-2026-12-04"');
    expect(html).toContain('<time datetime="2026-12-11">Jumat, 11 Desember 2026</time>');
    const opening = /<article[^>]*id="o-simpatik-desember"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(opening).toContain('Pembukaan kuota pukul 09.00 WIB');
    expect(opening).toContain('Layanan Paspor Simpatik hari Sabtu');
    expect(opening).toMatch(/<th scope="row"><time datetime="2026-12-19">Sabtu, 19 Desember 2026<\/time><\/th><td>80<\/td><td><span aria-hidden="true">—<\/span><span class="visually-hidden">tidak ada kuota<\/span><\/td><td>80<\/td>/);
    expect(opening).toContain('Jum 11 Des 17.00 WIB');
    // h-1 went out on both channels; X has its live post linked; the others are still planned.
    expect(opening).toMatch(/<span class="cal-channel">x<\/span>: <span class="cal-state">Terkirim<\/span> · <a href="https:\/\/x\.com\/imigrasiptk\/status\/1866500000000000001"/);
    expect(opening).toMatch(/<span class="cal-channel">instagram<\/span>: <span class="cal-state">Terkirim<\/span>/);
    expect(opening).toMatch(/h-60m[\s\S]*Terjadwal/);
    // Closed days, each said in words.
    expect(html).toContain('<strong>Cuti bersama:</strong> Cuti bersama Hari Raya Natal');
    expect(html).toMatch(/<strong>Libur nasional:<\/strong> [^<]*Natal/);
    expect(html).toContain('<strong>Kantor tutup:</strong> Pemeliharaan sistem antrean akhir tahun');
    // A weekly opening and the cancelled Christmas one.
    expect(html).toContain('id="o-mingguan-2026-12-11"');
    expect(/<article[^>]*id="o-mingguan-2026-12-25"[\s\S]*?<\/article>/.exec(html)?.[0]).toContain('Dibatalkan');
    // A viewer gets no way to edit.
    expect(html).not.toContain('/edit');

    const english = await vina.get(`${BASE}/calendar?lang=en`);
    expect(english.body).toContain('Quota opens at 09:00 WIB');
    expect(english.body).toContain('Friday, 11 December 2026');
  });

  it('shows a month grid with the previous and next month; a month that is not one falls back to this month', async () => {
    const eka = await signedIn('eka');
    const page = await eka.get(`${BASE}/calendar?view=month&month=2026-12`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<caption>Desember 2026</caption>');
    expect(page.body).toContain(`href="${BASE}/calendar?view&#x3D;month&amp;month&#x3D;2026-11" rel="prev"`);
    expect(page.body).toContain(`href="${BASE}/calendar?view&#x3D;month&amp;month&#x3D;2027-01" rel="next"`);
    expect(page.body).toMatch(/<td class="[^"]*is-today[^"]*" aria-current="date">\s*<span class="cal-daynum"><time datetime="2026-12-10">10<\/time> <span class="cal-today">hari ini<\/span>/);
    expect(page.body).toContain('<a class="cal-open" href="#o-simpatik-desember">Buka 09.00 WIB</a>');
    expect(page.body).toContain('<span class="cal-closed">Cuti bersama: Cuti bersama Hari Raya Natal</span>');
    // The same month's agenda under the grid (a phone shows only that).
    expect(page.body).toContain('Rincian Desember 2026');
    expect(page.body).toContain('id="o-simpatik-desember"');
    // An editor gets the links to change the calendar.
    expect(page.body).toContain(`href="${BASE}/edit/opening/simpatik-desember/cancel"`);
    expect(page.body).toContain(`href="${BASE}/edit/opening/mingguan%402026-12-11/cancel"`);
    const odd = await eka.get(`${BASE}/calendar?view=month&month=2026-13`);
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('<caption>Desember 2026</caption>');
  });

  it('adds an opening end to end: review lists the new posts, Save makes a revision by the user (audited), the calendar shows it, the next plan has its posts', async () => {
    const eka = await signedIn('eka');
    const form = await eka.get(`${BASE}/edit/opening/new`);
    expect(form.statusCode).toBe(200);
    expect(hidden(form.body, 'baseRevisionId')).toBe(String(sampleRevision));
    const url = `${BASE}/edit/opening/new`;
    const review = await eka.post(url, { baseRevisionId: String(sampleRevision), ...NEW_OPENING });
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('<h1>Periksa perubahan</h1>');
    expect(review.body).toContain('Konsol: tambah pembukaan simpatik-tambahan (2026-12-12 10:00)');
    const added = section(review.body, 'review-added');
    // Its six announcements (the re-plan at 20:00 also reaches one more weekly post: its horizon moved on since 12:00).
    expect(added.match(/<tr><th scope="row"><span class="edit-kind">Pengumuman<\/span> [a-z0-9-]+ · <code>simpatik-tambahan<\/code>/g)).toHaveLength(6);
    expect(added).toContain('Jum 11 Des 19.00 WIB');
    expect(section(review.body, 'review-corrections')).toBe('');
    // Nothing is stored before Save.
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id).toBe(sampleRevision);

    const saved = await save(eka, url, review);
    expect(saved.statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(saved.headers.location).toBe(`${BASE}/calendar?saved=${current.id}&month=2026-12`);
    expect(current).toMatchObject({ author: 'eka', parentId: sampleRevision, message: 'Konsol: tambah pembukaan simpatik-tambahan (2026-12-12 10:00)' });
    expect(current.files['calendar.yaml']).toContain('  - id: simpatik-tambahan\n    opensAt: "2026-12-12 10:00"');
    // The rest of the file keeps its comments.
    expect(current.files['calendar.yaml']).toContain('# Saturday service (layanan hari Sabtu)');
    const audit = (await listAudit(db.store, { officeIds: [SAMPLE_OFFICE] }))[0]!;
    expect(audit).toMatchObject({ userName: 'eka', officeId: SAMPLE_OFFICE, action: 'calendar.edit', detail: { form: 'add-opening', revisionId: current.id, baseRevisionId: sampleRevision } });

    const calendar = await eka.get(saved.headers.location as string);
    expect(calendar.body).toContain(`Perubahan disimpan sebagai revisi ${current.id} oleh eka.`);
    expect(/<article[^>]*id="o-simpatik-tambahan"[\s\S]*?<\/article>/.exec(calendar.body)?.[0]).toContain('Kuota tambahan akhir tahun');

    // The bot's re-plan of the new revision (what follow-revisions runs) puts exactly the reviewed posts in the ledger.
    await replanCurrent(db.store, current.files, NOW);
    const posts = await listPosts(db.store, { releaseIds: ['simpatik-tambahan'] });
    expect(posts.map((post) => `${post.ruleId}/${post.channelId}/${post.state}`).sort()).toEqual(['h-1/instagram/planned', 'h-1/x/planned', 'h-60m/instagram/planned', 'h-60m/x/planned', 'opening/instagram/planned', 'opening/x/planned']);
  });

  it('a bad count comes back in Indonesian next to its field, with every value kept, and nothing is saved', async () => {
    const eka = await signedIn('eka');
    await eka.get(`${BASE}/edit/opening/new`);
    const response = await eka.post(`${BASE}/edit/opening/new`, { baseRevisionId: String(sampleRevision), ...NEW_OPENING, 'count.regular': '-3' });
    expect(response.statusCode).toBe(422);
    const field = /<div class="edit-field is-invalid">\s*<label for="f-count-regular">[\s\S]*?<\/div>/.exec(response.body)?.[0] ?? '';
    expect(field).toMatch(/<input id="f-count-regular" name="count.regular" type="number" value="-3"[^>]* aria-invalid="true" aria-describedby="(p-\d+)">/);
    const describedBy = /aria-describedby="(p-\d+)"/.exec(field)![1];
    expect(field).toContain(`<span class="edit-problem" id="${describedBy}">Jumlah kuota tidak boleh negatif: tulis 0 bila tidak ada kuota.</span>`);
    // The summary above the form links to the field; the other fields keep what was typed.
    expect(response.body).toContain('<a href="#f-count-regular">Jumlah kuota tidak boleh negatif');
    expect(response.body).toContain('value="simpatik-tambahan"');
    expect(response.body).toContain('>Kuota tambahan akhir tahun</textarea>');
    expect(response.body).toMatch(/<input id="f-count-express"[^>]* value="5"/);
    expect(response.body).not.toMatch(/<input id="f-count-express"[^>]*aria-invalid/);
    expect((await listRevisions(db.store, { officeId: SAMPLE_OFFICE })).length).toBe(1);

    // A service day before the opening: on that day's field.
    const early = await eka.post(`${BASE}/edit/opening/new`, { baseRevisionId: String(sampleRevision), ...NEW_OPENING, day2: '2026-12-11' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toMatch(/<input id="f-day2" name="day2" type="date" value="2026-12-11"[^>]*aria-invalid="true"[^>]*>\s*<span class="edit-problem" id="p-\d+">Hari layanan 2026-12-11 sebelum tanggal pembukaan/);
  });

  it('cancelling a published opening previews a cancellation post per channel; saved, the next plan has them', async () => {
    const eka = await signedIn('eka');
    const url = `${BASE}/edit/opening/simpatik-desember/cancel`;
    const form = await eka.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<dd>2026-12-11 09:00</dd>');
    const empty = await eka.post(url, { baseRevisionId: String(sampleRevision), reason: ' ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Tulis alasan pembatalan.');

    const review = await eka.post(url, { baseRevisionId: String(sampleRevision), reason: 'Petugas layanan Sabtu berhalangan' });
    expect(review.statusCode).toBe(200);
    const corrections = section(review.body, 'review-corrections');
    expect(corrections.match(/<span class="edit-kind">Pembatalan<\/span> · <code>simpatik-desember<\/code>/g)).toHaveLength(2);
    expect(corrections).toContain('<td>instagram</td>');
    expect(corrections).toContain('<td>x</td>');
    expect(corrections).toContain('Pengumuman, terkirim <time datetime="2026-12-10T12:00:00.000Z">Kam 10 Des 19.00 WIB</time>');
    const removed = section(review.body, 'review-removed');
    expect(removed.match(/<tr><th scope="row"><span class="edit-kind">Pengumuman<\/span> [a-z0-9-]+ · <code>simpatik-desember<\/code>/g)).toHaveLength(4);

    expect((await save(eka, url, review)).statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(current.files['calendar.yaml']).toMatch(/id: simpatik-desember[\s\S]*?cancelled: true\n\s+cancelReason: Petugas layanan Sabtu berhalangan/);
    await replanCurrent(db.store, current.files, NOW);
    const posts = await listPosts(db.store, { releaseIds: ['simpatik-desember'], states: ['planned'] });
    expect(posts.map((post) => `${post.kind}/${post.channelId}`).sort()).toEqual(['cancellation/instagram', 'cancellation/x']);
  });

  it('two editors on the same opening: the second save gets the conflict page (who, when) and starts again from the current revision with its values', async () => {
    const eka = await signedIn('eka');
    const budi = await signedIn('budi');
    const url = `${BASE}/edit/opening/simpatik-desember`;
    const ekaForm = await eka.get(url);
    const budiForm = await budi.get(url);
    expect(hidden(ekaForm.body, 'baseRevisionId')).toBe(hidden(budiForm.body, 'baseRevisionId'));
    expect(budiForm.body).toContain('>Layanan Paspor Simpatik hari Sabtu</textarea>');
    const fields = { baseRevisionId: String(sampleRevision), opensDate: '2026-12-11', opensTime: '09:00', closesTime: '17:00', day1: '2026-12-19', 'count.regular': '80', 'count.express': '' };
    const ekaReview = await eka.post(url, { ...fields, note: 'Catatan dari Eka' });
    const budiReview = await budi.post(url, { ...fields, note: 'Catatan dari Budi' });
    expect(ekaReview.statusCode).toBe(200);
    expect(budiReview.statusCode).toBe(200);
    expect((await save(eka, url, ekaReview)).statusCode).toBe(303);
    const ekaRevision = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;

    const conflict = await save(budi, url, budiReview);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain(`Kalender ini sudah diubah oleh eka pada Kam 10 Des 20.00 WIB (revisi ${ekaRevision.id}) sejak Anda mulai menyunting revisi ${sampleRevision}`);
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id).toBe(ekaRevision.id);
    expect((await listAudit(db.store, { userName: 'budi' }))[0]).toMatchObject({ action: 'calendar.edit-conflict', detail: { baseRevisionId: sampleRevision, currentRevisionId: ekaRevision.id } });

    const again = await budi.post(url, { _step: 'restart', draft: hidden(conflict.body, 'draft') });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(`Formulir dibuka lagi pada revisi terbaru (${ekaRevision.id})`);
    expect(hidden(again.body, 'baseRevisionId')).toBe(String(ekaRevision.id));
    expect(again.body).toContain('>Catatan dari Budi</textarea>');
    const review = await budi.post(url, { ...fields, baseRevisionId: String(ekaRevision.id), note: 'Catatan dari Budi' });
    expect((await save(budi, url, review)).statusCode).toBe(303);
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!).toMatchObject({ author: 'budi', parentId: ekaRevision.id });
  });

  it('a viewer sees the calendar but gets 403 on every edit page, GET and POST; nothing is saved', async () => {
    const editRoutes = app.routeTable.filter((route) => route.url.startsWith('/admin/o/:office/edit') && route.method !== 'HEAD');
    expect(editRoutes.length).toBe(13);
    for (const route of editRoutes) expect([route.url, route.access]).toEqual([route.url, { kind: 'role', role: 'editor', officeParam: 'office' }]);
    expect(app.routeTable.find((route) => route.url === '/admin/o/:office/calendar' && route.method === 'GET')?.access).toEqual({ kind: 'role', role: 'viewer', officeParam: 'office' });

    const vina = await signedIn('vina');
    expect((await vina.get(`${BASE}/calendar`)).statusCode).toBe(200);
    for (const route of editRoutes) {
      const url = route.url.replace(':office', SAMPLE_OFFICE).replace(':id', 'simpatik-desember');
      const response = route.method === 'GET' ? await vina.get(url) : await vina.post(url, { baseRevisionId: String(sampleRevision), ...NEW_OPENING, reason: 'x' });
      expect([route.method, url, response.statusCode]).toEqual([route.method, url, 403]);
    }
    expect((await listRevisions(db.store, { officeId: SAMPLE_OFFICE })).length).toBe(1);
  });

  it("an editor of another office gets 403 on this office's pages, and cannot edit through another office's revision id or opening", async () => {
    const jaya = await signedIn('jaya');
    expect((await jaya.get(`${BASE}/calendar`)).statusCode).toBe(403);
    expect((await jaya.get(`${BASE}/edit/opening/new`)).statusCode).toBe(403);
    await jaya.get(`/admin/o/${WIT_OFFICE}/calendar`);
    expect((await jaya.post(`${BASE}/edit/opening/new`, { baseRevisionId: String(sampleRevision), ...NEW_OPENING })).statusCode).toBe(403);
    // Through Jayapura's own URL, with Pontianak's revision as the base: refused, not saved into either office.
    const witUrl = `/admin/o/${WIT_OFFICE}/edit/opening/new`;
    for (const step of ['check', 'save']) {
      const body: Record<string, string> = step === 'check' ? { baseRevisionId: String(sampleRevision), ...NEW_OPENING } : { _step: 'save', baseRevisionId: String(sampleRevision), draft: JSON.stringify(NEW_OPENING) };
      const response = await jaya.post(witUrl, body);
      expect([step, response.statusCode]).toEqual([step, 400]);
      expect(response.body).toContain('Formulir ini tidak cocok dengan kantor ini.');
    }
    // Pontianak's opening is not in Jayapura's calendar.
    expect((await jaya.get(`/admin/o/${WIT_OFFICE}/edit/opening/simpatik-desember`)).statusCode).toBe(404);
    expect((await jaya.get(`/admin/o/${WIT_OFFICE}/edit/opening/layanan-sabtu`)).statusCode).toBe(200);
    expect((await listRevisions(db.store)).map((revision) => revision.author)).toEqual(['files', 'files']);
  });

  it('refuses a form post without the CSRF token, and a draft that is not a JSON object of strings', async () => {
    const eka = await signedIn('eka');
    await eka.get(`${BASE}/edit/opening/new`);
    const forged = await eka.request('POST', `${BASE}/edit/opening/new`, { baseRevisionId: String(sampleRevision), ...NEW_OPENING, _step: 'save', draft: JSON.stringify(NEW_OPENING) });
    expect(forged.statusCode).toBe(403);
    for (const draft of ['{"note": 1}', '[]', 'nonsense']) {
      expect((await eka.post(`${BASE}/edit/opening/new`, { _step: 'save', baseRevisionId: String(sampleRevision), draft })).statusCode).toBe(400);
    }
    expect((await listRevisions(db.store, { officeId: SAMPLE_OFFICE })).length).toBe(1);
  });

  it('a note with markup is shown as text on the review page, in the form and on the calendar (stored XSS rendered inert)', async () => {
    const attack = `<script>alert("xss")</script><img src=x onerror=alert(1)>" onfocus="alert(2)`;
    const eka = await signedIn('eka');
    await eka.get(`${BASE}/edit/opening/new`);
    const url = `${BASE}/edit/opening/new`;
    const review = await eka.post(url, { baseRevisionId: String(sampleRevision), ...NEW_OPENING, note: attack });
    expect(review.statusCode).toBe(200);
    const back = await eka.post(url, { _step: 'edit', baseRevisionId: String(sampleRevision), draft: hidden(review.body, 'draft') });
    expect(back.body).toContain('>&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot; onfocus&#x3D;&quot;alert(2)</textarea>');
    expect((await save(eka, url, review)).statusCode).toBe(303);
    const calendar = await eka.get(`${BASE}/calendar`);
    expect(calendar.body).toContain('<dd class="cal-note">&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot; onfocus&#x3D;&quot;alert(2)</dd>');
    for (const page of [review.body, back.body, calendar.body]) {
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('" onfocus="alert');
    }
  });

  it('the other forms: counts for many days, a closure, a CSV pasted in; problems of a CSV row on the CSV field', async () => {
    const eka = await signedIn('eka');
    const countsUrl = `${BASE}/edit/opening/simpatik-desember/counts`;
    const counts = await eka.get(countsUrl);
    expect(counts.body).toContain('<input type="hidden" name="date.1" value="2026-12-19"><time datetime="2026-12-19">2026-12-19</time>');
    expect(counts.body).toMatch(/<label class="visually-hidden" for="f-count-1-regular">Paspor Reguler, 2026-12-19<\/label>\s*<input id="f-count-1-regular" name="count.1.regular" type="number" min="0" step="1" inputmode="numeric" value="80">/);
    const countsReview = await eka.post(countsUrl, { baseRevisionId: String(sampleRevision), 'date.1': '2026-12-19', 'count.1.regular': '90', 'count.1.express': '10', 'date.2': '2026-12-20', 'count.2.regular': '30' });
    expect(countsReview.statusCode).toBe(200);
    // Its h-1 is out: the new counts are corrected on both channels.
    expect(section(countsReview.body, 'review-corrections').match(/<span class="edit-kind">Ralat<\/span>/g)).toHaveLength(2);
    expect((await save(eka, countsUrl, countsReview)).statusCode).toBe(303);
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.files['calendar.yaml']).toContain('- { date: 2026-12-19, quota: { regular: 90, express: 10 } } # Saturday service');

    const closureUrl = `${BASE}/edit/closure/new`;
    await eka.get(closureUrl);
    const closureReview = await eka.post(closureUrl, { baseRevisionId: String((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id), date: '2026-12-22', from: '', to: '', reason: 'Cuti bersama Hari Ibu' });
    expect(closureReview.statusCode).toBe(200);
    expect((await save(eka, closureUrl, closureReview)).statusCode).toBe(303);
    const afterClosure = await eka.get(`${BASE}/calendar`);
    expect(afterClosure.body).toContain('<strong>Cuti bersama:</strong> Cuti bersama Hari Ibu');

    const csvUrl = `${BASE}/edit/csv`;
    await eka.get(csvUrl);
    const base = String((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id);
    const bad = await eka.post(csvUrl, { baseRevisionId: base, fileName: 'kuota-januari.csv', delimiter: ';', text: 'tanggal_buka;jam_buka;tanggal_layanan;layanan;kuota\r\n15/01/2027;10.00;23/01/2027;regular;banyak\r\n' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<textarea id="f-text"[^>]*aria-invalid="true"[^>]*>[^<]*<\/textarea>\s*<span class="edit-hint"[^>]*>[^<]*<\/span>\s*<span class="edit-problem"/);
    const csvReview = await eka.post(csvUrl, { baseRevisionId: base, fileName: 'kuota-januari.csv', delimiter: ';', text: 'tanggal_buka;jam_buka;tanggal_layanan;layanan;kuota\r\n15/01/2027;10.00;23/01/2027;regular;40\r\n' });
    expect(csvReview.statusCode).toBe(200);
    expect((await save(eka, csvUrl, csvReview)).statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(current.files['kuota-januari.csv']).toBe('tanggal_buka;jam_buka;tanggal_layanan;layanan;kuota\n15/01/2027;10.00;23/01/2027;regular;40\n');
    expect(current.files['calendar.yaml']).toMatch(/imports:\n {2}- file: kuota.csv\n {2}- file: kuota-januari.csv\n {4}delimiter: ;\n?$/);
    expect((await listAudit(db.store, { officeIds: [SAMPLE_OFFICE] })).map((entry) => entry.detail.form)).toEqual(['import-csv', 'add-closure', 'enter-counts']);
  });
});
