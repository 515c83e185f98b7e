/**
 * What every public page of an office starts from: the office as the public
 * sees it and its openings (public/offices.ts, public/openings.ts), from its
 * current config revision (web/office-config.ts), and how to read its
 * announcements (public/announcements.ts).
 *
 * Openings are kept per office, revision and minute: an opening's state turns
 * only at whole minutes (config times are HH:MM, a last service day ends at
 * midnight), so every view within one minute shows the same states, and a
 * busy opening minute expands the calendar once, not at every request.
 */
import type { OfficeConfig } from '../../config/types';
import { officeOf } from '../../console/office-input';
import { publicOffice } from '../../public/offices';
import { publicOpenings } from '../../public/openings';
import type { PublicOffice, PublicOpening } from '../../public/types';
import { zoneAbbreviation } from '../../render/helpers/zone-name';
import type { WebContext } from '../console-page';
import type { OfficeSummary } from '../offices';

export interface PublicOfficeData {
  office: PublicOffice;
  /** Null when the office's config cannot be read now (no revision yet, or a broken one): the page says so. */
  openings: PublicOpening[] | null;
  /** What announcements.ts needs to read this office's posts. */
  announcementOptions: { platformOf: (channelId: string) => string; includeDryRun: boolean };
  /** Every channel of the office is the outbox: nothing reaches a platform (the sample config, a demo). */
  dryRun: boolean;
}

const KEEP = 512;

export type OfficeDataLoader = (officeId: string) => Promise<PublicOfficeData | null>;

/** A loader for `web`'s offices; null for an office the deployment does not serve. */
export function createOfficeDataLoader(web: Pick<WebContext, 'offices' | 'officeConfig' | 'clock'>): OfficeDataLoader {
  const cache = new Map<string, PublicOfficeData>();
  return async (officeId) => {
    const summary = web.offices().find((office) => office.id === officeId);
    if (!summary) return null;
    const now = web.clock.now();
    const load = await web.officeConfig(officeId);
    if (load.status !== 'loaded') return withoutConfig(summary, now);
    const key = `${officeId}\u0000${load.revisionId}\u0000${Math.floor(now.getTime() / 60_000)}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const data = fromConfig(officeOf(load.office), now);
    cache.set(key, data);
    while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    return data;
  };
}

function fromConfig(config: OfficeConfig, now: Date): PublicOfficeData {
  const platforms = new Map(config.channels.map((channel) => [channel.id, channel.platform]));
  // A demo deployment (every channel the outbox) shows its dry-run posts, marked as such: otherwise its archive is empty.
  const dryRun = config.channels.length > 0 && config.channels.every((channel) => channel.driver === 'outbox');
  return {
    office: publicOffice(config, now),
    openings: publicOpenings(config, now),
    announcementOptions: { platformOf: (channelId) => platforms.get(channelId) ?? channelId, includeDryRun: dryRun },
    dryRun,
  };
}

function withoutConfig(summary: OfficeSummary, now: Date): PublicOfficeData {
  return {
    office: {
      id: summary.id,
      name: summary.name,
      shortName: summary.name,
      city: '',
      timezone: summary.timezone,
      zoneLabel: zoneAbbreviation(summary.timezone, now, 'id-ID'),
      bookingChannel: null,
      website: null,
      address: null,
      phone: null,
      hashtags: [],
      services: [],
    },
    openings: null,
    announcementOptions: { platformOf: (channelId) => channelId, includeDryRun: false },
    dryRun: false,
  };
}
