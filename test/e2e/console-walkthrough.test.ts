/**
 * Issue 9's "done means", as a PR staffer who has never seen YAML lives it: the
 * IT person copies the sample config, turns approval on and runs `user add`
 * and `run` (real child processes, the README's commands); the staffer, in a
 * real Chromium, plans next month's opening and one that opens in a minute or
 * two, previews the posts, approves the week, waits for the announcement to go
 * out, then fixes a count after publishing: the review shows the correction
 * that will be posted, the correction needs (and gets) approval, and goes out.
 * Everything is observed where staff and the public would see it: the pages and
 * the outbox (the sample's channels). Real waiting: the bot runs on the wall clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readOutbox } from '../../src/channels/outbox/outbox-channel';
import { toLocal } from '../../src/time/zone';
import { addDays, weekdayOf } from '../../src/time/plain-date';
import { expectAccessible, launchBrowser, openPage } from '../support/browser';
import { REPO_ROOT, runCli, startCli } from '../support/cli';
import { freePort } from '../support/net';
import { exitOf, waitFor } from '../support/process';
import { setSampleWebPort } from '../support/sample-config';

const ZONE = 'Asia/Pontianak';
const OFFICE = 'kanim-pontianak';
const PASSWORD = 'humas pontianak 2026';

/** A `user add` with its password piped on stdin, as the README shows for scripts. */
async function userAdd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(['user', 'add', ...args], { stdin: `${PASSWORD}\n` });
  const code = await exitOf(child);
  return { code, ...child.output() };
}

describe('e2e: a PR staffer plans, previews, approves and corrects in the console', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-walkthrough-'));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('from `user add` and `run`: next month planned, the week approved, a published count corrected', async () => {
    // The IT person: the sample config, approval on for the opening posts and corrections, a port.
    const configDir = path.join(dir, 'config');
    const dataDir = path.join(dir, 'data');
    fs.cpSync(path.join(REPO_ROOT, 'config'), configDir, { recursive: true });
    const port = await freePort();
    setSampleWebPort(path.join(configDir, 'herald.yaml'), port);
    fs.appendFileSync(path.join(configDir, 'herald.yaml'), '  approval: { required: true, hoursBefore: 0, rules: [opening, correction] }\n');
    const global = ['--config', configDir, '--data', dataDir, '--templates', path.join(REPO_ROOT, 'templates')];

    const added = await userAdd([...global, 'ani', '--role', 'admin', '--office', OFFICE]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);

    const bot = startCli(['run', ...global]);
    const base = `http://127.0.0.1:${port}`;
    const outbox = path.join(dataDir, 'outbox.jsonl');
    const sent = (releaseId: string, rule: string) => (fs.existsSync(outbox) ? readOutbox(outbox).filter((r) => r.releaseId === releaseId && r.rule === rule) : []);
    try {
      await waitFor(() => bot.output().stderr.includes('web server listening') || bot.exitCode !== null, 30_000, () => `the console to listen; the bot said:\n${bot.output().stderr.slice(-3_000)}`);
      expect(bot.exitCode).toBeNull();

      const { page, cspErrors } = await openPage(browser, { width: 1100, height: 900 });
      await page.goto(`${base}/admin/`);
      await page.getByLabel('Nama pengguna').fill('ani');
      await page.getByLabel('Kata sandi').fill(PASSWORD);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(`${base}/admin/o/${OFFICE}/`);
      await expectAccessible(page);

      const today = toLocal(new Date(), ZONE).date;
      // First, an opening a minute or so away (the form takes whole minutes), so that it goes out
      // during the test; the rest of the planning happens while it waits.
      const opensAt = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
      const local = toLocal(opensAt, ZONE);
      await addOpening(page, base, { id: 'kuota-tambahan', date: local.date, time: local.time.slice(0, 5), days: [sundayFrom(addDays(local.date, 1))], regular: '50' });

      // Preview: the opening post as Instagram and X will show it, with its cards.
      await page.goto(`${base}/admin/o/${OFFICE}/preview`);
      const preview = page.locator('section.announcement', { has: page.locator(`time[datetime="${opensAt.toISOString()}"]`) }).locator('article.post');
      await waitFor(async () => ((await preview.count()) === 2 ? true : (await page.reload(), undefined)), 30_000, () => 'the new opening in the preview');
      await expect(preview.first().textContent()).resolves.toContain('50');
      // The real cards load (through the console's CSP).
      await preview.first().scrollIntoViewIfNeeded();
      const cardsLoaded = `(() => {
        const imgs = [...document.querySelectorAll('section.announcement')]
          .filter((section) => section.querySelector('time[datetime="${opensAt.toISOString()}"]'))
          .flatMap((section) => [...section.querySelectorAll('article.post img')]);
        return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
      })()`;
      await waitFor(() => page.evaluate<boolean>(cardsLoaded), 15_000, () => 'the cards to load');
      await expectAccessible(page);

      // Approve the week: the opening posts of kuota-tambahan need it.
      // The preview renders from the config; the approvals page lists what the bot has planned into the
      // ledger, which follows the saved revision a moment later (longer on a busy machine): reload until it has.
      await page.goto(`${base}/admin/o/${OFFICE}/approvals`);
      const approveAll = page.getByRole('button', { name: /^Setujui semua unggahan minggu ini/ });
      await waitFor(async () => ((await approveAll.count()) > 0 ? true : (await page.reload(), undefined)), 30_000, () => `the new opening's posts to await approval; the bot said:\n${bot.output().stderr.slice(-3_000)}`);
      await approveAll.click();
      await page.waitForURL(/approvals\?approved=\d+$/);
      await expect(page.getByRole('status').textContent()).resolves.toMatch(/\d+ unggahan disetujui\./);

      // Next month's opening, with its counts for several days entered at once.
      // Sundays: the sample's weekly rule serves weekdays, and none of its one-off openings is on a Sunday.
      const nextMonth = sundayFrom(addDays(today, 30));
      await addOpening(page, base, { id: 'simpatik-bulan-depan', date: addDays(nextMonth, -2), time: '09:00', days: [nextMonth, addDays(nextMonth, 7)], regular: '80' });
      await page.goto(`${base}/admin/o/${OFFICE}/edit/opening/simpatik-bulan-depan/counts`);
      await page.getByLabel(`Paspor Reguler, ${addDays(nextMonth, 7)}`).fill('120');
      // The first empty row adds a day (rows are numbered after the opening's two days).
      await page.getByLabel('Hari layanan baru 3').fill(addDays(nextMonth, 14));
      await page.getByLabel('Paspor Reguler, baris 3').fill('60');
      await page.getByRole('button', { name: 'Periksa perubahan' }).click();
      await saveReview(page);
      const planned = page.locator('#o-simpatik-bulan-depan');
      await page.goto(`${base}/admin/o/${OFFICE}/calendar?month=${nextMonth.slice(0, 7)}`);
      await expect(planned.textContent()).resolves.toContain('120');

      const published = await waitFor(() => (sent('kuota-tambahan', 'opening').length === 2 ? sent('kuota-tambahan', 'opening') : undefined), opensAt.getTime() - Date.now() + 60_000, () => `the opening posts to go out; the bot said:\n${bot.output().stderr.slice(-3_000)}`);
      expect(published.map((r) => r.channel).sort()).toEqual(['instagram', 'x']);
      for (const record of published) expect(record.text).toContain('50');

      // The mistake: it was 40, not 50. The review says a correction will be posted.
      await page.goto(`${base}/admin/o/${OFFICE}/edit/opening/kuota-tambahan`);
      await page.getByLabel('Paspor Reguler').fill('40');
      await page.getByRole('button', { name: 'Periksa perubahan' }).click();
      await page.getByRole('heading', { name: 'Sudah terkirim: ralat atau pembatalan' }).waitFor();
      await expectAccessible(page);
      await saveReview(page);

      // The correction needs approval too; approved, it goes out.
      // Rendered first (an approval binds to the exact content): until then it is listed without
      // its approve button. Each is approved on its own, as staff would check a correction.
      const approveCorrection = page.locator('li.ap-post.is-awaiting', { hasText: 'correction' }).getByRole('button', { name: 'Setujui unggahan ini' });
      await waitFor(async () => {
        await page.goto(`${base}/admin/o/${OFFICE}/approvals`);
        return (await approveCorrection.count()) === 2 ? true : undefined;
      }, 60_000, () => 'the corrections ready for approval');
      for (const left of [2, 1]) {
        expect(await approveCorrection.count()).toBe(left);
        await approveCorrection.first().click();
        await page.waitForLoadState();
      }
      expect(await approveCorrection.count()).toBe(0);
      const corrections = await waitFor(() => (sent('kuota-tambahan', 'correction').length === 2 ? sent('kuota-tambahan', 'correction') : undefined), 60_000, () => `the corrections to go out; the bot said:\n${bot.output().stderr.slice(-3_000)}`);
      for (const record of corrections) expect(record.text).toContain('40');
      expect(sent('kuota-tambahan', 'opening')).toHaveLength(2);
      expect(cspErrors).toEqual([]);
      await page.context().close();
    } finally {
      bot.kill('SIGTERM');
      await exitOf(bot);
    }
    const status = await runCli(['status', '--json', ...global]);
    expect(status.code).toBe(0);
  }, 300_000);
});

function sundayFrom(date: string): string {
  let day = date;
  while (weekdayOf(day) !== 0) day = addDays(day, 1);
  return day;
}

async function addOpening(page: Page, base: string, opening: { id: string; date: string; time: string; days: string[]; regular: string }): Promise<void> {
  await page.goto(`${base}/admin/o/${OFFICE}/calendar`);
  await page.getByRole('link', { name: 'Tambah pembukaan' }).click();
  await page.getByLabel('Kode pembukaan').fill(opening.id);
  await page.getByLabel('Tanggal buka').fill(opening.date);
  await page.getByLabel('Jam buka').fill(opening.time);
  for (const [i, day] of opening.days.entries()) await page.getByLabel(`Hari layanan ${i + 1}`, { exact: i === 0 }).fill(day);
  await page.getByLabel('Paspor Reguler').fill(opening.regular);
  await page.getByRole('button', { name: 'Periksa perubahan' }).click();
  await saveReview(page);
}

async function saveReview(page: Page): Promise<void> {
  await page.waitForLoadState();
  const review = page.getByRole('heading', { level: 1, name: 'Periksa perubahan' });
  // A form shown again with problems: fail with what the page says, not a timeout.
  if ((await review.count()) === 0) throw new Error(`no review page at ${page.url()}; it says:\n${(await page.locator('main').innerText()).slice(0, 2_000)}`);
  await page.getByRole('button', { name: 'Simpan perubahan' }).click();
  await page.waitForURL(/\/calendar\?saved=\d+/);
  await expect(page.getByRole('status').textContent()).resolves.toMatch(/^Perubahan disimpan sebagai revisi \d+ oleh ani\./);
}
