/**
 * The preview, the caption template editor and the history in a real
 * Chromium (one launch), on the sample office: sign in, the posts as
 * Instagram and X show them (the carousel's arrows work without script),
 * a caption edited with its live preview (htmx), a revision reverted. axe
 * finds no serious or critical problem on a desktop or a 390 px phone, and
 * the CSP blocks nothing. Screenshots go to docs/console/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { getCurrentRevision } from '../../../src/store/config-revisions';
import { REPO_ROOT } from '../../support/cli';
import { expectAccessible, launchBrowser, openPage, screenshot } from '../../support/browser';
import { useTestStore } from '../../support/databases';
import { addUser, PASSWORD } from '../../support/web';
import { buildServer, officeFiles, recordRevision, tempDir } from './two-offices';

const SAMPLE = path.join(REPO_ROOT, 'config');
/** Wednesday 2 December 2026, 10.00 WIB. */
const NOW = new Date('2026-12-02T03:00:00Z');
const OFFICE = { id: 'kanim-pontianak', name: 'Kantor Imigrasi Kelas I TPI Pontianak', timezone: 'Asia/Pontianak', locale: 'id-ID' };

describe('web/console preview and history in Chromium', () => {
  const db = useTestStore('sqlite');
  let browser: Browser;
  let app: FastifyInstance;
  let scratch: string;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await app?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('previews the posts, edits a caption with its live preview, reverts a revision', async () => {
    scratch = tempDir('herald-web-browser-');
    const files = officeFiles(SAMPLE, OFFICE.id, NOW);
    const first = await recordRevision(db.store, SAMPLE, OFFICE.id, files, { author: 'files', message: 'Konfigurasi awal' }, NOW);
    const lowered = { ...files, 'calendar.yaml': files['calendar.yaml']!.replace('quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }') };
    const second = await recordRevision(db.store, SAMPLE, OFFICE.id, lowered, { author: 'budi', message: 'Kuota reguler dikurangi jadi 90' }, new Date(NOW.getTime() + 60_000));
    await addUser(db.store, 'ani', { [OFFICE.id]: 'editor' });
    app = await buildServer(db.store, SAMPLE, scratch, { offices: [OFFICE], now: NOW });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { page, cspErrors } = await openPage(browser, { width: 1200, height: 900 });

    // Sign in on the way to the preview.
    await page.goto(`${base}/admin/o/${OFFICE.id}/preview`);
    await page.getByLabel('Nama pengguna').fill('ani');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/admin/o/${OFFICE.id}/preview`);

    // Thursday to Sunday: the h-1, opening, h-60m and weekly posts, on both networks.
    await page.getByLabel('Dari tanggal').fill('2026-12-03');
    await page.getByLabel('Sampai tanggal').fill('2026-12-06');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.waitForURL(/from=2026-12-03&to=2026-12-06$/);
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/^8 unggahan dari Kamis, 3 Desember 2026 sampai Minggu, 6 Desember 2026; 0 tidak akan terkirim\.$/);
    await expect(page.getByText(/Panjang caption: \d+\/280 \(dihitung seperti X/).count()).resolves.toBe(4);
    await loadEveryImage(page);
    expect(await page.evaluate<number>("[...document.images].filter((img) => img.naturalWidth === 1080).length")).toBeGreaterThanOrEqual(8);

    await expectAccessible(page);
    await screenshot(page, 'preview');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page);
    await screenshot(page, 'preview-phone');
    await page.setViewportSize({ width: 1200, height: 900 });
    // The weekly schedule is a two-card carousel on Instagram: "Berikutnya" scrolls to card 2, no script needed.
    // (After the screenshots: a full-page screenshot resizes the page, which moves a scrolled carousel.)
    const carousel = page.locator('.slides').filter({ has: page.locator('.slide-nav') }).first();
    await carousel.getByRole('link', { name: /Berikutnya/ }).click();
    await waitInPage(page, "[...document.querySelectorAll('.slides')].some((ol) => ol.scrollLeft > 100 && ol.scrollLeft >= ol.scrollWidth - ol.clientWidth - 1)");

    // The X caption of the h-1 post, edited: its result follows the typing (htmx), errors with line and column.
    await page.locator(`a[href="/admin/o/${OFFICE.id}/templates/h-1/x"]`).first().click();
    await page.waitForURL(`${base}/admin/o/${OFFICE.id}/templates/h-1/x`);
    await expect(page.getByText('Template kantor ini tidak tersimpan di revisi konfigurasi', { exact: false }).count()).resolves.toBe(1);
    const source = page.getByLabel('Isi template');
    await source.fill('Besok kuota {{office.shortName}} dibuka pukul {{time release.opensAt}}.\n');
    await page.locator('#template-result').getByText('Besok kuota Imigrasi Pontianak dibuka pukul 14.00 WIB.').waitFor();
    await expect(page.locator('#template-result').textContent()).resolves.toMatch(/Panjang caption: 54\/280/);
    await source.fill('Besok kuota\n{{#if release.note}}{{release.note}}{{/each}}\n');
    await page.locator('#template-result').getByText('Baris 2, kolom 4:').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'template-editor');

    // History: revert revision 1; the new revision is by ani and current.
    await page.goto(`${base}/admin/o/${OFFICE.id}/history`);
    await expectAccessible(page);
    await page.getByRole('button', { name: `Kembalikan ke revisi ${first}` }).click();
    await page.waitForURL(/status=current/);
    const current = (await getCurrentRevision(db.store, OFFICE.id))!;
    expect(current).toMatchObject({ parentId: second, author: 'ani' });
    await expect(page.getByRole('status').first().textContent()).resolves.toContain(`Revisi ${current.id} dibuat dengan isi revisi ${first} dan berlaku sekarang.`);
    await expectAccessible(page);
    await screenshot(page, 'history');
    expect(cspErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

/** Lazy images below the fold or in a carousel load only when seen: load all, for the checks and the full-page screenshot. */
async function loadEveryImage(page: import('playwright-core').Page): Promise<void> {
  await page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach((img) => { img.loading = 'eager'; })");
  await waitInPage(page, '[...document.images].every((img) => img.complete && img.naturalWidth > 0)');
}

/**
 * Polls `expression` until it is true (page.waitForFunction evaluates its
 * string with eval inside the page, which the console's CSP forbids; evaluate
 * goes through the DevTools protocol). Bounded by the test's timeout.
 */
async function waitInPage(page: import('playwright-core').Page, expression: string): Promise<void> {
  while (!(await page.evaluate<boolean>(expression))) await new Promise((resolve) => setTimeout(resolve, 50));
}
