/**
 * Every channel driver in one explicit list: adding a platform means adding a
 * line here and a folder beside outbox/.
 */
import type { ChannelConfig, ChannelDriverName } from '../config/types';
import { AppError } from '../errors';
import type { Channel, ChannelDeps, ChannelFactory } from './channel';
import { createOutboxChannel } from './outbox/outbox-channel';
import { createXChannel } from './x/x-channel';
import { createInstagramChannel } from './instagram/instagram-channel';

export const CHANNEL_DRIVERS: Partial<Record<ChannelDriverName, ChannelFactory>> = {
  outbox: createOutboxChannel,
  x: createXChannel,
  instagram: createInstagramChannel,
};

/** Builds one Channel per enabled channel config; an unavailable driver is a clear error. */
export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): Map<string, Channel> {
  const channels = new Map<string, Channel>();
  for (const config of configs) {
    if (!config.enabled) continue;
    const factory = CHANNEL_DRIVERS[config.driver];
    if (!factory) {
      throw new AppError(
        'config-invalid',
        `${config.location.file}:${config.location.line}:${config.location.col}: channel "${config.id}" uses driver "${config.driver}", which this version cannot publish with yet; use driver: outbox for a dry run`,
      );
    }
    channels.set(config.id, factory(config, deps));
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
