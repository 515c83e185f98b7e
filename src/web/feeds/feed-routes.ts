/**
 * `/o/{office}/calendar.ics` and `/o/{office}/feed.atom`: the public feeds
 * (public/feeds/calendar-ics.ts, atom.ts), kept by web/public-cache.ts, which
 * answers conditional GETs (the body's hash is the ETag).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { announcementsVersion, findAnnouncementsByCode, listAnnouncements } from '../../public/announcements';
import { announcedOpeningTimes } from '../../public/feeds/announced-openings';
import { ATOM_TYPE, renderAtom } from '../../public/feeds/atom';
import { renderCalendar } from '../../public/feeds/calendar-ics';
import { publicUrls, tagAuthority } from '../../public/feeds/urls';
import { versionOpenings } from '../../public/feeds/versioned-openings';
import type { PublicAnnouncement } from '../../public/types';
import { listRevisions } from '../../store/config-revisions';
import type { WebContext } from '../console-page';
import { officeUnavailable, unknownOffice } from './api-errors';
import { baseUrlOf, type FeedOffice, type FeedOfficeLoader } from './feed-office';
import { FEED_POLICY, type BuiltResponse } from '../public-cache';
import { minuteOf } from '../public-version';
import { FEED_ROUTE } from './route-options';

/** Entries in the Atom feed: about two months of a busy office; older ones are in the archive and the API. */
export const ATOM_ENTRIES = 50;

export async function requireOffice(offices: FeedOfficeLoader, officeId: string): Promise<FeedOffice> {
  const result = await offices(officeId);
  if (result.status === 'unknown') throw unknownOffice(officeId);
  if (result.status === 'unavailable') throw officeUnavailable(officeId);
  return result.data;
}

export function registerFeedRoutes(app: FastifyInstance, web: WebContext, offices: FeedOfficeLoader): void {
  // Both feeds are built once per office and version and kept (web/public-cache.ts): an opening
  // minute's burst of calendar polls reads two kept values, not the office's config and rows.
  app.get('/o/:office/calendar.ics', FEED_ROUTE, async (request, reply) => {
    const { office: officeId } = request.params as { office: string };
    if (!web.offices().some((office) => office.id === officeId)) throw unknownOffice(officeId);
    // Per minute: the calendar's Last-Modified moves when an opening's state turns (versioned-openings.ts).
    const now = web.clock.now();
    const version = `${await web.publicVersions.of(officeId)}:${minuteOf(now)}`;
    return web.publicCache.serve(request, reply, { key: `ics:${officeId}:${baseUrlOf(request, null)}`, version, policy: FEED_POLICY }, async () => {
      const data = await requireOffice(offices, officeId);
      const versioned = await versionOpenings(web.store, officeId, data.openings, data.revisionId, now);
      const urls = publicUrls(baseUrlOf(request, data.publicBaseUrl));
      const body = renderCalendar({ office: data.office, openings: versioned.openings, officePageUrl: urls.officePage(officeId), calendarUrl: urls.calendar(officeId) });
      return { body, contentType: 'text/calendar; charset=utf-8', lastModified: versioned.modifiedAt };
    });
  });

  app.get('/o/:office/feed.atom', FEED_ROUTE, async (request, reply) => {
    const { office: officeId } = request.params as { office: string };
    if (!web.offices().some((office) => office.id === officeId)) throw unknownOffice(officeId);
    // Read at each poll (two small queries): a reader polling right after a post gets it.
    const version = await web.publicVersions.of(officeId, { fresh: true });
    return web.publicCache.serve(request, reply, { key: `atom:${officeId}:${baseUrlOf(request, null)}`, version, policy: FEED_POLICY }, () => atomFeed(web, request, officeId, offices));
  });
}

async function atomFeed(web: WebContext, request: FastifyRequest, officeId: string, offices: FeedOfficeLoader): Promise<BuiltResponse> {
  const data = await requireOffice(offices, officeId);
  const base = baseUrlOf(request, data.publicBaseUrl);
  const version = await announcementsVersion(web.store, officeId, { includeDryRun: data.announcementOptions.includeDryRun });
  const announcements = await listAnnouncements(web.store, officeId, { limit: ATOM_ENTRIES, ...data.announcementOptions });
  const urls = publicUrls(base);
  const body = renderAtom({
    office: data.office,
    announcements,
    urls,
    idAuthority: tagAuthority(data.publicBaseUrl),
    publishedByCode: await correctionTimes(web, officeId, announcements, data),
    openingTimes: await announcedOpeningTimes(web.store, announcements),
    emptyUpdated: announcements.length > 0 ? new Date(0) : await officeConfiguredAt(web, officeId),
  });
  return { body, contentType: `${ATOM_TYPE}; charset=utf-8`, lastModified: version.lastChange };
}

/**
 * When each correction named in `correctedBy` was published: from the list
 * itself (a correction is newer than what it corrects, so it is usually on the
 * same page), else looked up by its code.
 */
export async function correctionTimes(web: WebContext, officeId: string, announcements: readonly PublicAnnouncement[], data: FeedOffice): Promise<Map<string, Date>> {
  const times = new Map(announcements.map((announcement) => [announcement.code, announcement.publishedAt]));
  const missing = [...new Set(announcements.flatMap((announcement) => announcement.correctedBy))].filter((code) => !times.has(code));
  for (const code of missing) {
    const [found] = await findAnnouncementsByCode(web.store, code, officeId, data.announcementOptions);
    if (found) times.set(code, found.publishedAt);
  }
  return times;
}

/** The feed's `updated` before anything was announced: when the office's config last changed. */
async function officeConfiguredAt(web: WebContext, officeId: string): Promise<Date> {
  const [latest] = await listRevisions(web.store, { officeId, limit: 1 });
  return latest?.createdAt ?? new Date(0);
}
