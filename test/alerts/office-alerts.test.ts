/**
 * Many offices: an alert about an office goes to that office's own
 * recipients and to the global ones; another office's recipients never see it.
 */
import { createConfiguredAlertSink, type AlertSink } from '../../src/app/alert-sink';
import type { AlertSettings } from '../../src/config/types';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { useTestStore } from '../support/databases';
import { captureLogs, closeOnManualClock, createManualClock, until } from './support';

const TOKEN = '555:TG-office-token';
const CHATS = { global: '-1001', medan: '-1002', makassar: '-1003' };

describe('app/alert-sink: per-office recipients', () => {
  const db = useTestStore('sqlite');
  let telegram: FakeTelegramServer;
  beforeEach(async () => {
    telegram = await startFakeTelegramServer({ token: TOKEN, chats: Object.values(CHATS) });
  });
  afterEach(async () => telegram.close());

  const telegramTo = (chatId: string): AlertSettings => ({
    telegram: { chatId, credentials: { botToken: 'TG_TOKEN' }, baseUrl: telegram.url },
    rateLimit: { max: 10, windowMinutes: 10 },
    location: { file: 'herald.yaml', line: 1, col: 1 },
  });

  it('routes an office alert to its own chat and the global one, never to another office', async () => {
    const clock = createManualClock('2026-11-27T06:30:00Z');
    const sink: AlertSink = createConfiguredAlertSink({
      logger: captureLogs().logger,
      store: db.store,
      clock,
      settings: telegramTo(CHATS.global),
      officeSettings: new Map([
        ['kanim-medan', telegramTo(CHATS.medan)],
        ['kanim-makassar', telegramTo(CHATS.makassar)],
      ]),
      env: { TG_TOKEN: TOKEN },
      fetch,
      office: (id) => ({ name: id ?? 'all offices', zone: 'Asia/Jakarta' }),
    });
    sink({ kind: 'config-invalid', officeId: 'kanim-medan', message: 'office kanim-medan: the config edit has 1 problem(s)' });
    sink({ kind: 'auth', message: 'a deployment-wide problem' });
    // About a channel and no post (an account check, a driver near its cap): the channel's office.
    sink({ kind: 'daily-cap', channelId: 'kanim-makassar/instagram', message: 'instagram channel "kanim-makassar/instagram": 2 of 50 posts left' });
    await until(() => telegram.messages.length === 5, 'five deliveries');
    const byChat = (chat: string): string[] => telegram.messages.filter((m) => m.chatId === chat).map((m) => m.text);
    expect(byChat(CHATS.global)).toEqual([expect.stringContaining('kanim-medan: the config edit'), expect.stringContaining('a deployment-wide problem'), expect.stringContaining('2 of 50 posts left')]);
    expect(byChat(CHATS.medan)).toEqual([expect.stringContaining('kanim-medan: the config edit')]);
    expect(byChat(CHATS.makassar)).toEqual([expect.stringMatching(/^kanim-makassar: daily-cap\n/)]);
    // Each office's delivery remembers what it sent on its own.
    const delivered = await db.store.db.selectFrom('alert_deliveries').select(['scope', 'problem', 'delivered_at']).orderBy('scope').orderBy('problem').execute();
    expect(delivered.map((row) => ({ ...row, delivered_at: Number(row.delivered_at) }))).toEqual([
      { scope: 'global', problem: 'auth|', delivered_at: Date.parse('2026-11-27T06:30:00Z') },
      { scope: 'global', problem: 'config-invalid|', delivered_at: Date.parse('2026-11-27T06:30:00Z') },
      { scope: 'global', problem: 'daily-cap|', delivered_at: Date.parse('2026-11-27T06:30:00Z') },
      { scope: 'office:kanim-makassar', problem: 'daily-cap|', delivered_at: Date.parse('2026-11-27T06:30:00Z') },
      { scope: 'office:kanim-medan', problem: 'config-invalid|', delivered_at: Date.parse('2026-11-27T06:30:00Z') },
    ]);
    await closeOnManualClock(clock, [sink]);
  });
});
