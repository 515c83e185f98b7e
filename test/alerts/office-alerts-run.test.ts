/**
 * Many offices, end to end through the running bot (`runBot`, wall clock):
 * each office's alerts reach its own Telegram chat and the global one, and
 * never another office's. Office B (Makassar) has a revoked X token, which the
 * account check at start reports (an alert about a channel, no post), and a
 * caption too long for X, which render-ahead reports (an alert about a post).
 * Office A (Medan) is healthy: its chat stays empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from '../../src/app/account-watch';
import { addDays } from '../../src/time/plain-date';
import { toLocal } from '../../src/time/zone';
import { LedgerReader, makeBotDirs, startBot } from '../app/bot-harness';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { SECRETS as X } from '../channels/x/x-harness';
import { waitFor } from '../support/process';
import { writeFile } from '../support/offices-fixture';

const TG_TOKEN = '888:TG-offices-run-token';
const CHATS = { global: '-1001000000001', medan: '-1001000000002', makassar: '-1001000000003' };
const OFFICES = [
  { id: 'kanim-medan', name: 'Kantor Imigrasi Medan', zone: 'Asia/Jakarta', env: 'MEDAN' },
  { id: 'kanim-makassar', name: 'Kantor Imigrasi Makassar', zone: 'Asia/Makassar', env: 'MAKASSAR' },
] as const;

describe('alerts: many offices, through the running bot', () => {
  const cleanup: string[] = [];
  let telegram: FakeTelegramServer;
  const xServers = new Map<string, FakeXServer>();
  beforeAll(async () => {
    telegram = await startFakeTelegramServer({ token: TG_TOKEN, chats: Object.values(CHATS) });
    for (const office of OFFICES) xServers.set(office.id, await startFakeXServer({ ...X }));
  });
  afterAll(async () => {
    await telegram.close();
    for (const server of xServers.values()) await server.close();
    cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  it("sends an office's channel and post alerts to its own chat and the global one, never to another office's", async () => {
    const { configDir, dataDir } = makeBotDirs('herald-office-alerts-', cleanup);
    const telegramTo = (chat: string): string => `    telegram: { chatId: "${chat}", credentials: { botToken: TG_TOKEN }, baseUrl: ${telegram.url} }\n`;
    writeFile(
      path.join(configDir, 'herald.yaml'),
      `services:\n  - { id: regular, name: Paspor Reguler }\nholidays:\n  country: null\nannouncements:\n  - id: opening\n    when: { atOpening: true }\n    channels: [x]\nsettings:\n  alerts:\n${telegramTo(CHATS.global)}`,
    );
    const env: Record<string, string> = { TG_TOKEN };
    // Both offices open a few minutes from now: their opening posts fall inside the 10 render-ahead minutes at once.
    const opensAt = new Date(Date.now() + 5 * 60_000);
    for (const office of OFFICES) {
      const dir = path.join(configDir, 'offices', office.id);
      const names = { appKey: `${office.env}_X_APP_KEY`, appSecret: `${office.env}_X_APP_SECRET`, accessToken: `${office.env}_X_ACCESS_TOKEN`, accessSecret: `${office.env}_X_ACCESS_SECRET` };
      Object.assign(env, { [names.appKey]: X.appKey, [names.appSecret]: X.appSecret, [names.accessToken]: X.accessToken, [names.accessSecret]: X.accessSecret });
      writeFile(
        path.join(dir, 'herald.yaml'),
        `office:\n  name: ${office.name}\n  timezone: ${office.zone}\nchannels:\n  - id: x\n    driver: x\n    baseUrl: ${xServers.get(office.id)!.url}\n    credentials: { appKey: ${names.appKey}, appSecret: ${names.appSecret}, accessToken: ${names.accessToken}, accessSecret: ${names.accessSecret} }\nsettings:\n  alerts:\n${telegramTo(office.id === 'kanim-medan' ? CHATS.medan : CHATS.makassar)}`,
      );
      const local = toLocal(opensAt, office.zone);
      writeFile(path.join(dir, 'calendar.yaml'), `releases:\n  - id: buka\n    opensAt: "${local.date} ${local.time}"\n    days:\n      - { date: ${addDays(local.date, 3)}, quota: { regular: 100 } }\n`);
    }
    // Makassar: its X token was revoked, and its own opening caption cannot fit X's 280 characters.
    xServers.get('kanim-makassar')!.revokeToken();
    writeFile(path.join(configDir, 'offices', 'kanim-makassar', 'templates', 'captions', 'opening.hbs'), `${'Kuota paspor dibuka. '.repeat(20)}\n`);

    const bot = startBot({ configDir, dataDir, env, watch: false });
    const ledger = new LedgerReader(dataDir);
    const byChat = (chat: string): string[] => telegram.messages.filter((m) => m.chatId === chat).map((m) => m.text);
    try {
      await waitFor(() => byChat(CHATS.makassar).length >= 2 && byChat(CHATS.global).length >= 2, 45_000, () => `Makassar's two alerts:\n${JSON.stringify(telegram.messages, null, 2)}\n${bot.logs().slice(-3000)}`);
      // Medan's account check is done and its post rendered: had it raised anything, it would be sent by now.
      await waitFor(() => (ledger.status<StoredAccountReport[]>(ACCOUNTS_STATUS_KEY)?.length ?? 0) === 2, 30_000, () => 'both account checks');
      await waitFor(() => ledger.states('kanim-medan').includes('ready'), 30_000, () => `Medan's opening post rendered: ${bot.logs().slice(-2000)}`);
    } finally {
      ledger.close();
      await bot.stop();
    }
    const makassar = byChat(CHATS.makassar);
    expect(makassar).toHaveLength(2);
    expect(makassar.find((text) => text.startsWith('Kantor Imigrasi Makassar: auth'))).toContain('channel kanim-makassar/x: X account check failed');
    expect(makassar.find((text) => text.startsWith('Kantor Imigrasi Makassar: render-failed'))).toContain('on kanim-makassar/x');
    expect(byChat(CHATS.global).sort()).toEqual([...makassar].sort());
    expect(byChat(CHATS.medan)).toEqual([]);
  }, 120_000);
});
