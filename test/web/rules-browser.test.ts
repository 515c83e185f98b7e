/**
 * The recurring rule pages in a real Chromium: an editor opens the rules from
 * the office menu, changes the weekly rule's weekday and counts, is told why
 * Thursdays clash with the New Year's replacement opening, ends the rule
 * before it, reviews the cancellations of what is already published, saves,
 * and finds the Thursday opening with its new counts on the calendar. axe-core
 * on every page (the list also on a phone, and the other rule forms); the CSP
 * blocks nothing. Screenshots: docs/console/rules.png, docs/console/rule-edit.png.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { getCurrentRevision } from '../../src/store/config-revisions';
import { expectAccessible, launchBrowser, openPage, screenshot } from '../support/browser';
import { addUser, PASSWORD } from '../support/web';
import { buildCalendarServer, NOW, replanCurrent, SAMPLE_OFFICE, startCalendarOffices } from './calendar-fixture';
import { useFileStore } from './file-store';

const OFFICE = `/admin/o/${SAMPLE_OFFICE}`;

describe('recurring rule pages in Chromium', () => {
  const db = useFileStore();
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    await startCalendarOffices(db.store);
    app = await buildCalendarServer(db.store);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await addUser(db.store, 'eka', { [SAMPLE_OFFICE]: 'editor' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}${OFFICE}/calendar`);
    await page.getByLabel('Nama pengguna').fill('eka');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}${OFFICE}/calendar`);
  }

  it("changes the weekly rule's weekday and counts, sees the review, saves and sees the calendar change", async () => {
    const { page, cspErrors } = await openPage(browser, { width: 1100, height: 900 });
    await signIn(page);

    const menu = page.getByRole('navigation', { name: 'Menu kantor Kantor Imigrasi Kelas I TPI Pontianak' });
    await menu.getByRole('link', { name: 'Pembukaan rutin' }).click();
    await page.waitForURL(`${base}${OFFICE}/rules`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pembukaan rutin · Kantor Imigrasi Kelas I TPI Pontianak');
    const rule = page.getByRole('region', { name: 'mingguan' });
    await expect(rule.locator('.rule-rhythm').textContent()).resolves.toBe('setiap Jumat 14.00 WIB, 1 minggu ke depan');
    await expectAccessible(page);
    await screenshot(page, 'rules');
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page);
    await page.setViewportSize({ width: 1100, height: 900 });

    await rule.getByRole('link', { name: 'Ubah mingguan' }).click();
    await page.waitForURL(`${base}${OFFICE}/rules/mingguan`);
    await expect(page.getByLabel('Hari buka').inputValue()).resolves.toBe('friday');
    await expect(page.getByLabel('Jumat', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByLabel('Hari buka').selectOption('thursday');
    await page.getByLabel('Paspor Reguler').fill('100');
    await page.getByLabel('Paspor Percepatan').fill('25');
    await page.getByRole('button', { name: 'Periksa perubahan' }).click();
    await page.waitForLoadState();

    // Thursday 31 Dec would cover 4–8 Jan, which the New Year's replacement opening already gives: said above the form.
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Hari layanan ini sudah mendapat kuota dari pembukaan lain untuk layanan yang sama');
    const weekday = page.getByLabel('Hari buka');
    await expect(weekday.inputValue()).resolves.toBe('thursday');
    const noteId = (await weekday.getAttribute('aria-describedby'))!.split(' ')[0]!;
    await expect(page.locator(`#${noteId}`).textContent()).resolves.toMatch(/^Tanggal ini bukan hari pembukaan rutin tersebut/);
    await expect(page.getByLabel('Paspor Reguler').inputValue()).resolves.toBe('100');
    await expectAccessible(page);
    await screenshot(page, 'rule-edit');

    await page.getByLabel('Pembukaan terakhir').fill('2026-12-24');
    await page.getByRole('button', { name: 'Periksa perubahan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Periksa perubahan' }).waitFor();
    const cancellations = page.locator('#review-corrections ~ .edit-scroll tbody tr');
    await expect(cancellations.allTextContents()).resolves.toEqual([expect.stringMatching(/^\s*Pembatalan · mingguan@2026-12-11\s*instagram/), expect.stringMatching(/^\s*Pembatalan · mingguan@2026-12-11\s*x/)]);
    await expect(page.locator('#review-added ~ .edit-scroll tr', { hasText: 'mingguan@2026-12-17' }).count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Simpan perubahan' }).click();
    await page.waitForURL(/\/calendar\?saved=\d+$/);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Perubahan disimpan sebagai revisi \d+ oleh eka\./);
    const saved = (await getCurrentRevision(db.store, SAMPLE_OFFICE))!;
    expect(saved).toMatchObject({ author: 'eka', message: 'Konsol: ubah pembukaan rutin mingguan' });

    // The instance following revisions re-plans the office; the calendar shows Thursday's opening with the new counts.
    await replanCurrent(db.store, saved.files, NOW);
    await page.reload();
    const thursday = page.locator('#o-mingguan-2026-12-17');
    await expect(thursday.getByRole('heading', { level: 3 }).textContent()).resolves.toBe('Pembukaan kuota pukul 14.00 WIB');
    await expect(thursday.locator('tbody tr').first().locator('td').allTextContents()).resolves.toEqual(['100', '25', '125']);
    await expect(page.locator('#o-mingguan-2026-12-18').count()).resolves.toBe(0);
    await thursday.getByRole('link', { name: 'Ubah aturan rutinnya' }).click();
    await page.waitForURL(`${base}${OFFICE}/rules/mingguan`);
    await expect(page.getByLabel('Hari buka').inputValue()).resolves.toBe('thursday');

    // The other rule pages pass axe too.
    for (const path of ['rules/new', 'rules/mingguan/end', 'rules/mingguan/remove', 'edit', 'rules?lang=en']) {
      await page.goto(`${base}${OFFICE}/${path}`);
      await expectAccessible(page);
    }
    expect(cspErrors).toEqual([]);
    await page.context().close();
    // Eleven pages, each with axe: ~10 s on an idle machine; room for a busy one.
  }, 120_000);
});
