/**
 * The Telegram channel as the fault tests use it: the fake Bot API with one
 * public channel, the real driver configured by YAML.
 *
 * What differs from the platforms that can be read back: a bot cannot read
 * its channel, so every send whose outcome is unknown stays `unknown` in the
 * ledger for staff (the driver raises `unclear-outcome` at once) and is never
 * re-sent. Hence:
 * - `server-error` cannot be armed: a 5xx on a send is unclear for Telegram
 *   (the bot cannot tell it from a post that went out), so the post would
 *   wait for staff instead of being retried, which is what that fault tests;
 * - `drop-after-create` is armed: the post is on the channel once, and stays
 *   `unknown` in the ledger with an alert (test/schedule/reconcile-telegram);
 * - a bot killed after the `sending` checkpoint likewise leaves the post
 *   `unknown` (reconcile-undecided once its deadline passed), never doubled.
 *
 * The three sending methods are one route here (`createRoute`): which one a
 * post uses depends on its number of cards (sendMessage, sendPhoto,
 * sendMediaGroup). Route names carry `<token>`, never the token.
 */
import { startFakeTelegramServer } from '../../fakes/fake-telegram-server';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platform';

const TOKEN = '7000000003:AAF-faults-telegram-SEKRET-7f3a';
const CHAT = { id: '-1001555000111', username: 'kanimfaults', title: 'Kanim Faults', type: 'channel' as const };
const CREATE_ROUTE = 'POST /bot<token>/sendPhoto|sendMediaGroup|sendMessage';
const SENDS = new Set(['sendPhoto', 'sendMediaGroup', 'sendMessage']);

export const startPlatform: StartPlatform = async () => {
  const server = await startFakeTelegramServer({ token: TOKEN, chats: [CHAT] });
  const platform: FaultPlatform = {
    id: 'telegram',
    secrets: { TG_CHANNEL_BOT_TOKEN: TOKEN },
    channelYaml: `{ id: telegram, driver: telegram, baseUrl: "${server.url}", chatId: "${CHAT.id}", credentials: { botToken: TG_CHANNEL_BOT_TOKEN } }`,
    published: () => server.posts(CHAT.id).map((post) => ({ text: post.text, at: post.at, remoteId: post.messageIds.join(',') })),
    calls: () => server.requests.map((method) => (SENDS.has(method) ? CREATE_ROUTE : `POST /bot<token>/${method}`)),
    createRoute: CREATE_ROUTE,
    arm(fault: ArmedFault): boolean {
      switch (fault) {
        case 'server-error':
          return false;
        case 'rate-limit':
          server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 2 });
          return true;
        case 'drop-after-create':
          server.faults.push({ kind: 'drop', after: true });
          return true;
        case 'slow':
          server.faults.push({ kind: 'slow', ms: 3_000 });
          return true;
      }
    },
    close: () => server.close(),
  };
  return platform;
};
