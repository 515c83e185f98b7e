/**
 * Every channel driver in one explicit list: adding a platform means adding a
 * line here and a folder beside outbox/.
 */
import type { ChannelConfig, ChannelDriverName } from '../config/types';
import { AppError } from '../errors';
import type { Channel, ChannelDeps, ChannelFactory } from './channel';

/**
 * Each driver's module loads when a channel first uses it: `check`, `preview`
 * and `simulate` stand the outbox in for every platform and never pay for the
 * platform clients (twitter-api-v2 alone is ~80 ms of start-up).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const CHANNEL_DRIVERS: Partial<Record<ChannelDriverName, () => ChannelFactory>> = {
  outbox: () => (require('./outbox/outbox-channel') as typeof import('./outbox/outbox-channel')).createOutboxChannel,
  x: () => (require('./x/x-channel') as typeof import('./x/x-channel')).createXChannel,
  instagram: () => (require('./instagram/instagram-channel') as typeof import('./instagram/instagram-channel')).createInstagramChannel,
  facebook: () => (require('./facebook/facebook-channel') as typeof import('./facebook/facebook-channel')).createFacebookChannel,
  threads: () => (require('./threads/threads-channel') as typeof import('./threads/threads-channel')).createThreadsChannel,
  mastodon: () => (require('./mastodon/mastodon-channel') as typeof import('./mastodon/mastodon-channel')).createMastodonChannel,
  bluesky: () => (require('./bluesky/bluesky-channel') as typeof import('./bluesky/bluesky-channel')).createBlueskyChannel,
  telegram: () => (require('./telegram/telegram-channel') as typeof import('./telegram/telegram-channel')).createTelegramChannel,
  webhook: () => (require('./webhook/webhook-channel') as typeof import('./webhook/webhook-channel')).createWebhookChannel,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Builds one Channel per enabled channel config; an unavailable driver is a clear error. */
export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const config of configs) {
    if (!config.enabled) continue;
    const loadFactory = CHANNEL_DRIVERS[config.driver];
    if (!loadFactory) {
      throw new AppError(
        'config-invalid',
        `${config.location.file}:${config.location.line}:${config.location.col}: channel "${config.id}" uses driver "${config.driver}", which this version cannot publish with yet; use driver: outbox for a dry run`,
      );
    }
    // A driver's alert names its channel, so it reaches the channel's office (many offices).
    const alert = deps.alert;
    const channelDeps: ChannelDeps = alert ? { ...deps, alert: (kind, message) => alert(kind, message, config.id) } : deps;
    channels.set(config.id, loadFactory()(config, channelDeps));
  }
  return channels;
}

/** The same channels with every driver replaced by the outbox (used by `simulate`). */
export function createOutboxChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): Map<string, Channel> {
  return createChannels(
    configs.map((config) => ({ ...config, driver: 'outbox' as const })),
    deps,
  );
}
