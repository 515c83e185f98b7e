/**
 * The public pages in real Chromium, served over HTTP from the sample office's
 * week of posts (public-office.ts): axe finds no WCAG 2.2 A/AA violation of
 * any impact on any page; the index search, the archive's correction link and
 * the cek box work by keyboard alone; the phone width does not scroll
 * sideways; the widget shows inside another site's iframe while the office
 * page refuses to be framed. Screenshots go to docs/public/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { formatVerifyCode } from '../../../src/render/verify-code';
import { expectNoWcag22Violations, launchBrowser, openPage, screenshot } from '../../support/browser';
import { useTestStore } from '../../support/databases';
import { buildPublicServer, OFFICE, seedPublicOffice, SERVED, writePublicOffice, type PublicOffice, type PublicSeed } from './public-office';

describe('web/public in Chromium', () => {
  let office: PublicOffice;
  beforeAll(() => {
    office = writePublicOffice();
  });
  const ctx = useTestStore<PublicSeed>('sqlite', { seed: (store) => seedPublicOffice(store, office) });
  let browser: Browser;
  let app: FastifyInstance;
  let base: string;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    office.cleanup();
  });
  beforeEach(async () => {
    app = await buildPublicServer(ctx.store, office, { offices: () => [...SERVED, { id: 'kanim-medan', name: 'Kantor Imigrasi Kelas I Khusus TPI Medan', timezone: 'Asia/Jakarta', locale: 'id-ID' }] });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  /** Pages a test opened: their contexts are closed after it, failed or not (an open page holds the server's connections). */
  const pages: Page[] = [];
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.context().close()));
    await app.close();
  });

  /** Loads every image now (they are lazy) and waits until each is decoded: for screenshots. */
  async function loadImages(page: Page): Promise<void> {
    await page.evaluate("Promise.all([...document.images].map((img) => { img.loading = 'eager'; return img.decode().catch(() => undefined); }))");
  }

  /** Presses Tab until the element with `id` has focus (at most 60 times); fails when it never does. */
  async function tabTo(page: Page, id: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate<string>('document.activeElement ? document.activeElement.id : ""')) === id) return;
    }
    throw new Error(`Tab never reached #${id}`);
  }

  it('index, office page, archive with a correction, entry: searched, followed and read by keyboard; no WCAG 2.2 violation', async () => {
    const { page, cspErrors } = await openPage(browser);
    pages.push(page);
    await page.goto(`${base}/`);
    await expectNoWcag22Violations(page);
    // The skip link is the first stop and leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.className')).toBe('skip');
    await tabTo(page, 'q');
    await page.keyboard.type('pontianak');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?q=pontianak$/);
    expect(await page.locator('#daftar').textContent()).toBe('1 kantor cocok dengan “pontianak”');
    await screenshot(page, 'index-search', 'public');

    await page.getByRole('link', { name: 'Kantor Imigrasi Kelas I TPI Pontianak' }).click();
    await page.waitForURL(`${base}/o/${OFFICE}/`);
    await expectNoWcag22Violations(page);
    // Focus is visible: the focused link has the page's outline.
    await tabTo(page, 'kode-kantor');
    expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await screenshot(page, 'office', 'public');

    await page.goto(`${base}/o/${OFFICE}/archive`);
    await expectNoWcag22Violations(page);
    await loadImages(page);
    await screenshot(page, 'archive', 'public');
    // From the correction to what it corrects.
    const { correction, weeklyH1 } = ctx.seeded;
    await page.locator(`#${correction}`).getByRole('link', { name: `pengumuman ${formatVerifyCode(weeklyH1)}` }).click();
    await page.waitForURL(`${base}/o/${OFFICE}/archive/${weeklyH1}`);
    expect(await page.locator('h1').textContent()).toBe(`Pengumuman ${formatVerifyCode(weeklyH1)}`);
    await expectNoWcag22Violations(page);
    // The card loads (from its srcset) into the box its width and height reserved: no layout shift.
    await loadImages(page);
    expect(await page.evaluate<boolean>('[...document.images].every((img) => img.complete && img.naturalWidth > 0 && Math.abs(img.clientHeight / img.clientWidth - img.getAttribute("height") / img.getAttribute("width")) < 0.01 && Math.abs(img.naturalHeight / img.naturalWidth - img.getAttribute("height") / img.getAttribute("width")) < 0.01)')).toBe(true);
    await screenshot(page, 'entry', 'public');
    expect(cspErrors).toEqual([]);
  });

  it('the cek box by keyboard only; a code of nothing and a typo in plain words; the phone width', async () => {
    const { page, cspErrors } = await openPage(browser, { width: 360, height: 740 });
    pages.push(page);
    await page.goto(`${base}/o/${OFFICE}/`);
    // Nothing wider than the phone: no sideways scrolling (tables scroll inside their own box).
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'office-phone', 'public');
    await tabTo(page, 'kode-kantor');
    await page.keyboard.type(formatVerifyCode(ctx.seeded.correction).toLowerCase().replace('-', ' '));
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/o/${OFFICE}/archive/${ctx.seeded.correction}`);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    // A phone gets the 540 px card of the srcset, not the full one.
    await loadImages(page);
    expect(await page.evaluate<string>('document.images[0].currentSrc')).toMatch(/card-1\.jpg\?w=540$/);
    await screenshot(page, 'entry-phone', 'public');

    await page.goto(`${base}/v/${ctx.seeded.readyH60m}`);
    expect(await page.locator('.problem').first().textContent()).toBe(`Kode ${formatVerifyCode(ctx.seeded.readyH60m)} tidak ditemukan: tidak ada pengumuman dengan kode ini. Gambar dengan kode ini bukan dari kantor mana pun di sini.`);
    await expectNoWcag22Violations(page);
    await screenshot(page, 'not-found-phone', 'public');
    await tabTo(page, 'kode');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('K7M2-Q9');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/v\?kode=K7M2-Q9$/);
    expect(await page.locator('#kode').getAttribute('aria-invalid')).toBe('true');
    await expectNoWcag22Violations(page);
    expect(cspErrors).toEqual([]);
  });

  it('the widget shows in another site’s iframe, also inserted by widget.js; the office page refuses to be framed there', async () => {
    // Another origin: the same server reached as localhost, embedded by a page from 127.0.0.1 on another port.
    const widgetBase = base.replace('127.0.0.1', 'localhost');
    const site = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="id"><title>Situs pemda</title><body>
<iframe id="widget" src="${widgetBase}/o/${OFFICE}/widget" title="Jadwal kuota" width="320" height="260"></iframe>
<iframe id="page" src="${widgetBase}/o/${OFFICE}/" title="Halaman kantor" width="320" height="260"></iframe>
<div id="by-script"><script src="${widgetBase}/o/${OFFICE}/widget.js" async></script></div>
</body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    try {
      const { page } = await openPage(browser);
      pages.push(page);
      const refused = page.waitForEvent('console', { predicate: (message) => /frame-ancestors/i.test(message.text()) });
      await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      const widget = page.frameLocator('#widget');
      await widget.getByText('Akan dibuka').waitFor();
      expect(await widget.locator('time').last().textContent()).toBe('Jumat, 4 Desember 2026 pukul 14.00 WIB');
      // widget.js put the same iframe after its script tag.
      await page.frameLocator('#by-script iframe').getByText('Akan dibuka').waitFor();
      expect(await page.locator('#by-script iframe').getAttribute('src')).toBe(`${widgetBase}/o/${OFFICE}/widget`);
      // The office page in a frame: refused by its CSP (frame-ancestors 'none'), its content never shown.
      expect((await refused).text()).toContain("frame-ancestors 'none'");
      expect(await page.frameLocator('#page').getByText('GRATIS').count()).toBe(0);
      await screenshot(page, 'widget-embedded', 'public');

      // The widget on its own passes axe too.
      await page.goto(`${widgetBase}/o/${OFFICE}/widget`);
      await expectNoWcag22Violations(page);
    } finally {
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
