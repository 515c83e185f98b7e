/**
 * The dashboard, users and account pages in a real Chromium (one launch): an
 * office admin signs in and lands on their office's dashboard, opens the
 * users page from the office menu and adds a user. axe-core finds no serious
 * or critical problem on any of them, the CSP blocks nothing, and the
 * screenshots for docs/console/ are taken (desktop, and the dashboard on a phone).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { findUserForLogin } from '../../../src/store/users';
import { buildWebServer } from '../../../src/web/server';
import { expectAccessible, launchBrowser, openPage, screenshot } from '../../support/browser';
import { useTestStore } from '../../support/databases';
import { addUser, OFFICES, PASSWORD } from '../../support/web';
import { CONFIG, NOW, SAMPLE, sampleDay, storeSampleRevision } from './sample-office';

describe('console dashboard and users pages in Chromium', () => {
  const db = useTestStore('sqlite');
  let browser: Browser;
  let app: FastifyInstance;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await app?.close();
  });

  it('an office admin signs in to the dashboard, opens the users page, adds a user; every page passes axe', async () => {
    await storeSampleRevision(db.store);
    await sampleDay(db.store);
    await addUser(db.store, 'budi', { [SAMPLE]: 'admin' });
    await addUser(db.store, 'ani', { [SAMPLE]: 'editor' });
    await addUser(db.store, 'dewi', { 'kanim-medan': 'viewer' });
    // The office's clock stands half an hour before the opening, so the page always shows the same day.
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false }, source: { configDir: CONFIG } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const { page, cspErrors } = await openPage(browser, { width: 1280, height: 900 });
    await page.goto(`${base}/admin/`);
    await page.getByLabel('Nama pengguna').fill('budi');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    // One office: straight to its dashboard.
    await page.waitForURL(`${base}/admin/o/${SAMPLE}/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dasbor Kantor Imigrasi Pontianak');
    await expect(page.getByRole('heading', { name: 'Perlu tindakan' }).count()).resolves.toBe(1);
    await expect(page.locator('#next-posts .countdown').first().textContent()).resolves.toBe('dalam 30 menit');
    await expect(page.getByRole('link', { name: 'Lihat di X (uji coba)' }).getAttribute('href')).resolves.toBe('https://x.com/imigrasiptk/status/1862000000000000001');
    expect(await page.evaluate<string>('typeof window.htmx')).toBe('object');
    await expectAccessible(page);
    await screenshot(page, 'dashboard');

    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page);
    await screenshot(page, 'dashboard-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    const menu = page.getByRole('navigation', { name: 'Menu kantor Kantor Imigrasi Pontianak' });
    await expect(menu.getByRole('link', { name: 'Dasbor' }).getAttribute('aria-current')).resolves.toBe('page');
    await menu.getByRole('link', { name: 'Pengguna' }).click();
    await page.waitForURL(`${base}/admin/users`);
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['ani', 'budi (Anda)']);
    await expectAccessible(page);

    // A mistake first: the message next to the field, the name kept.
    await page.locator('#add-name').fill('citra.lubis');
    await page.locator('#add-role').selectOption('approver');
    await page.locator('#add-password').fill('pendek');
    await page.getByRole('button', { name: 'Tambah pengguna' }).click();
    await expect(page.locator('#add-password-error').textContent()).resolves.toContain('minimal 12 karakter');
    await expect(page.locator('#add-name').inputValue()).resolves.toBe('citra.lubis');
    await expectAccessible(page);
    await page.locator('#add-password').fill('kopi susu di pagi hari');
    await page.getByRole('button', { name: 'Tambah pengguna' }).click();
    await page.waitForURL(/\/admin\/users\?done=added&user=\d+$/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Pengguna citra.lubis ditambahkan.');
    await expect(page.getByRole('rowheader').allTextContents()).resolves.toEqual(['ani', 'budi (Anda)', 'citra.lubis']);
    expect([...(await findUserForLogin(db.store, 'citra.lubis'))!.user.roles]).toEqual([[SAMPLE, 'approver']]);
    // The change form of a row opens without JavaScript (details/summary).
    await page.getByText('Ubah ani').click();
    await expect(page.getByLabel('Kata sandi baru untuk ani').isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'users');

    await page.getByRole('link', { name: 'Akun saya', exact: true }).click();
    await page.waitForURL(`${base}/admin/account`);
    await expectAccessible(page);
    await screenshot(page, 'account');
    expect(cspErrors).toEqual([]);
    await page.context().close();
  });
});
