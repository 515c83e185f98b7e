/** Builds the swappable part of a running bot (config, templates, channels). */
import type { ChannelDeps } from '../channels/channel';
import { createChannels, createOutboxChannels } from '../channels/registry';
import type { Runtime } from '../schedule/scheduler';
import type { Loaded } from './load-all';

export function buildRuntime(loaded: Loaded, deps: ChannelDeps, generation: number, options: { outboxOnly?: boolean } = {}): Runtime {
  const configs = loaded.config.offices.flatMap((office) => office.channels);
  const channels = options.outboxOnly ? createOutboxChannels(configs, deps) : createChannels(configs, deps);
  return { config: loaded.config, templates: loaded.templates, ...(loaded.officeTemplates ? { officeTemplates: loaded.officeTemplates } : {}), channels, generation };
}
