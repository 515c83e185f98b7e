/**
 * The Telegram driver in the channel contract suite: the real driver against
 * the fake Bot API (one fake for the file, emptied for each test, following
 * the test's virtual clock). `readsBack: false`: a bot cannot read a channel's
 * history, so readBack must throw rather than answer "nothing there".
 */
import { createTelegramChannel } from '../../../src/channels/telegram/telegram-channel';
import { createSilentLogger } from '../../../src/logger';
import { startFakeTelegramServer, type FakeTelegramServer } from '../../fakes/fake-telegram-server';
import type { ContractClock, DriverHarness } from './harness';

const TOKEN = '7000000002:contract-telegram-token';
const CHAT = { id: '-1001000000001', username: 'kontrak', title: 'Kontrak', type: 'channel' as const };
let fake: FakeTelegramServer | null = null;
let clock: ContractClock | null = null;

export const harness: DriverHarness = {
  name: 'telegram (Bot API via fetch, fake server)',
  readsBack: false,
  async setup() {
    fake = await startFakeTelegramServer({ token: TOKEN, chats: [CHAT], now: () => clock?.now() ?? new Date() });
  },
  async teardown() {
    await fake?.close();
  },
  create(dir, testClock) {
    fake!.reset();
    clock = testClock;
    return createTelegramChannel(
      { id: 'telegram', driver: 'telegram', platform: 'telegram', baseUrl: fake!.url, chatId: CHAT.id, credentials: { botToken: 'TG_CONTRACT_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: testClock, logger: createSilentLogger(), outboxDir: dir, env: { TG_CONTRACT_TOKEN: TOKEN }, fetch },
    );
  },
  published: () => fake!.posts().length,
};
