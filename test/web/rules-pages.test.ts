/**
 * The recurring rule pages over HTTP (fastify.inject) on SQLite, with the
 * sample office (weekly rule, WIB) and kanim-jayapura (monthly rule, WIT, five
 * services) as real config revisions, posts planned, and the h-1 posts of
 * Friday 11 December already published. One store and one sign-in per user for
 * the file: the tests run in order on the same calendars, each starting from
 * the revision its form is opened on.
 *
 * The list in words, a weekly rule changed end to end (review with the
 * cancellation of what is published, revision by the user, the calendar after
 * the bot's re-plan), problems next to their fields, a monthly rule changed and
 * a twice-monthly one added and removed in WIT, a rule ended, two editors,
 * access per office, CSRF and a hostile note.
 */
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../src/store/audit-log';
import { getCurrentRevision, listRevisions } from '../../src/store/config-revisions';
import { listPosts } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { addUser, Browser } from '../support/web';
import { buildCalendarServer, NOW, replanCurrent, SAMPLE_OFFICE, startCalendarOffices, WIT_OFFICE } from './calendar-fixture';
import { hidden, save, section } from './edit-steps';
import { useFileStore } from './file-store';
import { checkEdit } from '../../src/console/edit';
import { replanInto } from '../../src/app/replan';
import { environment } from '../console/edit/fixtures';

const SAMPLE = `/admin/o/${SAMPLE_OFFICE}`;
const WIT = `/admin/o/${WIT_OFFICE}`;
const WIT_CALENDAR = `offices/${WIT_OFFICE}/calendar.yaml`;

/** The form's values as the browser sends them: every field of the page, with `changes` typed over them. */
function formOf(html: string, changes: Record<string, string | null> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  const form = /<form method="post" action="[^"]*" class="card edit-form">[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  for (const input of form.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    if (!name || name === '_csrf') continue;
    if (/type="checkbox"/.test(input[0]) && !/ checked/.test(input[0])) continue;
    values[name] = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
  }
  for (const select of form.matchAll(/<select id="[^"]+" name="([^"]+)"[\s\S]*?<\/select>/g)) values[select[1]!] = /<option value="([^"]*)" selected>/.exec(select[0])?.[1] ?? '';
  for (const area of form.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) values[area[1]!] = area[2]!;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete values[name];
    else values[name] = value;
  }
  return values;
}

/** The article of one opening on the calendar page. */
function opening(html: string, anchor: string): string {
  return new RegExp(`<article[^>]*id="${anchor}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
}

/** Re-plans an office's current revision at NOW, as the instance following revisions does after a save. */
async function replanOffice(store: Store, officeId: string): Promise<void> {
  const files = (await getCurrentRevision(store, officeId))!.files;
  if (officeId === SAMPLE_OFFICE) return replanCurrent(store, files, NOW);
  await replanInto(store, checkEdit(files, officeId, environment(NOW)).loaded!.config, NOW, { offices: [officeId] });
}

describe('web/console recurring rule pages (sqlite)', () => {
  const db = useFileStore();
  let app: FastifyInstance;
  const users: Record<'eka' | 'budi' | 'vina' | 'jaya', Browser> = {} as never;

  beforeAll(async () => {
    await startCalendarOffices(db.store);
    app = await buildCalendarServer(db.store);
    await addUser(db.store, 'eka', { [SAMPLE_OFFICE]: 'editor' });
    await addUser(db.store, 'budi', { [SAMPLE_OFFICE]: 'admin' });
    await addUser(db.store, 'vina', { [SAMPLE_OFFICE]: 'viewer' });
    await addUser(db.store, 'jaya', { [WIT_OFFICE]: 'editor' });
    for (const name of ['eka', 'budi', 'vina', 'jaya'] as const) {
      users[name] = new Browser(app);
      expect((await users[name].login(name)).statusCode).toBe(303);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the rules in words (rhythm, service days, counts per service, from/until, cancelled dates), linked from the calendar and the office menu', async () => {
    const { eka, vina } = users;
    const page = await eka.get(`${SAMPLE}/rules`);
    expect(page.statusCode).toBe(200);
    const rule = /<section class="card rule" aria-labelledby="rule-mingguan">[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    expect(rule).toContain('<h2 id="rule-mingguan"><code>mingguan</code></h2>');
    expect(rule).toContain('<dt>Jadwal</dt><dd class="rule-rhythm">setiap Jumat 14.00 WIB, 1 minggu ke depan</dd>');
    expect(rule).toContain('<dt>Hari layanan</dt><dd>Senin–Jumat</dd>');
    expect(rule).toContain('<li>Paspor Reguler: <strong>120</strong></li><li>Paspor Percepatan: <strong>20</strong></li>');
    expect(rule).toContain('<dt>Berlaku</dt><dd>sejak Minggu, 1 November 2026, tanpa tanggal akhir</dd>');
    expect(rule).toContain('<time datetime="2026-12-25">Jumat, 25 Desember 2026</time>: Hari Raya Natal');
    expect(rule).toContain(`<a href="${SAMPLE}/rules/mingguan">Ubah<span class="visually-hidden"> mingguan</span></a>`);
    expect(rule).toContain(`<a href="${SAMPLE}/rules/mingguan/end">Akhiri`);
    expect(rule).toContain(`<a href="${SAMPLE}/rules/mingguan/remove">Hapus`);
    // The office menu marks it; the calendar links to it, and from a weekly opening to its rule.
    expect(page.body).toContain(`<a href="${SAMPLE}/rules" aria-current="page">Pembukaan rutin</a>`);
    const calendar = await eka.get(`${SAMPLE}/calendar`);
    expect(calendar.body).toContain(`<a href="${SAMPLE}/rules">Pembukaan rutin</a></p>`);
    expect(opening(calendar.body, 'o-mingguan-2026-12-11')).toContain(`<a href="${SAMPLE}/rules/mingguan">Ubah aturan rutinnya</a>`);

    const english = await eka.get(`${SAMPLE}/rules?lang=en`);
    expect(english.body).toContain('every Friday 14:00 WIB, 1 week(s) ahead');
    expect(english.body).toContain('<dt>Service days</dt><dd>Monday–Friday</dd>');
    await eka.get(`${SAMPLE}/rules?lang=id`);

    // A viewer has neither the menu entry nor the page.
    const viewerCalendar = await vina.get(`${SAMPLE}/calendar`);
    expect(viewerCalendar.body).not.toContain(`${SAMPLE}/rules`);
    expect((await vina.get(`${SAMPLE}/rules`)).statusCode).toBe(403);
  });

  it('lists a monthly rule in WIT with its five services', async () => {
    const page = await users.jaya.get(`${WIT}/rules`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<dd class="rule-rhythm">setiap tanggal 25 09.00 WIT, 1 bulan ke depan</dd>');
    expect(page.body).toContain('<li>Paspor Reguler: <strong>40</strong></li><li>Paspor Percepatan: <strong>10</strong></li><li>Paspor Lansia: <strong>5</strong></li><li>Paspor Disabilitas: <strong>5</strong></li><li>Paspor Umroh: <strong>15</strong></li>');
    expect(page.body).toContain('<dt>Berlaku</dt><dd>sejak Rabu, 25 November 2026, tanpa tanggal akhir</dd>');
  });

  it("changes the weekly rule's weekday and counts: the review cancels what is published, Save makes a revision by the user with only those lines changed, the calendar shows it", async () => {
    const { eka } = users;
    const url = `${SAMPLE}/rules/mingguan`;
    const form = await eka.get(url);
    expect(form.statusCode).toBe(200);
    const base = Number(hidden(form.body, 'baseRevisionId'));
    const before = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(form.body).toContain('<option value="friday" selected>Jumat</option>');
    expect(form.body).toMatch(/<input id="f-serviceDay-friday" name="serviceDay.friday" type="checkbox" value="on" checked>/);

    // On Thursdays, the opening of 31 Dec (no longer a cancelled date) covers 4–8 Jan, which the New Year's replacement already gives.
    const thursdays = formOf(form.body, { weekday: 'thursday', 'count.regular': '100', 'count.express': '25' });
    const clash = await eka.post(url, thursdays);
    expect(clash.statusCode).toBe(422);
    // The clash is the replacement opening's days: above the form. The rule's own notes (its dated
    // cancellations are Fridays; 24 Dec is a closed day) beside its weekday.
    expect(clash.body).toMatch(/<div class="edit-summary has-errors" role="alert">[\s\S]*?<li>Hari layanan ini sudah mendapat kuota dari pembukaan lain untuk layanan yang sama/);
    expect(clash.body).toMatch(/<select id="f-weekday" name="weekday" aria-describedby="p-\d+[^"]*">[\s\S]*?<\/select>\s*<span class="edit-problem" id="p-\d+">Tanggal ini bukan hari pembukaan rutin tersebut/);
    expect(clash.body).toContain('<option value="thursday" selected>Kamis</option>');
    expect(clash.body).toContain('Pembukaan tanggal 2026-12-24 jatuh pada hari kantor tutup (Cuti bersama Hari Raya Natal); pembukaan tetap terjadi dan diumumkan.');

    // Ending it on 24 Dec (the replacement opening takes over) passes.
    const review = await eka.post(url, { ...thursdays, until: '2026-12-24' });
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Konsol: ubah pembukaan rutin mingguan');
    // Friday 11 Dec's h-1 is out on both channels: each gets a cancellation.
    const corrections = section(review.body, 'review-corrections');
    expect(corrections.match(/<span class="edit-kind">Pembatalan<\/span> · <code>mingguan@2026-12-11<\/code>/g)).toHaveLength(2);
    expect(section(review.body, 'review-added')).toContain('<code>mingguan@2026-12-17</code>');
    expect(section(review.body, 'review-removed')).toContain('<code>mingguan@2026-12-18</code>');
    // The dated cancellations are Fridays: said as a warning, not an error.
    expect(review.body).toContain('Tanggal ini bukan hari pembukaan rutin tersebut');
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id).toBe(base);

    const saved = await save(eka, url, review);
    expect(saved.statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(current).toMatchObject({ author: 'eka', parentId: base, message: 'Konsol: ubah pembukaan rutin mingguan' });
    const changed = diffLines(before.files['calendar.yaml']!, current.files['calendar.yaml']!);
    expect(changed).toEqual({
      removed: ['    weekly: { weekday: friday, weeksAhead: 1 }', '    quota: { regular: 120, express: 20 }'],
      added: ['    weekly: { weekday: thursday, weeksAhead: 1 }', '    quota: { regular: 100, express: 25 }', '    until: 2026-12-24'],
    });
    expect((await listAudit(db.store, { officeIds: [SAMPLE_OFFICE] }))[0]).toMatchObject({ userName: 'eka', action: 'calendar.edit', detail: { form: 'change-recurring', target: 'mingguan', revisionId: current.id } });

    await replanOffice(db.store, SAMPLE_OFFICE);
    const calendar = await eka.get(saved.headers.location as string);
    expect(calendar.body).toContain(`Perubahan disimpan sebagai revisi ${current.id} oleh eka.`);
    const thursday = opening(calendar.body, 'o-mingguan-2026-12-17');
    expect(thursday).toContain('Pembukaan kuota pukul 14.00 WIB');
    expect(thursday).toMatch(/<td>100<\/td><td>25<\/td>/);
    expect(opening(calendar.body, 'o-mingguan-2026-12-18')).toBe('');
    const rules = await eka.get(`${SAMPLE}/rules`);
    expect(rules.body).toContain('setiap Kamis 14.00 WIB, 1 minggu ke depan');
    expect(rules.body).toContain('<dt>Berlaku</dt><dd>sejak Minggu, 1 November 2026 sampai Kamis, 24 Desember 2026</dd>');
  }, 60_000);

  it('puts each problem next to its field in Indonesian, keeps every value, and saves nothing', async () => {
    const { eka } = users;
    const url = `${SAMPLE}/rules/mingguan`;
    const form = await eka.get(url);
    const revisions = (await listRevisions(db.store, { officeId: SAMPLE_OFFICE })).length;

    // Before the loader: no weekday, no service day.
    const empty = await eka.post(url, formOf(form.body, { weekday: '', 'serviceDay.monday': null, 'serviceDay.tuesday': null, 'serviceDay.wednesday': null, 'serviceDay.thursday': null, 'serviceDay.friday': null }));
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toMatch(/<select id="f-weekday" name="weekday" aria-invalid="true" aria-describedby="p-\d+">/);
    expect(empty.body).toMatch(/<span class="edit-problem" id="p-\d+">Pilih hari buka\.<\/span>/);
    expect(empty.body).toMatch(/<fieldset class="edit-group is-invalid" aria-describedby="p-\d+ f-serviceWeekdays-hint">\s*<legend>Hari layanan<\/legend>[\s\S]*?<p class="edit-problem" id="p-\d+">Pilih minimal satu hari layanan\.<\/p>/);

    // The loader's problems, each on its field, the rest kept: a negative count …
    const negative = await eka.post(url, formOf(form.body, { 'count.express': '-4', note: 'Catatan tetap ada' }));
    expect(negative.statusCode).toBe(422);
    expect(negative.body).toMatch(/<input id="f-count-express" name="count.express" type="number" value="-4"[^>]* aria-invalid="true"[^>]*>\s*<span class="edit-problem" id="p-\d+">Jumlah kuota tidak boleh negatif/);
    expect(negative.body).toContain('<a href="#f-count-express">Jumlah kuota tidak boleh negatif');
    expect(negative.body).toContain('>Catatan tetap ada</textarea>');
    expect(negative.body).not.toMatch(/<input id="f-count-regular"[^>]*aria-invalid/);
    // … and a last opening before the first.
    const swapped = await eka.post(url, formOf(form.body, { from: '2026-11-01', until: '2026-10-01' }));
    expect(swapped.statusCode).toBe(422);
    expect(swapped.body).toMatch(/<input id="f-until" name="until" type="date" value="2026-10-01" aria-invalid="true" aria-describedby="p-\d+">\s*<span class="edit-problem" id="p-\d+">Tanggal terakhir \(2026-10-01\) sebelum tanggal pertama \(2026-11-01\): tukar keduanya\.<\/span>/);
    expect((await listRevisions(db.store, { officeId: SAMPLE_OFFICE })).length).toBe(revisions);
  });

  it('changes the monthly rule in WIT (day and counts): the review lists the posts moved in WIT, saved by the user', async () => {
    const { jaya } = users;
    const url = `${WIT}/rules/bulanan`;
    const form = await jaya.get(url);
    expect(form.body).toContain('<option value="25" selected>25</option>');
    expect(form.body).toContain('Waktu kantor (WIT).');
    const before = (await getCurrentRevision(db.store, WIT_OFFICE))!;
    const review = await jaya.post(url, formOf(form.body, { monthDay: '20', 'count.umroh': '30' }));
    expect(review.statusCode).toBe(200);
    expect(section(review.body, 'review-removed')).toContain('<code>bulanan@2026-12-25</code>');
    const added = section(review.body, 'review-added');
    expect(added).toContain('<code>bulanan@2026-12-20</code>');
    // Its opening post at 09:00 WIT on the 20th, said in WIT.
    expect(added).toContain('Min 20 Des 09.00 WIT');
    expect((await save(jaya, url, review)).statusCode).toBe(303);
    const current = (await getCurrentRevision(db.store, WIT_OFFICE))!;
    expect(current).toMatchObject({ author: 'jaya', message: 'Konsol: ubah pembukaan rutin bulanan' });
    expect(diffLines(before.files[WIT_CALENDAR]!, current.files[WIT_CALENDAR]!)).toEqual({
      removed: ['    monthly: { day: 25, monthsAhead: 1 } # tanggal 25 setiap bulan', '    quota: { regular: 40, express: 10, lansia: 5, disabilitas: 5, umroh: 15 }'],
      added: ['    monthly: { day: 20, monthsAhead: 1 } # tanggal 25 setiap bulan', '    quota: { regular: 40, express: 10, lansia: 5, disabilitas: 5, umroh: 30 }'],
    });
    await replanOffice(db.store, WIT_OFFICE);
  });

  it('adds a twice-monthly rule in WIT, then ends the monthly rule and removes the new one, each reviewed and saved', async () => {
    const { jaya } = users;
    const addUrl = `${WIT}/rules/new`;
    const form = await jaya.get(addUrl);
    expect(form.statusCode).toBe(200);
    // Saturdays only: the monthly rule gives Monday to Friday.
    const weekdaysOff = { 'serviceDay.monday': null, 'serviceDay.tuesday': null, 'serviceDay.wednesday': null, 'serviceDay.thursday': null, 'serviceDay.friday': null };
    const fields = formOf(form.body, { rhythm: 'twiceMonthly', twiceDay1: '1', twiceDay2: '16', at: '08:00', ...weekdaysOff, 'serviceDay.saturday': 'on', 'count.regular': '15', 'count.lansia': '3', from: '2026-12-10', note: 'Kuota Sabtu dua kali sebulan' });
    const review = await jaya.post(addUrl, fields);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Konsol: tambah pembukaan rutin rutin-tanggal-1-16');
    // Opens on the 16th for the 1st to the 15th of the next month (the opening of 1 Jan is beyond the 35 days planned).
    const addedPosts = section(review.body, 'review-added');
    expect(addedPosts).toContain('<code>rutin-tanggal-1-16@2026-12-16</code>');
    expect(addedPosts).toContain('Rab 16 Des 08.00 WIT');
    expect((await save(jaya, addUrl, review)).statusCode).toBe(303);
    const added = (await getCurrentRevision(db.store, WIT_OFFICE))!.files[WIT_CALENDAR]!;
    expect(added).toContain('  - id: rutin-tanggal-1-16\n    twiceMonthly: { days: [1, 16] }\n    at: "08:00"\n    serviceWeekdays: [saturday]\n    quota: { regular: 15, lansia: 3 }\n    from: 2026-12-10\n    note: Kuota Sabtu dua kali sebulan\n');
    await replanOffice(db.store, WIT_OFFICE);
    const list = await jaya.get(`${WIT}/rules`);
    expect(list.body).toContain('dua kali sebulan, tanggal 1 dan 16 08.00 WIT');
    expect(list.body).toContain('<dt>Hari layanan</dt><dd>Sabtu</dd>');

    // End the monthly rule before its December opening: that opening's posts are not sent.
    const endUrl = `${WIT}/rules/bulanan/end`;
    const endForm = await jaya.get(endUrl);
    expect(endForm.body).toContain('<dd>setiap tanggal 20 09.00 WIT, 1 bulan ke depan</dd>');
    const noDate = await jaya.post(endUrl, formOf(endForm.body, { until: '' }));
    expect(noDate.statusCode).toBe(422);
    expect(noDate.body).toContain('Isi tanggal pembukaan terakhir.');
    const endReview = await jaya.post(endUrl, formOf(endForm.body, { until: '2026-11-30' }));
    expect(endReview.statusCode).toBe(200);
    expect(section(endReview.body, 'review-removed')).toContain('<code>bulanan@2026-12-20</code>');
    expect((await save(jaya, endUrl, endReview)).statusCode).toBe(303);
    expect((await getCurrentRevision(db.store, WIT_OFFICE))!.files[WIT_CALENDAR]).toContain('    from: 2026-11-25\n    until: 2026-11-30\n');
    await replanOffice(db.store, WIT_OFFICE);
    expect((await listPosts(db.store, { releaseIds: ['bulanan@2026-12-20'], states: ['planned'] })).length).toBe(0);
    const ended = await jaya.get(`${WIT}/rules`);
    expect(ended.body).toMatch(/<h2 id="rule-bulanan"><code>bulanan<\/code> <span class="rule-badge">Sudah berakhir<\/span><\/h2>/);

    // Remove the twice-monthly rule: its pending posts are listed as not going out.
    const removeUrl = `${WIT}/rules/rutin-tanggal-1-16/remove`;
    const removeForm = await jaya.get(removeUrl);
    expect(removeForm.body).toContain('<dd>rutin-tanggal-1-16</dd>');
    const removeReview = await jaya.post(removeUrl, formOf(removeForm.body));
    expect(removeReview.statusCode).toBe(200);
    expect(section(removeReview.body, 'review-removed')).toContain('<code>rutin-tanggal-1-16@2026-12-16</code>');
    expect((await save(jaya, removeUrl, removeReview)).statusCode).toBe(303);
    expect((await getCurrentRevision(db.store, WIT_OFFICE))!.files[WIT_CALENDAR]).not.toContain('rutin-tanggal-1-16');
    expect((await listAudit(db.store, { officeIds: [WIT_OFFICE] })).map((entry) => entry.detail.form)).toEqual(['remove-recurring', 'end-recurring', 'add-recurring', 'change-recurring']);
    expect((await jaya.get(removeUrl)).statusCode).toBe(404);
  }, 60_000);

  it('two editors on the same rule: the second save gets the conflict page (who, when) and starts again from the current revision with its values', async () => {
    const { eka, budi } = users;
    const url = `${SAMPLE}/rules/mingguan`;
    const ekaForm = await eka.get(url);
    const budiForm = await budi.get(url);
    const ekaReview = await eka.post(url, formOf(ekaForm.body, { note: 'Catatan dari Eka' }));
    const budiReview = await budi.post(url, formOf(budiForm.body, { note: 'Catatan dari Budi' }));
    expect([ekaReview.statusCode, budiReview.statusCode]).toEqual([200, 200]);
    expect((await save(eka, url, ekaReview)).statusCode).toBe(303);
    const ekaRevision = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;

    const conflict = await save(budi, url, budiReview);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain(`Kalender ini sudah diubah oleh eka pada Kam 10 Des 20.00 WIB (revisi ${ekaRevision.id})`);
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id).toBe(ekaRevision.id);
    const again = await budi.post(url, { _step: 'restart', draft: hidden(conflict.body, 'draft') });
    expect(again.statusCode).toBe(200);
    expect(hidden(again.body, 'baseRevisionId')).toBe(String(ekaRevision.id));
    expect(again.body).toContain('>Catatan dari Budi</textarea>');
    const review = await budi.post(url, formOf(again.body));
    expect((await save(budi, url, review)).statusCode).toBe(303);
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!).toMatchObject({ author: 'budi', parentId: ekaRevision.id });
    expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.files['calendar.yaml']).toContain('    note: Catatan dari Budi\n');
  }, 60_000);

  it("declares editor access per office on every rules route; a viewer, another office's editor and a post without the CSRF token are refused", async () => {
    const { eka, vina, jaya } = users;
    const routes = app.routeTable.filter((route) => route.url.startsWith('/admin/o/:office/rules') && route.method !== 'HEAD');
    expect(routes.map((route) => `${route.method} ${route.url}`).sort()).toEqual([
      'GET /admin/o/:office/rules',
      'GET /admin/o/:office/rules/:id',
      'GET /admin/o/:office/rules/:id/end',
      'GET /admin/o/:office/rules/:id/remove',
      'GET /admin/o/:office/rules/new',
      'POST /admin/o/:office/rules/:id',
      'POST /admin/o/:office/rules/:id/end',
      'POST /admin/o/:office/rules/:id/remove',
      'POST /admin/o/:office/rules/new',
    ]);
    for (const route of routes) expect([route.url, route.access]).toEqual([route.url, { kind: 'role', role: 'editor', officeParam: 'office' }]);

    const revisions = (await listRevisions(db.store)).length;
    const base = String((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.id);
    await vina.get(`${SAMPLE}/calendar`);
    await jaya.get(`${WIT}/rules`);
    for (const route of routes) {
      const url = route.url.replace(':office', SAMPLE_OFFICE).replace(':id', 'mingguan');
      for (const user of [vina, jaya]) {
        const response = route.method === 'GET' ? await user.get(url) : await user.post(url, { baseRevisionId: base, until: '2026-12-31' });
        expect([route.method, url, response.statusCode]).toEqual([route.method, url, 403]);
      }
    }
    // Through Jayapura's URL with Pontianak's revision as the base: refused.
    const foreign = await jaya.post(`${WIT}/rules/bulanan/end`, { baseRevisionId: base, until: '2026-12-31' });
    expect(foreign.statusCode).toBe(400);
    // Pontianak's rule is not Jayapura's.
    expect((await jaya.get(`${WIT}/rules/mingguan`)).statusCode).toBe(404);
    // No CSRF token.
    await eka.get(`${SAMPLE}/rules/mingguan/end`);
    const forged = await eka.request('POST', `${SAMPLE}/rules/mingguan/end`, { baseRevisionId: base, until: '2026-12-31', _step: 'save', draft: JSON.stringify({ until: '2026-12-31' }) });
    expect(forged.statusCode).toBe(403);
    expect((await listRevisions(db.store)).length).toBe(revisions);
  });

  it('a note with markup is text on the review page, in the form, on the rules page and on the calendar (stored XSS rendered inert)', async () => {
    const attack = `<script>alert("xss")</script><img src=x onerror=alert(1)>" onfocus="alert(2)`;
    const escaped = '&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot; onfocus&#x3D;&quot;alert(2)';
    const { eka } = users;
    const url = `${SAMPLE}/rules/mingguan`;
    const form = await eka.get(url);
    const review = await eka.post(url, formOf(form.body, { note: attack }));
    expect(review.statusCode).toBe(200);
    const back = await eka.post(url, { _step: 'edit', baseRevisionId: hidden(review.body, 'baseRevisionId'), draft: hidden(review.body, 'draft') });
    expect(back.body).toContain(`>${escaped}</textarea>`);
    expect((await save(eka, url, review)).statusCode).toBe(303);
    await replanOffice(db.store, SAMPLE_OFFICE);
    const rules = await eka.get(`${SAMPLE}/rules`);
    expect(rules.body).toContain(`<dd class="rule-note">${escaped}</dd>`);
    const calendar = await eka.get(`${SAMPLE}/calendar`);
    expect(calendar.body).toContain(`<dd class="cal-note">${escaped}</dd>`);
    for (const page of [review.body, back.body, rules.body, calendar.body]) {
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<img src=x');
      expect(page).not.toContain('" onfocus="alert');
    }
  }, 60_000);
});

/** Lines only in `a` (removed) and only in `b` (added). */
function diffLines(a: string, b: string): { removed: string[]; added: string[] } {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  return { removed: la.filter((line) => !lb.includes(line)), added: lb.filter((line) => !la.includes(line)) };
}
