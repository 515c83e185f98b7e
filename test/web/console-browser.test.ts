/**
 * The console in a real browser: sign in, the home page, sign out; and the
 * sign-in done with the keyboard alone. axe-core finds no serious or critical
 * problem, and the CSP blocks nothing the console itself loads (htmx included).
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { systemClock } from '../../src/clock';
import { buildWebServer } from '../../src/web/server';
import { expectAccessible, launchBrowser, openPage, screenshot, seriousAxeViolations } from '../support/browser';
import { useTestStore } from '../support/databases';
import { addUser, OFFICES, PASSWORD } from '../support/web';

describe('web console in Chromium', () => {
  const db = useTestStore('sqlite');
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
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: systemClock, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await addUser(db.store, 'ani', { 'kanim-medan': 'editor', 'kanim-pontianak': 'viewer' });
  });
  afterEach(async () => {
    await app.close();
  });

  it('signs in, shows the offices, passes axe, signs out', async () => {
    const { page, cspErrors } = await openPage(browser);
    await page.goto(`${base}/admin/`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await expectAccessible(page);
    await screenshot(page, 'login');
    await page.getByLabel('Nama pengguna').fill('ani');
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/admin/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Kantor');
    await expect(page.getByRole('link', { name: 'Kantor Imigrasi Medan' }).count()).resolves.toBe(1);
    expect(await page.evaluate<string>('typeof window.htmx')).toBe('object');
    await expectAccessible(page);
    await screenshot(page, 'home');
    // Narrow screen: the table turns into stacked rows, still without violations.
    await page.setViewportSize({ width: 360, height: 740 });
    await expectAccessible(page);
    await screenshot(page, 'home-narrow');
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/admin\/login\?bye=1$/);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Anda sudah keluar.');
    expect(cspErrors).toEqual([]);
    await page.context().close();
  });

  it('the axe check does find a serious problem (a field without a label)', async () => {
    const { page } = await openPage(browser);
    await page.setContent('<!doctype html><html lang="id"><head><title>x</title></head><body><main><input type="text"></main></body></html>');
    expect((await seriousAxeViolations(page)).map((v) => v.id)).toContain('label');
    // Among fields that pass, every one that fails is named (axe reports violations in full, passes in short).
    await page.setContent('<!doctype html><html lang="id"><head><title>x</title></head><body><main><label>A <input id="a"></label><input id="b"><label>C <input id="c"></label><input id="d"></main></body></html>');
    expect((await seriousAxeViolations(page)).find((v) => v.id === 'label')?.nodes.map((n) => n.target.join(' '))).toEqual(['#b', '#d']);
    await page.context().close();
  });

  it('signs in with the keyboard alone (skip link, labels, visible order)', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${base}/admin/login?lang=en`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string | undefined>('document.activeElement?.textContent')).resolves.toBe('Skip to content');
    // The skip link jumps over the header: the next Tab is the first field of the form.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe('login-name');
    await page.keyboard.type('ani');
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string | undefined>('document.activeElement?.id')).resolves.toBe('login-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/admin/`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Offices');
    await page.context().close();
  });
});
