/**
 * What each driver needs in its channel entry beyond the schema, checked when
 * the config loads so `check` names the line days before a post fails. The
 * drivers refuse the same gaps again when they are built (a missing
 * environment variable can only be seen there).
 */
import type { ChannelConfig, ChannelDriverName, Settings } from './types';
import type { Checker } from './checks';
import { webhookUrlProblem } from '../channels/webhook/webhook-url';

interface Requirement {
  missing(channel: ChannelConfig, settings: Settings): boolean;
  /** The key the error points at, below the channel (default: the channel entry). */
  at?: 'driver' | 'url';
  /** What to do; a function where the message depends on what was written. */
  message: string | ((channel: ChannelConfig) => string);
}

/** Platforms that fetch each card themselves from a public https address (the bot's media server). */
const needsMediaServer = (platform: string): Requirement => ({
  missing: (channel, settings) => channel.enabled && !settings.mediaServer,
  at: 'driver',
  message: `the ${platform.toLowerCase()} driver needs the media server: ${platform} fetches each image from a public https address. Add settings.mediaServer.publicBaseUrl (see README, "Connect ${platform}").`,
});

const DRIVER_REQUIREMENTS: Partial<Record<ChannelDriverName, readonly Requirement[]>> = {
  instagram: [
    needsMediaServer('Instagram'),
    {
      missing: (channel) => !channel.accountId && !channel.credentials.userId,
      message: 'an instagram channel needs its account id: add accountId (the IG user id, a number) or credentials.userId naming an environment variable.',
    },
  ],
  facebook: [
    {
      missing: (channel) => !channel.pageId,
      message: 'a facebook channel needs its Page id: add pageId (a number: Page → About → Page transparency, or Meta Business Suite → Settings; see README, "Connect a Facebook Page").',
    },
  ],
  threads: [
    needsMediaServer('Threads'),
    {
      missing: (channel) => !channel.accountId && !channel.credentials.userId,
      message: 'a threads channel needs its user id: add accountId (the Threads user id, a number) or credentials.userId naming an environment variable.',
    },
  ],
  mastodon: [
    {
      missing: (channel) => !channel.baseUrl,
      message: 'a mastodon channel needs baseUrl: the address of the office\'s instance, e.g. https://mastodon.social (see README, "Connect Mastodon").',
    },
    {
      missing: (channel) => !channel.credentials.accessToken,
      message: 'a mastodon channel needs credentials.accessToken: the name of the environment variable holding its access token, e.g. MASTODON_TOKEN.',
    },
  ],
  bluesky: [
    {
      missing: (channel) => !channel.handle,
      message: 'a bluesky channel needs handle: the account that posts, e.g. kanimpontianak.bsky.social (see README, "Connect Bluesky").',
    },
    {
      missing: (channel) => !channel.credentials.appPassword,
      message: 'a bluesky channel needs credentials.appPassword: the name of the environment variable holding an app password, e.g. BLUESKY_APP_PASSWORD (see README, "Connect Bluesky").',
    },
  ],
  telegram: [
    {
      missing: (channel) => !channel.chatId,
      message: 'a telegram channel needs chatId: the channel as "@username" or its numeric id "-100…" (in quotes), see README, "Connect a Telegram channel".',
    },
    {
      missing: (channel) => !channel.credentials.botToken,
      message: 'a telegram channel needs credentials.botToken: the name of the environment variable holding the bot token from @BotFather, e.g. { botToken: TG_CHANNEL_BOT_TOKEN }.',
    },
  ],
  webhook: [
    {
      missing: (channel) => channel.url === undefined,
      message: 'a webhook channel needs url: the https address of the receiver (see README, "Connect a webhook").',
    },
    {
      missing: (channel) => channel.url !== undefined && webhookUrlProblem(channel.url) !== null,
      at: 'url',
      message: (channel) => webhookUrlProblem(channel.url!)!,
    },
    {
      missing: (channel) => !channel.credentials.secret,
      message: 'a webhook channel needs credentials.secret: the NAME of the environment variable holding its whsec_… signing secret.',
    },
  ],
};

export function checkDriverRequirements(checker: Checker, channel: ChannelConfig, index: number, settings: Settings): void {
  for (const requirement of DRIVER_REQUIREMENTS[channel.driver] ?? []) {
    if (requirement.missing(channel, settings)) {
      const message = typeof requirement.message === 'string' ? requirement.message : requirement.message(channel);
      checker.error(requirement.at ? ['channels', index, requirement.at] : ['channels', index], message);
    }
  }
}
