/**
 * The public pages over HTTP (fastify.inject), on SQLite and PostgreSQL, with
 * the sample office's week of published posts (public-office.ts): the index
 * and its search, the office page, the archive (newest first, by date, with
 * the correction linked both ways), the entry pages, verification, card
 * images, the widget's framing, the Indonesian error pages; hostile text
 * inert everywhere; nothing unpublished ever shown.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { formatVerifyCode } from '../../../src/render/verify-code';
import { DIALECTS, useTestStore } from '../../support/databases';
import { publishPosts } from '../../support/public-fixture';
import { buildPost } from '../../store/post-builder';
import { ARCHIVE_PAGE_SIZE } from '../../../src/web/public/archive-pages';
import { ADDRESS, buildPublicServer, HOSTILE_NOTE, OFFICE, OFFICE_NAME, recordRevision, seedPublicOffice, SERVED, writePublicOffice, type PublicOffice, type PublicSeed } from './public-office';

const PAGE = `/o/${OFFICE}/`;
const ARCHIVE = `/o/${OFFICE}/archive`;
const entry = (code: string): string => `/o/${OFFICE}/archive/${code}`;

/** Every `<h3>` announcement block's code on an archive page, in page order. */
function listedCodes(html: string): string[] {
  return [...html.matchAll(/<article class="announcement kind-\w+" id="([0-9A-Z]{8})"/g)].map((match) => match[1]!);
}

function expectPublicPage(response: LightMyRequestResponse, status = 200): string {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(response.headers['set-cookie']).toBeUndefined();
  expect(response.body).toContain('<html lang="id">');
  // No script on a public page: hostile text never becomes one, and none is needed.
  expect(response.body).not.toMatch(/<script/i);
  return response.body;
}

describe.each(DIALECTS)('web/public pages (%s)', (dialect) => {
  let office: PublicOffice;
  beforeAll(() => {
    office = writePublicOffice();
  });
  afterAll(() => office.cleanup());
  const ctx = useTestStore<PublicSeed>(dialect, { seed: (store) => seedPublicOffice(store, office) });
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildPublicServer(ctx.store, office);
  });
  afterEach(async () => {
    await app.close();
  });
  const get = (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers });

  it('/ is the office page when there is one office; with several, the index searches name and city, accents and case aside', async () => {
    const one = await get('/');
    expect([one.statusCode, one.headers.location]).toEqual([302, PAGE]);
    await app.close();
    app = await buildPublicServer(ctx.store, office, { offices: () => [...SERVED, { id: 'kanim-medan', name: 'Kantor Imigrasi Kelas I Khusus TPI Medan', timezone: 'Asia/Jakarta', locale: 'id-ID' }] });
    const index = expectPublicPage(await get('/'));
    expect(index).toContain('<h2 id="daftar">Semua kantor (2)</h2>');
    expect(index).toContain(`<h3><a href="${PAGE}">${OFFICE_NAME}</a></h3>`);
    // The opening still open (Wednesday's one-off: open until its service day has passed) and the next one.
    expect(index).toContain('<p class="state-dibuka"><span class="badge">Dibuka</span> <time datetime="2026-12-02T03:00:00.000Z">Rabu, 2 Desember 2026 pukul 10.00 WIB</time> — 40 kuota</p>');
    expect(index).toContain('<p class="state-akan-dibuka"><span class="badge">Akan dibuka</span> <time datetime="2026-12-04T07:00:00.000Z">Jumat, 4 Desember 2026 pukul 14.00 WIB</time> — 600 kuota</p>');
    // Medan has no config revision in this database: listed, its schedule said to be unavailable.
    expect(index).toContain('<h3><a href="/o/kanim-medan/">Kantor Imigrasi Kelas I Khusus TPI Medan</a></h3>');
    expect(index).toContain('Jadwal kantor ini sedang tidak dapat ditampilkan.');
    const searched = expectPublicPage(await get('/?q=PONTI%C3%81NAK'));
    expect(searched).toContain('1 kantor cocok dengan “PONTIÁNAK”');
    expect(searched).toContain(`href="${PAGE}"`);
    expect(searched).not.toContain('/o/kanim-medan/');
    expect(expectPublicPage(await get('/?q=medan+khusus'))).toContain('href="/o/kanim-medan/"');
    const none = expectPublicPage(await get('/?q=%3Cscript%3Ejayapura'));
    expect(none).toContain('0 kantor cocok dengan “&lt;script&gt;jayapura”');
    expect(none).toContain('Tidak ada kantor yang cocok.');
  });

  it('the office page: openings with their state, days and counts in a table, how to book, GRATIS, the cek box, feeds and widget; hostile text inert', async () => {
    const response = await get(PAGE);
    const page = expectPublicPage(response);
    // A CDN may keep it 30 s, and serve it 30 s more while it asks again (the next opening is an hour away:
    // nearer one, both are shortened so no copy outlives it, web/public-cache.ts).
    expect(response.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=30');
    expect(page).toContain('<p class="free" role="note"><strong>GRATIS</strong> — pendaftaran antrean tidak dipungut biaya. Waspada calo.</p>');
    expect(page).toContain(`<link rel="alternate" type="application/atom+xml" title="Pengumuman ${OFFICE_NAME} (Atom)" href="/o/${OFFICE}/feed.atom">`);
    // The weekly opening at 14.00, after the correction: 100 regular a day.
    expect(page).toContain('<h3 id="pembukaan-mingguan@2026-12-04-h"><time datetime="2026-12-04T07:00:00.000Z">Jumat, 4 Desember 2026 pukul 14.00 WIB</time></h3>');
    expect(page).toContain('<p class="state"><span class="badge">Akan dibuka</span></p>');
    expect(page).toContain('Untuk layanan: Senin, 7 Desember 2026 – Jumat, 11 Desember 2026 (5 hari layanan). Jumlah: 600 kuota.');
    expect(page).toContain('<thead><tr><th scope="col">Hari</th><th scope="col">Reguler</th><th scope="col">Percepatan</th><th scope="col">Total</th></tr></thead>');
    expect(page).toContain('<tr><th scope="row"><time datetime="2026-12-07">Sen, 7 Des</time></th><td>100</td><td>20</td><td>120</td></tr>');
    expect(page).toContain('<tfoot><tr><th scope="row">Total</th><td>500</td><td>100</td><td>600</td></tr></tfoot>');
    expect(page).toContain('<caption id="pembukaan-mingguan@2026-12-04-c">Kuota per hari layanan</caption>');
    // Open now (until their last service day), apart from what is to come.
    const open = page.slice(page.indexOf('<h2 id="dibuka">Sedang dibuka</h2>'), page.indexOf('<h2 id="berikutnya">'));
    expect(open).toContain('<h3 id="pembukaan-mingguan@2026-11-27-h">');
    expect(open).not.toContain('pembukaan-mingguan@2026-12-04');
    // Christmas: the weekly opening is cancelled, with its reason.
    expect(page).toContain('<p class="cancel"><strong>Pembukaan ini dibatalkan.</strong> Alasan: Hari Raya Natal; tidak ada layanan paspor 28 Desember 2026–1 Januari 2027</p>');
    // How to book: links only where they are web addresses; staff text escaped.
    expect(page).toContain('<dt>Pendaftaran</dt><dd>melalui aplikasi M-Paspor, saat kuota dibuka</dd>');
    expect(page).toContain('<a href="https://pontianak.imigrasi.go.id/" rel="noopener">pontianak.imigrasi.go.id</a>');
    expect(page).toContain('<a href="tel:0561734081">(0561) 734081</a>');
    expect(page).toContain(`<dd>${ADDRESS.replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;')}</dd>`);
    // Past openings: the cancelled one of 20 November among them, with its reason.
    const past = page.slice(page.indexOf('<h2 id="sebelumnya">Pembukaan sebelumnya (30 hari terakhir)</h2>'));
    expect(past).toContain('<li class="state-dibatalkan"><time datetime="2026-11-20T02:00:00.000Z">Jumat, 20 November 2026 pukul 09.00 WIB</time> <span class="badge">Dibatalkan</span> — 80 kuota, untuk Sabtu, 28 November 2026. Alasan pembatalan: Dipindahkan ke Sabtu, 19 Desember 2026</li>');
    // The hostile opening (Wednesday, still open): its note as text.
    expect(page).toContain('<p class="note">&lt;script&gt;alert(&quot;catatan&quot;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;</p>');
    expect(page).not.toContain(HOSTILE_NOTE);
    // The cek box, the archive, the feeds with the slow-phone-calendar warning, the embed codes.
    expect(page).toContain('<form class="verify" method="get" action="/v">');
    expect(page).toContain(`<a href="/o/${OFFICE}/calendar.ics">Kalender (ICS)</a> — tambahkan ke kalender ponsel. Kalender ponsel memperbarui diri pelan-pelan (beberapa jam, bisa sampai sehari): pada jam pembukaan, lihat halaman ini.`);
    expect(page).toContain(`<a href="/o/${OFFICE}/archive">Arsip semua pengumuman</a>`);
    expect(page).toContain(`<code>&lt;iframe src&#x3D;&quot;http://localhost:80/o/${OFFICE}/widget&quot; title&#x3D;&quot;Jadwal kuota Imigrasi Pontianak&quot; width&#x3D;&quot;320&quot; height&#x3D;&quot;260&quot; style&#x3D;&quot;border:0&quot; loading&#x3D;&quot;lazy&quot;&gt;&lt;/iframe&gt;</code>`);
    expect(page).toContain(`<code>&lt;script src&#x3D;&quot;http://localhost:80/o/${OFFICE}/widget.js&quot; async&gt;&lt;/script&gt;</code>`);
    // Not framable: only the widget is.
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    // The stylesheet: a hashed URL, cached for a year.
    const css = /<link rel="stylesheet" href="(\/assets\/public\.[0-9a-f]{12}\.css)">/.exec(page)?.[1];
    const sheet = await get(css!);
    expect([sheet.statusCode, sheet.headers['content-type'], sheet.headers['cache-control']]).toEqual([200, 'text/css; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await get(`/o/${OFFICE}`)).headers.location).toBe(PAGE);
    // The console's language switch is not for public pages (cached by CDNs: no cookie).
    expect(expectPublicPage(await get(`${PAGE}?lang=en`))).toContain('Pembukaan kuota berikutnya');
  });

  it('the archive: every published announcement newest first, with kind, time, exact text, cards and live links; the correction linked both ways; nothing unpublished', async () => {
    const { hostileH1, dryRunH60m, weeklyH1, correction, readyH60m } = ctx.seeded;
    const response = await get(ARCHIVE);
    const archive = expectPublicPage(response);
    expect(archive).toContain('<strong>Pengumuman yang tidak tercantum di sini bukan dari kantor ini.</strong>');
    const codes = listedCodes(archive);
    expect(codes[0]).toBe(correction);
    expect(codes[1]).toBe(weeklyH1);
    expect(codes).toContain(hostileH1);
    expect(codes[codes.length - 1]).toBe(hostileH1);
    // The outbox's post (a dry run) and the post only rendered never reached the public.
    expect(codes).not.toContain(dryRunH60m);
    expect(codes).not.toContain(readyH60m);
    expect(archive).not.toContain(formatVerifyCode(readyH60m));

    const block = (code: string): string => archive.slice(archive.indexOf(`id="${code}"`), archive.indexOf('</article>', archive.indexOf(`id="${code}"`)));
    const corrected = block(correction);
    expect(corrected).toContain('<span class="badge">Koreksi</span>');
    expect(corrected).toContain(`Mengoreksi: <a href="${entry(weeklyH1)}">pengumuman ${formatVerifyCode(weeklyH1)}</a>.`);
    expect(corrected).toContain('<strong>Yang berubah:</strong>');
    expect(corrected).toMatch(/<li>[^<]*Reguler[^<]*: <del>120<\/del> → <ins>100<\/ins><\/li>/);
    const original = block(weeklyH1);
    expect(original).toContain('<span class="badge">Pengumuman</span> <time datetime="2026-12-03T12:00:');
    expect(original).toContain('Kamis, 3 Desember 2026 pukul 19.00 WIB');
    expect(original).toContain(`<strong>Sudah dikoreksi</strong> oleh <a href="${entry(correction)}">pengumuman ${formatVerifyCode(correction)}</a>`);
    expect(original).toContain(`Kode cek: <a href="${entry(weeklyH1)}"><strong>${formatVerifyCode(weeklyH1)}</strong></a>`);
    // Both channels' text, each with its live post; the card with its alt text, sizes and the phone width.
    expect(original).toMatch(/<p class="channel-head"><strong>Instagram<\/strong> · <a href="https:\/\/www\.instagram\.com\/p\/DKq\d+Xyz\/" rel="noopener noreferrer">lihat unggahan asli<\/a><\/p>/);
    expect(original).toMatch(/<p class="channel-head"><strong>X \(Twitter\)<\/strong> · <a href="https:\/\/x\.com\/imigrasiptk\/status\/\d+" rel="noopener noreferrer">/);
    expect(original).toMatch(/<p class="post-text">[^<]*\n[^<]*<\/p>/);
    const img = /<img src="([^"]+)" srcset="([^"]+)" sizes="\(max-width: 600px\) 100vw, 540px" width="(\d+)" height="(\d+)" alt="([^"]+)" loading="lazy">/.exec(original);
    expect(img).not.toBeNull();
    expect(img![1]).toBe(`${entry(weeklyH1)}/card-1.jpg`);
    expect(img![2]).toBe(`${entry(weeklyH1)}/card-1.jpg?w&#x3D;540 540w, ${entry(weeklyH1)}/card-1.jpg ${img![3]}w`);
    // The card as published before the correction: the alt text says what it showed.
    expect(img![5]).toContain(`Kartu pengumuman ${OFFICE_NAME}`);
    expect(img![5]).toContain('Paspor Reguler 120');
    // Hostile calendar text reached the captions: shown as text.
    expect(block(hostileH1)).toContain('&lt;script&gt;alert(&quot;catatan&quot;)&lt;/script&gt;');
  });

  it('the archive by date (the office day), a range, a broken date (400) and the page cursor', async () => {
    const { hostileH1, weeklyH1, correction } = ctx.seeded;
    expect(listedCodes(expectPublicPage(await get(`${ARCHIVE}?tanggal=2026-12-01`)))).toEqual([hostileH1]);
    const range = expectPublicPage(await get(`${ARCHIVE}?dari=2026-12-03&sampai=2026-12-04`));
    expect(listedCodes(range)).toEqual([correction, weeklyH1]);
    expect(range).toContain('<input id="dari" name="dari" type="date" value="2026-12-03">');
    expect(range).toContain(`<a href="${ARCHIVE}">Tampilkan semua tanggal</a>`);
    expect(expectPublicPage(await get(`${ARCHIVE}?tanggal=2026-11-01`))).toContain('Tidak ada pengumuman pada tanggal itu');
    const broken = expectPublicPage(await get(`${ARCHIVE}?dari=1%2F12%2F2026`), 400);
    expect(broken).toContain('<p class="problem" id="masalah" role="alert">Tanggal awal &quot;1/12/2026&quot; tidak dikenali: tulis seperti 2026-12-11 (tahun-bulan-tanggal).</p>');
    expect(broken).toContain('aria-describedby="masalah"');
    // Older than the weekly h-1: the hostile opening's posts only.
    const firstPage = expectPublicPage(await get(ARCHIVE));
    const weeklyAt = /id="[0-9A-Z]{8}-h"><span class="badge">Pengumuman<\/span> <time datetime="([^"]+)">Kamis, 3 Desember/.exec(firstPage)![1]!;
    const older = expectPublicPage(await get(`${ARCHIVE}?sebelum=${encodeURIComponent(weeklyAt)}`));
    expect(listedCodes(older)).not.toContain(weeklyH1);
    expect(listedCodes(older)).toContain(hostileH1);
    expect(older).toContain(`<a href="${ARCHIVE}">Kembali ke pengumuman terbaru</a>`);
  });

  it('pages through a long archive: 20 a page, the next page from where the last ended, every announcement once', async () => {
    // Three weeks of November, one announcement a day, published before the seeded week.
    const extra = Array.from({ length: 21 }, (_, i) =>
      buildPost({ n: 100 + i, id: `nov-${i}`, channelId: 'instagram', ruleId: 'h-1', subject: `nov-${i}`, releaseId: `nov-${i}`, fingerprint: `fp-nov-${i}`, dueAt: new Date(Date.UTC(2026, 10, 1 + i, 12)), deadline: new Date(Date.UTC(2026, 10, 1 + i, 13)) }),
    );
    await publishPosts(ctx.store, extra);
    const seen: string[] = [];
    let url: string | null = ARCHIVE;
    let pages = 0;
    while (url) {
      const html = expectPublicPage(await get(url));
      const codes = listedCodes(html);
      expect(codes.length).toBeLessThanOrEqual(ARCHIVE_PAGE_SIZE);
      seen.push(...codes);
      pages += 1;
      url = /<a href="([^"]+)" rel="next">Pengumuman yang lebih lama<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') ?? null;
    }
    expect(pages).toBe(2);
    // The seeded week's four announcements and the 21 of November, newest first, none twice.
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen.slice(0, 2)).toEqual([ctx.seeded.correction, ctx.seeded.weeklyH1]);
  });

  it('an entry page shows one announcement with its code; a typed code redirects to it; unknown, unpublished and dry-run codes are not found', async () => {
    const { weeklyH1, correction, readyH60m, dryRunH60m } = ctx.seeded;
    const page = expectPublicPage(await get(entry(correction)));
    expect(page).toContain(`<h1>Pengumuman <span class="nowrap">${formatVerifyCode(correction)}</span></h1>`);
    expect(page).toContain(`<title>Pengumuman ${formatVerifyCode(correction)} · ${OFFICE_NAME}</title>`);
    expect(page).toContain(`<strong>Ini pengumuman asli ${OFFICE_NAME}</strong>, dengan kode cek <strong>${formatVerifyCode(correction)}</strong>.`);
    expect(page).toContain(`<h2 id="${correction}-h"><span class="badge">Koreksi</span>`);
    // What it corrects, found on the entry page too.
    expect(page).toContain(`Mengoreksi: <a href="${entry(weeklyH1)}">`);
    const typed = await get(entry(formatVerifyCode(weeklyH1).toLowerCase()));
    expect([typed.statusCode, typed.headers.location]).toEqual([301, entry(weeklyH1)]);
    for (const code of [readyH60m, dryRunH60m]) {
      const missing = expectPublicPage(await get(entry(code)), 404);
      expect(missing).toContain(`<strong>Kode ${formatVerifyCode(code)} tidak ditemukan:</strong> tidak ada pengumuman dengan kode ini. Gambar dengan kode ini bukan dari kantor mana pun di sini.`);
    }
    expectPublicPage(await get(entry('K7M2')), 404);
  });

  it('verification: /v/CODE and the cek box lead to the entry; a code of nothing is 404 in plain words; a typo shows the box again (400)', async () => {
    const { weeklyH1, readyH60m } = ctx.seeded;
    const qr = await get(`/v/${weeklyH1}`);
    expect([qr.statusCode, qr.headers.location]).toEqual([302, entry(weeklyH1)]);
    const label = formatVerifyCode(weeklyH1).toLowerCase().replace('-', ' ');
    const typed = await get(`/v?kode=${encodeURIComponent(` ${label} `)}`);
    expect([typed.statusCode, typed.headers.location]).toEqual([302, entry(weeklyH1)]);
    const form = expectPublicPage(await get('/v'));
    expect(form).toContain('<h1>Cek keaslian pengumuman</h1>');
    expect(form).toContain('<label for="kode">Kode cek pada gambar (8 huruf/angka, contoh K7M2-Q9XD)</label>');

    const missing = expectPublicPage(await get(`/v/${readyH60m}`), 404);
    expect(missing).toContain(`<strong>Kode ${formatVerifyCode(readyH60m)} tidak ditemukan:</strong> tidak ada pengumuman dengan kode ini. Gambar dengan kode ini bukan dari kantor mana pun di sini.`);
    expect(missing).toContain('jangan percaya gambar itu dan jangan membayar siapa pun: pendaftaran antrean gratis.');
    const typo = expectPublicPage(await get('/v?kode=%3Cb%3EK7M2-Q9'), 400);
    expect(typo).toContain('aria-invalid="true" aria-describedby="kode-masalah"');
    expect(typo).toContain('<p class="problem" id="kode-masalah">“&lt;b&gt;K7M2-Q9” bukan kode cek: kode terdiri dari 8 huruf dan angka');
    expect(typo).toContain('value="&lt;b&gt;K7M2-Q9"');
  });

  it('two offices sharing a code: the check lists both with their names', async () => {
    // The same code published by a second office (a collision: 40 bits make it rare, never impossible); Batam has no config revision here.
    const { weeklyH1 } = ctx.seeded;
    const row = await ctx.store.db.selectFrom('posts').selectAll().where('state', '=', 'published').where('verify_code', '=', weeklyH1).where('channel_id', '=', 'x').executeTakeFirstOrThrow();
    await ctx.store.db.insertInto('posts').values({ ...row, id: `${row.id}-batam`, office_id: 'kanim-batam', remote_id: 'remote-batam' }).execute();
    await app.close();
    app = await buildPublicServer(ctx.store, office, { offices: () => [...SERVED, { id: 'kanim-batam', name: 'Kantor Imigrasi Batam', timezone: 'Asia/Jakarta', locale: 'id-ID' }] });
    const both = expectPublicPage(await get(`/v/${weeklyH1}`));
    expect(both).toContain(`<a href="${entry(weeklyH1)}">${OFFICE_NAME}</a>`);
    expect(both).toContain(`<a href="/o/kanim-batam/archive/${weeklyH1}">Kantor Imigrasi Batam</a>`);
  });

  it('card images: the published bytes with their sha256 as ETag, immutable; ?w=540 resized; nothing for unpublished codes or other widths', async () => {
    const { weeklyH1, readyH60m } = ctx.seeded;
    const full = await get(`${entry(weeklyH1)}/card-1.jpg`);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(full.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(full.headers.etag).toBe(`"${crypto.createHash('sha256').update(full.rawPayload).digest('hex')}"`);
    const width = (await sharp(full.rawPayload).metadata()).width!;
    expect(width).toBeGreaterThan(540);
    expect((await get(`${entry(weeklyH1)}/card-1.jpg`, { 'if-none-match': full.headers.etag as string })).statusCode).toBe(304);
    const small = await get(`${entry(weeklyH1)}/card-1.jpg?w=540`);
    expect([small.statusCode, small.headers['content-type']]).toEqual([200, 'image/jpeg']);
    expect((await sharp(small.rawPayload).metadata()).width).toBe(540);
    expect(small.rawPayload.length).toBeLessThan(full.rawPayload.length);
    expect(small.headers.etag).toBe(`"${crypto.createHash('sha256').update(small.rawPayload).digest('hex')}"`);
    expect((await get(`${entry(weeklyH1)}/card-1.jpg?w=541`)).statusCode).toBe(404);
    expect((await get(`${entry(weeklyH1)}/card-9.jpg`)).statusCode).toBe(404);
    expect((await get(`${entry(readyH60m)}/card-1.jpg`)).statusCode).toBe(404);
    expect((await get(`/o/kanim-medan/archive/${weeklyH1}/card-1.jpg`)).statusCode).toBe(404);
  });

  it('the widget: the opening open now and the next, framable by any site (this route only), loading nothing; widget.js inserts it from other sites', async () => {
    const response = await get(`/o/${OFFICE}/widget`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-frame-options']).toBeUndefined();
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain('frame-ancestors *');
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("default-src 'none'");
    expect(response.body).toContain('<p class="t"><span class="b">Dibuka</span> <time datetime="2026-12-02T03:00:00.000Z">Rabu, 2 Desember 2026 pukul 10.00 WIB</time></p>');
    expect(response.body).toContain('<p class="t"><span class="b">Akan dibuka</span> <time datetime="2026-12-04T07:00:00.000Z">Jumat, 4 Desember 2026 pukul 14.00 WIB</time></p>');
    expect(response.body).toContain('<p>Senin, 7 Desember 2026 – Jumat, 11 Desember 2026 (5 hari layanan): Reguler 500 · Percepatan 100</p>');
    expect(response.body).toContain(`<a href="${PAGE}" target="_blank" rel="noopener">Jadwal lengkap</a>`);
    expect(response.body).not.toMatch(/<script|<link|src=/);
    expect(Buffer.byteLength(response.body)).toBeLessThan(2_500);
    const script = await get(`/o/${OFFICE}/widget.js`);
    expect([script.statusCode, script.headers['content-type'], script.headers['cross-origin-resource-policy']]).toEqual([200, 'text/javascript; charset=utf-8', 'cross-origin']);
    expect(script.body).toContain("f.src=s.src.replace(/\\.js(\\?.*)?$/,'')");
  });

  it('a demo office (every channel the outbox) shows its dry-run posts, saying so', async () => {
    await recordRevision(ctx.store, office.demoDir, new Date('2026-12-04T05:00:00Z'));
    expect(expectPublicPage(await get(PAGE))).toContain('Mode uji coba: pengumuman kantor ini belum diunggah ke media sosial.');
    expect(listedCodes(expectPublicPage(await get(ARCHIVE)))).toContain(ctx.seeded.dryRunH60m);
    expect((await get(`/v/${ctx.seeded.dryRunH60m}`)).headers.location).toBe(entry(ctx.seeded.dryRunH60m));
    expect((await get(`/v/${ctx.seeded.readyH60m}`)).statusCode).toBe(404);
  });

  it('errors outside the console and the API are Indonesian pages; the API keeps JSON, the console its pages', async () => {
    const nowhere = expectPublicPage(await get('/tidak-ada'), 404);
    expect(nowhere).toContain('<h1>Halaman tidak ditemukan</h1>');
    expect(expectPublicPage(await get('/o/kanim-nowhere/'), 404)).toContain('Halaman ini tidak ada.');
    expect(expectPublicPage(await get('/o/kanim-nowhere/archive'), 404)).toContain('Halaman ini tidak ada.');
    expect((await get('/o/kanim-nowhere/widget')).statusCode).toBe(404);
    const api = await get('/api/v1/nothing');
    // The API's own JSON errors (web/feeds/api-errors.ts).
    expect([api.statusCode, api.json()]).toEqual([404, { error: 'not-found', message: expect.stringContaining('/api/v1/openapi.json') }]);
    expect((await get('/admin/nothing')).body).toContain('/admin/assets/console.css');
    // The database gone: a 500 in Indonesian, not kept by caches.
    const broken = await ctx.open();
    const server = await buildPublicServer(broken, office);
    await broken.close();
    try {
      const failed = await server.inject({ method: 'GET', url: ARCHIVE });
      expect(failed.statusCode).toBe(500);
      expect(failed.headers['cache-control']).toBe('no-store');
      expect(failed.body).toContain('Maaf, halaman ini sedang tidak dapat ditampilkan.');
    } finally {
      await server.close();
    }
  });

  it('every public route is declared public and answers without a session', async () => {
    const routes = app.routeTable.filter((route) => route.method === 'GET' && (route.url === '/' || route.url.startsWith('/o/') || route.url.startsWith('/v') || route.url.startsWith('/assets/')));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) expect([route.url, route.access.kind]).toEqual([route.url, 'public']);
  });
});
