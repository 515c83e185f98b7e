/**
 * The approval and post pages in a real Chromium (one launch): an approver
 * signs in and approves the week's set at once and sees it approved; an editor
 * opens a failed post from the list and sends it again. axe-core finds no
 * serious or critical problem on either page, the CSP blocks nothing, and the
 * screenshots go to docs/console/approvals.png and post.png.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { isApproved } from '../../../src/store/approvals';
import { getPostHistory } from '../../../src/store/ledger';
import { expectAccessible, launchBrowser, openPage, screenshot } from '../../support/browser';
import { fail } from '../../console/offices';
import { addUser, PASSWORD } from '../../support/web';
import { buildConsole, HOSTILE, OFFICE, postOf, useSeededOffice, WEEKLY } from './approval-office';

describe('web/console approvals and post pages in Chromium', () => {
  const ctx = useSeededOffice({
    async prepare(store) {
      await fail(store, await postOf(store, 'h-1', WEEKLY, 'x'), 'dead', 'X refused the post (403 duplicate content)');
      await addUser(store, 'rina', { [OFFICE]: 'approver' });
      await addUser(store, 'ani', { [OFFICE]: 'editor' });
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
    app = await buildConsole(ctx.store, ctx.office);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await app.close();
  });

  async function signIn(page: Page, name: string): Promise<void> {
    await page.getByLabel('Nama pengguna').fill(name);
    await page.getByLabel('Kata sandi').fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk' }).click();
  }

  it('an approver approves the week at once; an editor retries a failed post', async () => {
    const { page, cspErrors } = await openPage(browser, { width: 1024, height: 900 });
    await page.goto(`${base}/admin/o/${OFFICE}/approvals`);
    await signIn(page, 'rina');
    await page.waitForURL(`${base}/admin/o/${OFFICE}/approvals`);
    await expect(page.getByRole('heading', { level: 2, name: 'Minggu ini, 30 Nov – 6 Des 2026' }).count()).resolves.toBe(1);
    // The thumbnails load: the stored cards, through the CSP.
    await page.waitForFunction("[...document.querySelectorAll('.ap-cards img')].every((img) => img.complete && img.naturalWidth > 0)");
    await expect(page.locator('.ap-cards img').count()).resolves.toBe(4);

    await page.getByRole('button', { name: 'Setujui semua unggahan minggu ini (4)' }).click();
    await page.waitForURL(`${base}/admin/o/${OFFICE}/approvals?approved=4`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('4 unggahan disetujui.');
    await expect(page.getByText('Disetujui oleh rina, Sen 30 Nov 09.00 WIB.').count()).resolves.toBe(4);
    await expect(page.getByRole('button', { name: 'Cabut persetujuan' }).count()).resolves.toBe(4);
    expect(await isApproved(ctx.store, await postOf(ctx.store, 'opening', HOSTILE, 'x'))).toBe(true);
    await page.waitForFunction("[...document.querySelectorAll('.ap-cards img')].every((img) => img.complete && img.naturalWidth > 0)");
    await expectAccessible(page);
    await screenshot(page, 'approvals');

    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/admin\/login\?bye=1$/);
    await page.goto(`${base}/admin/o/${OFFICE}/posts?state=dead`);
    await signIn(page, 'ani');
    await page.waitForURL(`${base}/admin/o/${OFFICE}/posts?state=dead`);
    const failed = await postOf(ctx.store, 'h-1', WEEKLY, 'x');
    await page.locator(`a[href="/admin/o/${OFFICE}/posts/${failed.id}"]`).click();
    await page.waitForURL(`${base}/admin/o/${OFFICE}/posts/${failed.id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Unggahan h-1 ke x');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Coba kirim lagi sekarang' }).click();
    await page.waitForURL(`${base}/admin/o/${OFFICE}/posts/${failed.id}?done=retry`);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Unggahan akan dikirim lagi sekarang.');
    expect((await getPostHistory(ctx.store, failed.id)).map((post) => post.state)).toEqual(['retrying']);
    await expectAccessible(page);
    await screenshot(page, 'post');
    expect(cspErrors).toEqual([]);
    await page.context().close();
  });
});
