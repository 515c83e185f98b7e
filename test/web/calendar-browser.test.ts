/**
 * The calendar and its edit forms in a real Chromium (one launch for the
 * file): an editor adds an opening through the form, reviews it, saves it and
 * finds it on the calendar; then, with the keyboard alone, cancels a published
 * opening and sees the cancellation posts it gets. axe-core on every page
 * (also with a problem shown, and on a phone, where the month grid gives way
 * to the agenda); the CSP blocks nothing. Screenshots in docs/console/.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { getCurrentRevision } from '../../src/store/config-revisions';
import { listPosts } from '../../src/store/ledger';
import { expectAccessible, launchBrowser, openPage, screenshot } from '../support/browser';
import { useTestStore } from '../support/databases';
import { addUser, PASSWORD } from '../support/web';
import { buildCalendarServer, NOW, replanCurrent, SAMPLE_OFFICE, startCalendarOffices } from './calendar-fixture';

const CALENDAR = `/admin/o/${SAMPLE_OFFICE}/calendar`;

/** Presses Tab until `matches` holds for the focused element (a page's order, as a keyboard user walks it). */
async function tabTo(page: Page, matches: string, limit = 250): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`(() => { const el = document.activeElement; return !!el && (${matches}); })()`)) return;
  }
  throw new Error(`Tab never reached ${matches}`);
}

describe('calendar pages in Chromium', () => {
  const db = useTestStore('sqlite', {
    seed: async (store) => {
      await startCalendarOffices(store);
      await addUser(store, 'eka', { [SAMPLE_OFFICE]: 'editor' });
    },
  });
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await buildCalendarServer(db.store);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}${CALENDAR}`);
    await page.getByLabel('Nama pengguna').fill('eka');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}${CALENDAR}`);
  }

  // Ten axe runs and four full-page screenshots: ~20 s beside other tests, so the preview journey's 60 s.
  it('adds an opening through the form, reviews it, saves it and sees it on the calendar; every page passes axe', async () => {
    const { page, cspErrors } = await openPage(browser, { width: 1100, height: 900 });
    await signIn(page);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Kalender · Kantor Imigrasi Kelas I TPI Pontianak');
    await expectAccessible(page);
    await screenshot(page, 'calendar');

    await page.getByRole('link', { name: 'Kalender bulan' }).click();
    await page.waitForURL(/view=month/);
    await expect(page.locator('.cal-grid').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'calendar-month');
    // A phone: the grid goes, the month's agenda stays.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect(page.locator('.cal-grid').isVisible()).resolves.toBe(false);
    await expect(page.locator('#o-simpatik-desember').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await page.setViewportSize({ width: 1100, height: 900 });

    await page.getByRole('link', { name: 'Tambah pembukaan' }).click();
    await page.waitForURL(/\/edit\/opening\/new$/);
    await page.getByLabel('Kode pembukaan').fill('simpatik-tambahan');
    await page.getByLabel('Tanggal buka').fill('2026-12-12');
    await page.getByLabel('Jam buka').fill('10:00');
    await page.getByLabel('Hari layanan 1', { exact: true }).fill('2026-12-13');
    await page.getByLabel('Hari layanan 2').fill('2026-12-20');
    await page.getByLabel('Paspor Reguler').fill('50');
    // A day before the opening: the problem is shown beside that field.
    await page.getByLabel('Hari layanan 3').fill('2026-12-11');
    await page.getByLabel('Catatan untuk unggahan').fill('Kuota tambahan akhir tahun');
    await page.getByRole('button', { name: 'Periksa perubahan' }).click();
    await page.waitForLoadState();
    const day3 = page.getByLabel('Hari layanan 3');
    await expect(day3.getAttribute('aria-invalid')).resolves.toBe('true');
    const problemId = (await day3.getAttribute('aria-describedby'))!.split(' ')[0]!;
    await expect(page.locator(`#${problemId}`).textContent()).resolves.toMatch(/^Hari layanan 2026-12-11 sebelum tanggal pembukaan/);
    await expect(page.getByLabel('Catatan untuk unggahan').inputValue()).resolves.toBe('Kuota tambahan akhir tahun');
    await expectAccessible(page);
    await screenshot(page, 'edit-opening');
    await day3.fill('');

    await page.getByRole('button', { name: 'Periksa perubahan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Periksa perubahan' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Unggahan baru' }).count()).resolves.toBe(1);
    await expect(page.locator('#review-added ~ .edit-scroll tr', { hasText: 'simpatik-tambahan' }).count()).resolves.toBe(6);
    await expectAccessible(page);
    await screenshot(page, 'edit-review');

    await page.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.waitForURL(/\/calendar\?saved=\d+&month=2026-12$/);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Perubahan disimpan sebagai revisi \d+ oleh eka\./);
    const added = page.locator('#o-simpatik-tambahan');
    await expect(added.getByRole('heading', { level: 3 }).textContent()).resolves.toBe('Pembukaan kuota pukul 10.00 WIB');
    await expect(added.textContent()).resolves.toContain('Kuota tambahan akhir tahun');
    await expect((await getCurrentRevision(db.store, SAMPLE_OFFICE))!.author).toBe('eka');

    // The other forms pass axe too.
    for (const path of ['edit', 'edit/opening/simpatik-desember', 'edit/opening/simpatik-desember/counts', 'edit/closure/new', 'edit/csv']) {
      await page.goto(`${base}/admin/o/${SAMPLE_OFFICE}/${path}`);
      await expectAccessible(page);
    }
    expect(cspErrors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('cancels a published opening with the keyboard alone and sees the cancellation posts planned', async () => {
    const { page, cspErrors } = await openPage(browser, { width: 1100, height: 900 });
    await signIn(page);
    const cancelHref = `/admin/o/${SAMPLE_OFFICE}/edit/opening/simpatik-desember/cancel`;
    await tabTo(page, `el.getAttribute('href') === '${cancelHref}'`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}${cancelHref}`);
    await expectAccessible(page);
    await tabTo(page, `el.id === 'f-reason'`);
    await page.keyboard.type('Petugas layanan Sabtu berhalangan');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string | undefined>('document.activeElement?.textContent')).resolves.toBe('Periksa perubahan');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Periksa perubahan' }).waitFor();
    const corrections = page.locator('#review-corrections ~ .edit-scroll tbody tr');
    await expect(corrections.allTextContents()).resolves.toEqual([expect.stringMatching(/^\s*Pembatalan · simpatik-desember\s*instagram/), expect.stringMatching(/^\s*Pembatalan · simpatik-desember\s*x/)]);
    await expectAccessible(page);
    await tabTo(page, `el.textContent === 'Simpan perubahan'`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/calendar\?saved=\d+/);

    // The instance following revisions re-plans the office: the cancellation posts are planned and on the calendar.
    await replanCurrent(db.store, (await getCurrentRevision(db.store, SAMPLE_OFFICE))!.files, NOW);
    const planned = await listPosts(db.store, { releaseIds: ['simpatik-desember'], states: ['planned'] });
    expect(planned.map((post) => `${post.kind}/${post.channelId}`).sort()).toEqual(['cancellation/instagram', 'cancellation/x']);
    await page.reload();
    const opening = page.locator('#o-simpatik-desember');
    await expect(opening.locator('.cal-badge').textContent()).resolves.toBe('Dibatalkan');
    await expect(opening.textContent()).resolves.toContain('Petugas layanan Sabtu berhalangan');
    await expect(opening.locator('tr', { hasText: 'Pembatalan' }).locator('.cal-state').allTextContents()).resolves.toEqual(['Terjadwal', 'Terjadwal']);
    expect(cspErrors).toEqual([]);
    await page.context().close();
  });
});
