/**
 * `check --online` for a Telegram channel (verify: getMe, getChat,
 * getChatMember; never posts) and the channel's configuration: the token's
 * env variable and chatId, refused with what to do.
 */
import path from 'node:path';
import { createTelegramChannel } from '../../../src/channels/telegram/telegram-channel';
import { createVirtualClock } from '../../../src/clock';
import { loadConfig } from '../../../src/config/load';
import { createSilentLogger } from '../../../src/logger';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from '../../config/helpers';
import { CHANNEL, PRIVATE_CHANNEL, START, expectNoToken, failureOf, startTelegramRig, telegramConfig, type TelegramRig } from './telegram-rig';

describe('channels/telegram: verify (check --online)', () => {
  let rig: TelegramRig;
  beforeEach(async () => {
    rig = await startTelegramRig();
  });
  afterEach(async () => rig.close());

  it('reports the bot, the channel and its rights; the token does not expire; nothing is posted', async () => {
    const report = await rig.channel.verify!(START);
    expect(report).toEqual({
      channelId: 'telegram',
      account: '@kanimptk',
      details: [
        `API host: ${rig.server.url}`,
        'bot token from @BotFather (does not expire; /revoke replaces it)',
        'photos carry no alt text on Telegram',
        'bot: @herald_test_bot',
        'channel: Kanim Pontianak (@kanimptk, id -1001234567890)',
        'the bot is an administrator allowed to post messages',
      ],
      tokenExpiresAt: null,
      problems: [],
    });
    expect(rig.server.requests).toEqual(['getMe', 'getChat', 'getChatMember']);
    expect(rig.server.messages).toEqual([]);
  });

  it('a private channel: named by its title, no post links', async () => {
    const report = await rig.channelWith({ chatId: PRIVATE_CHANNEL.id }).verify!(START);
    expect(report.account).toBe('Kanim Pontianak (staf)');
    expect(report.details).toContain('post links: none (a private channel has no public link)');
    expect(report.problems).toEqual([]);
  });

  it.each([
    ['an administrator without "Post messages"', 'administrator' as const, /status administrator, without "Post messages"/],
    ['a plain member', 'member' as const, /status member/],
    ['removed from the channel', 'left' as const, /status left/],
  ])('the bot %s: an error saying to add it as administrator with "Post messages"', async (_, status, said) => {
    rig.server.setBotStatus(CHANNEL.id, status, false);
    const report = await rig.channel.verify!(START);
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringMatching(said) }]);
    expect(report.problems[0]!.message).toContain('add the bot with "Post messages"');
  });

  it('a revoked token: an error saying to take a new one from @BotFather; the token is in no problem', async () => {
    rig.server.revokeToken();
    const report = await rig.channel.verify!(START);
    expect(report.account).toBeNull();
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringMatching(/Telegram bot check \(getMe\) failed: .*@BotFather.*TG_CHANNEL_BOT_TOKEN/) }]);
    expectNoToken(report);
    expect(rig.server.requests).toEqual(['getMe']);
  });

  it('an unknown channel: an error saying to check chatId', async () => {
    const report = await rig.channelWith({ chatId: '@salahnama' }).verify!(START);
    expect(report.problems).toEqual([{ severity: 'error', message: expect.stringContaining('check chatId in herald.yaml') }]);
  });
});

describe('channels/telegram: configuration', () => {
  const deps = (env: Record<string, string>) => ({ clock: createVirtualClock(START), logger: createSilentLogger(), outboxDir: '/nonexistent', env, fetch });

  it('refuses a missing env variable by name, never a value', async () => {
    const failure = await failureOf(Promise.resolve().then(() => createTelegramChannel(telegramConfig(), deps({}))));
    expect((failure as Error).message).toBe('channel "telegram": the environment variable TG_CHANNEL_BOT_TOKEN is not set: put the bot token from @BotFather in .env as TG_CHANNEL_BOT_TOKEN=…');
  });

  it('refuses a channel without credentials.botToken or chatId, at its place in herald.yaml', async () => {
    const noToken = await failureOf(Promise.resolve().then(() => createTelegramChannel(telegramConfig({ credentials: {} }), deps({}))));
    expect((noToken as Error).message).toMatch(/^herald\.yaml:40:5: channel "telegram" needs credentials\.botToken/);
    const { chatId: _omitted, ...withoutChat } = telegramConfig();
    const noChat = await failureOf(Promise.resolve().then(() => createTelegramChannel(withoutChat, deps({ TG_CHANNEL_BOT_TOKEN: 'x' }))));
    expect((noChat as Error).message).toMatch(/^herald\.yaml:40:5: channel "telegram" needs chatId: the channel as @username or its numeric id \(-100…\)/);
  });

  it('`check` reports a telegram channel without chatId at file:line:col', () => {
    const herald = MINIMAL_HERALD.replace('  - { id: x, driver: outbox, platform: x }', '  - { id: x, driver: outbox, platform: x }\n  - { id: tg, driver: telegram, credentials: { botToken: TG_CHANNEL_BOT_TOKEN } }');
    const dir = writeTempDir({ 'herald.yaml': herald, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    expect(problemAt(problems, path.join(dir, 'herald.yaml'), 10, 5).message).toMatch(/a telegram channel needs chatId/);

    const fixed = writeTempDir({ 'herald.yaml': herald.replace('TG_CHANNEL_BOT_TOKEN }', 'TG_CHANNEL_BOT_TOKEN }, chatId: "@kanimptk"'), ...MINIMAL_TEMPLATES });
    expect(loadConfig(fixed).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
