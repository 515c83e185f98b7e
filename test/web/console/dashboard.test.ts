/**
 * The dashboard page over HTTP (inject), with the sample office's real config
 * revision and a ledger planned and half published by the real planning and
 * ledger functions: what staff read, where its links go, who may read it, and
 * that stored text (an office name, a platform's error) stays text.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { checkRevisionFiles } from '../../../src/app/revision-files';
import { replanInto } from '../../../src/app/replan';
import { countdownText } from '../../../src/web/console/dashboard/countdown';
import type { OfficeSummary } from '../../../src/web/offices';
import { buildWebServer } from '../../../src/web/server';
import { useTestStore } from '../../support/databases';
import { addUser, Browser, OFFICES } from '../../support/web';
import { postOf } from '../../console/offices';
import { CONFIG, NOW, PLAN_AT, SAMPLE, sampleDay, sampleFiles, storeSampleRevision, WEEK } from './sample-office';

const DASHBOARD = `/admin/o/${SAMPLE}/`;

describe('console dashboard page (sqlite)', () => {
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      await addUser(store, 'ani', { [SAMPLE]: 'viewer' });
      await addUser(store, 'budi', { 'kanim-medan': 'admin' });
      await addUser(store, 'root', 'global-admin');
    },
  });
  let app: FastifyInstance;
  let offices: OfficeSummary[] = OFFICES;

  beforeEach(async () => {
    offices = OFFICES;
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => offices, settings: { secureCookies: false, trustProxy: false }, source: { configDir: CONFIG } });
  });
  afterEach(async () => {
    await app.close();
  });

  it('shows the next posts with a countdown, what went out with its live link, what needs staff with where to act, daily caps and the X cost', async () => {
    await storeSampleRevision(db.store);
    await sampleDay(db.store);
    const ani = new Browser(app);
    await ani.login('ani');
    // One office: home goes straight to its dashboard.
    const home = await ani.get('/admin/');
    expect([home.statusCode, home.headers.location]).toEqual([303, DASHBOARD]);
    const page = await ani.get(DASHBOARD);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('<h1>Dasbor Kantor Imigrasi Pontianak</h1>');
    expect(body).toContain('Waktu kantor sekarang: Jum 27 Nov 13.30 WIB (Asia/Pontianak). Kanal uji coba (driver outbox) tidak benar-benar mengunggah');

    // The opening in half an hour, on both channels, each state linking to the post's page.
    const next = section(body, 'next-posts');
    expect(next).toContain('hx-get="/admin/o/kanim-pontianak/next-posts" hx-trigger="every 60s"');
    const firstRow = rows(next)[0]!;
    expect(firstRow).toContain('<span class="countdown">dalam 30 menit</span>');
    expect(firstRow).toContain('<time datetime="2026-11-27T07:00:00.000Z">Jum 27 Nov 14.00 WIB</time>');
    expect(firstRow).toContain(`opening · ${WEEK}`);
    const openingIg = await postOf(db.store, SAMPLE, 'opening', WEEK, 'instagram');
    expect(firstRow).toContain(`Instagram (uji coba): <a href="/admin/o/kanim-pontianak/posts/${openingIg.id}">Terjadwal</a>`);
    expect(firstRow).toMatch(/X \(uji coba\): <a href="[^"]+">Terjadwal<\/a>/);
    // Then the weekly digest on Sunday, its dates as a range.
    expect(rows(next)[1]).toContain('dalam 2 hari 4 jam');
    expect(rows(next)[1]).toMatch(/weekly · rangkuman \d{4}-\d{2}-\d{2} s\.d\. \d{4}-\d{2}-\d{2}/);

    const recent = section(body, 'recent-heading');
    expect(recent).toContain('<a href="https://x.com/imigrasiptk/status/1862000000000000001" rel="noopener noreferrer">Lihat di X (uji coba)</a>');
    expect(recent).toContain('Kam 26 Nov 19.00 WIB');

    const needs = section(body, 'needs-heading');
    const dead = await postOf(db.store, SAMPLE, 'h-60m', WEEK, 'x');
    const deadTask = task(needs, 'Unggahan h-60m ke x gagal');
    expect(deadTask).toContain('<span class="badge badge-error">Penting</span>');
    expect(deadTask).toContain('<code>X refused the post (403 duplicate content)</code>');
    expect(deadTask).toContain(`<a href="/admin/o/kanim-pontianak/posts/${dead.id}">Buka unggahan ini</a>`);
    expect(task(needs, 'Unggahan h-1 ke instagram kedaluwarsa')).toContain('before the deadline Jum 27 Nov 14.00 WIB');
    expect(task(needs, 'Belum pasti apakah unggahan h-60m ke instagram')).toContain('<span class="badge badge-warning">Perhatian</span>');
    expect(task(needs, 'unggahan X bulan ini berisi tautan')).toContain('<a href="/admin/o/kanim-pontianak/preview">Buka pratinjau dan templat</a>');
    // Errors before warnings.
    expect(needs.indexOf('badge-error')).toBeLessThan(needs.indexOf('badge-warning'));
    expect(needs.lastIndexOf('badge-error')).toBeLessThan(needs.indexOf('badge-warning'));

    const usage = section(body, 'usage-heading');
    expect(usage).toContain('Batas harian per kanal');
    expect(usage).toContain('Biaya X bulan November 2026');
    expect(usage).toContain('1 unggahan (1 berisi tautan), US$0.20');
    expect(usage).toContain('2 unggahan (0 berisi tautan), US$0.03');
    expect(usage).toContain('<strong>US$0.23</strong>');
    expect(usage).toContain('Harga X: US$0.015 per unggahan, US$0.20 bila berisi tautan.');

    // The office menu: plain links, this page marked; no users page for a viewer.
    const menu = /<nav class="office-nav" aria-label="Menu kantor Kantor Imigrasi Pontianak">([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';
    expect([...menu.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual(['/admin/o/kanim-pontianak/', '/admin/o/kanim-pontianak/calendar', '/admin/o/kanim-pontianak/preview', '/admin/o/kanim-pontianak/approvals', '/admin/o/kanim-pontianak/history']);
    expect(menu).toContain('<a href="/admin/o/kanim-pontianak/" aria-current="page">Dasbor</a>');
    expect(body).not.toContain('href="/admin/users"');
  });

  it('speaks English on request, and refreshes the next posts as a fragment of the same rows', async () => {
    await storeSampleRevision(db.store);
    await sampleDay(db.store);
    const ani = new Browser(app);
    await ani.login('ani');
    const english = (await ani.get(`${DASHBOARD}?lang=en`)).body;
    expect(english).toContain('<h1>Kantor Imigrasi Pontianak dashboard</h1>');
    expect(english).toContain('<span class="countdown">in 30 minutes</span>');
    expect(english).toContain('Needs action');
    expect(english).toContain('The h-60m post to x failed');

    const fragment = await ani.get(`/admin/o/${SAMPLE}/next-posts?lang=id`);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body.trim().startsWith('<section id="next-posts"')).toBe(true);
    const page = (await ani.get(DASHBOARD)).body;
    expect(fragment.body.trim()).toBe(section(page, 'next-posts').trim());

    // Once the session has ended, the refresh sends the whole page to sign in (htmx follows HX-Redirect), not the rows.
    await ani.post('/admin/logout');
    const ended = await app.inject({ method: 'GET', url: `/admin/o/${SAMPLE}/next-posts`, headers: { 'hx-request': 'true', 'hx-current-url': `http://console.example${DASHBOARD}?lang=en`, cookie: [...ani.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect([ended.statusCode, ended.headers['hx-redirect'], ended.body]).toEqual([401, `/admin/login?next=${encodeURIComponent(`${DASHBOARD}?lang=en`)}`, '']);
    const elsewhere = await app.inject({ method: 'GET', url: `/admin/o/${SAMPLE}/next-posts`, headers: { 'hx-request': 'true', 'hx-current-url': 'https://evil.example//evil.example/x' } });
    expect(elsewhere.headers['hx-redirect']).toBe('/admin/login');
  });

  it('posts waiting for approval need staff, urgently once past their cut-off, with the way to the approvals page', async () => {
    const sample = sampleFiles();
    const files = { ...sample, 'herald.yaml': sample['herald.yaml']!.replace('settings:\n', 'settings:\n  approval: { hoursBefore: 24, rules: [opening] }\n') };
    await storeSampleRevision(db.store, files);
    const loaded = checkRevisionFiles(files, { sourceDir: CONFIG, now: PLAN_AT, officeId: SAMPLE }).loaded!;
    await replanInto(db.store, loaded.config, PLAN_AT);
    const ani = new Browser(app);
    await ani.login('ani');
    const needs = section((await ani.get(DASHBOARD)).body, 'needs-heading');
    // Today's opening on both channels (its cut-off was yesterday 14.00); next week's is more than 7 days ahead.
    const approval = task(needs, '2 unggahan menunggu persetujuan, 2 di antaranya sudah melewati batas waktu persetujuan');
    expect(approval).toContain('<span class="badge badge-error">Penting</span>');
    expect(approval).toContain('<a href="/admin/o/kanim-pontianak/approvals">Buka persetujuan</a>');
    // The first task of all: urgent, and first among the urgent ones.
    expect(needs.split('<li class="task ')[1]).toContain('menunggu persetujuan');
  });

  it('an office without a config revision, or whose current revision no longer loads, says so and what to do', async () => {
    const root = new Browser(app);
    await root.login('root');
    const missing = await root.get('/admin/o/kanim-medan/');
    expect(missing.statusCode).toBe(200);
    expect(missing.body).toContain('Kantor ini belum punya konfigurasi di basis data');
    expect(missing.body).toContain('quota-herald config import');

    const sample = sampleFiles();
    const files = { ...sample, 'calendar.yaml': sample['calendar.yaml']!.replace('weekday: friday', 'weekday: fryday') };
    // Stored as valid (an older version's check): the page must not trust that.
    const revision = await storeSampleRevision(db.store, files, []);
    const broken = await root.get(DASHBOARD);
    expect(broken.statusCode).toBe(200);
    expect(broken.body).toContain(`Konfigurasi yang berjalan untuk kantor ini (revisi ${revision}) tidak bisa dimuat.`);
    expect(broken.body).toMatch(/<code>calendar\.yaml:\d+:\d+: [^<]*fryday/);
    expect(broken.body).toContain('<a href="/admin/o/kanim-pontianak/history">Buka riwayat konfigurasi</a>');
    expect((await root.get(`/admin/o/${SAMPLE}/next-posts`)).statusCode).toBe(204);
  });

  it('a user of one office cannot read another office\'s dashboard or its rows (403), nor guess offices (403 for unknown ones too)', async () => {
    await storeSampleRevision(db.store);
    const budi = new Browser(app);
    await budi.login('budi');
    for (const url of [DASHBOARD, `/admin/o/${SAMPLE}/next-posts`, '/admin/o/kanim-nowhere/']) {
      const response = await budi.get(url);
      expect([url, response.statusCode]).toEqual([url, 403]);
      expect(response.body).not.toContain('Pontianak');
    }
    // An admin of their office sees the users page in its menu.
    expect((await budi.get('/admin/o/kanim-medan/')).body).toContain('<li><a href="/admin/users">Pengguna</a></li>');
    const ani = new Browser(app);
    await ani.login('ani');
    expect((await ani.get('/admin/o/kanim-medan/')).statusCode).toBe(403);
  });

  it('shows an office name and a platform\'s error message with markup as text', async () => {
    offices = OFFICES.map((office) => (office.id === SAMPLE ? { ...office, name: '<script>alert(1)</script>' } : office));
    await storeSampleRevision(db.store);
    await sampleDay(db.store, '<img src=x onerror=alert(2)> refused');
    const root = new Browser(app);
    await root.login('root');
    const body = (await root.get(DASHBOARD)).body;
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('<title>Dasbor &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('aria-label="Menu kantor &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(body).toContain('<code>&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt; refused</code>');
    expect((await root.get('/admin/')).body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('console dashboard countdown', () => {
  const minutes = (n: number): number => n * 60_000;
  it('says how long until a post in at most two units, rounded down, in Indonesian or English', () => {
    expect(countdownText(minutes(135), 'id')).toBe('dalam 2 jam 15 menit');
    expect(countdownText(minutes(120), 'id')).toBe('dalam 2 jam');
    expect(countdownText(minutes(45) + 59_000, 'id')).toBe('dalam 45 menit');
    expect(countdownText(minutes(3 * 1440 + 4 * 60 + 59), 'id')).toBe('dalam 3 hari 4 jam');
    expect(countdownText(minutes(1440), 'en')).toBe('in 1 day');
    expect(countdownText(minutes(61), 'en')).toBe('in 1 hour 1 minute');
    expect(countdownText(30_000, 'id')).toBe('kurang dari 1 menit lagi');
    expect(countdownText(-30_000, 'en')).toBe('due now');
    expect(countdownText(-minutes(5), 'id')).toBe('terlambat 5 menit');
  });
});

/** The <section> holding the element with `id` (its heading, or the section itself). */
function section(body: string, id: string): string {
  const start = body.lastIndexOf('<section', body.indexOf(`id="${id}"`));
  expect(start).toBeGreaterThanOrEqual(0);
  return body.slice(start, body.indexOf('</section>', start) + '</section>'.length);
}

function rows(html: string): string[] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!).filter((row) => !row.includes('scope="col"'));
}

/** One task of the list, from its <li> to the next task's. */
function task(html: string, title: string): string {
  const found = html.split('<li class="task ').slice(1).find((each) => each.includes(title));
  if (!found) throw new Error(`no task "${title}" in:\n${html}`);
  return found;
}
