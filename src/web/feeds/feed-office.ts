/**
 * The office a feed or API URL names, from its current config revision
 * (web/office-config.ts): the public office, its openings, how to read its
 * announcements, and the public base URL links are built on.
 *
 * Openings are kept per office, revision and minute: their states turn only
 * at whole minutes (config times are HH:MM), so a burst of calendar polls in
 * one minute expands the calendar once.
 */
import type { FastifyRequest } from 'fastify';
import type { Config, OfficeConfig } from '../../config/types';
import { officeOf } from '../../console/office-input';
import { publicOffice } from '../../public/offices';
import { publicOpenings } from '../../public/openings';
import type { PublicOffice, PublicOpening } from '../../public/types';
import type { WebContext } from '../console-page';

export interface FeedOffice {
  config: OfficeConfig;
  revisionId: number;
  office: PublicOffice;
  /** The openings shown now (the last 30 days and all planned ones). */
  openings: PublicOpening[];
  /** What public/announcements.ts needs to read this office's posts. */
  announcementOptions: { platformOf: (channelId: string) => string; includeDryRun: boolean };
  /** `settings.web.publicBaseUrl` when configured. */
  publicBaseUrl: string | null;
}

export type FeedOfficeResult =
  | { status: 'found'; data: FeedOffice }
  /** The deployment does not serve this office. */
  | { status: 'unknown' }
  /** Served, but its config cannot be read now (no revision yet, or a broken one). */
  | { status: 'unavailable' };

export type FeedOfficeLoader = (officeId: string) => Promise<FeedOfficeResult>;

const KEEP = 512;

export function createFeedOfficeLoader(web: Pick<WebContext, 'offices' | 'officeConfig' | 'clock'>): FeedOfficeLoader {
  const cache = new Map<string, FeedOffice>();
  return async (officeId) => {
    if (!web.offices().some((office) => office.id === officeId)) return { status: 'unknown' };
    const load = await web.officeConfig(officeId);
    if (load.status !== 'loaded') return { status: 'unavailable' };
    const now = web.clock.now();
    const key = `${officeId}\u0000${load.revisionId}\u0000${Math.floor(now.getTime() / 60_000)}`;
    let data = cache.get(key);
    if (!data) {
      data = feedOffice(officeOf(load.office), load.office.config, load.revisionId, now);
      cache.set(key, data);
      while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    }
    return { status: 'found', data };
  };
}

function feedOffice(config: OfficeConfig, whole: Config, revisionId: number, now: Date): FeedOffice {
  const platforms = new Map(config.channels.map((channel) => [channel.id, channel.platform]));
  // A demo deployment (every channel the outbox) shows its dry-run posts, as the archive page does: otherwise its feeds are empty.
  const dryRun = config.channels.length > 0 && config.channels.every((channel) => channel.driver === 'outbox');
  return {
    config,
    revisionId,
    office: publicOffice(config, now),
    openings: publicOpenings(config, now),
    announcementOptions: { platformOf: (channelId) => platforms.get(channelId) ?? channelId, includeDryRun: dryRun },
    publicBaseUrl: configuredBaseUrl(whole),
  };
}

/** `settings.web.publicBaseUrl` (added with the cards' QR codes); read loosely so configs without it load the same. */
function configuredBaseUrl(config: Config): string | null {
  const value = (config.settings.web as { publicBaseUrl?: unknown } | undefined)?.publicBaseUrl;
  return typeof value === 'string' && value !== '' ? value.replace(/\/+$/, '') : null;
}

/**
 * Where links point: the configured public address, else the address this
 * request came to (behind a proxy, `trustProxy` makes that the public one).
 * Production sets publicBaseUrl: a CDN must not keep a body built from one
 * client's Host header for everyone.
 */
export function baseUrlOf(request: FastifyRequest, configured: string | null): string {
  return configured ?? `${request.protocol}://${request.host}`;
}
