/**
 * `/o/{office}/calendar.ics` and `/o/{office}/feed.atom`: the public feeds
 * (public/feeds/calendar-ics.ts, atom.ts) with conditional GET.
 */
import type { FastifyInstance } from 'fastify';
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
import { etagOf, isNotModified, sendCached, setValidators } from './http-cache';
import { FEED_ROUTE } from './route-options';

/** Entries in the Atom feed: about two months of a busy office; older ones are in the archive and the API. */
export const ATOM_ENTRIES = 50;
/** Raised when the feeds' output changes shape, so no client keeps a copy made by older code. */
const FORMAT = 1;

export async function requireOffice(offices: FeedOfficeLoader, officeId: string): Promise<FeedOffice> {
  const result = await offices(officeId);
  if (result.status === 'unknown') throw unknownOffice(officeId);
  if (result.status === 'unavailable') throw officeUnavailable(officeId);
  return result.data;
}

export function registerFeedRoutes(app: FastifyInstance, web: WebContext, offices: FeedOfficeLoader): void {
  app.get('/o/:office/calendar.ics', FEED_ROUTE, async (request, reply) => {
    const { office: officeId } = request.params as { office: string };
    const data = await requireOffice(offices, officeId);
    const versioned = await versionOpenings(web.store, officeId, data.openings, data.revisionId, web.clock.now());
    const urls = publicUrls(baseUrlOf(request, data.publicBaseUrl));
    const body = renderCalendar({ office: data.office, openings: versioned.openings, officePageUrl: urls.officePage(officeId), calendarUrl: urls.calendar(officeId) });
    // The body changes only when an opening (or the office) does: its own hash is the exact tag.
    return sendCached(request, reply, { etag: etagOf(FORMAT, body), lastModified: versioned.modifiedAt }, 'text/calendar; charset=utf-8', () => body);
  });

  app.get('/o/:office/feed.atom', FEED_ROUTE, async (request, reply) => {
    const { office: officeId } = request.params as { office: string };
    const data = await requireOffice(offices, officeId);
    const base = baseUrlOf(request, data.publicBaseUrl);
    // Checked before reading any announcement: a poll that finds nothing new costs one small query.
    const version = await announcementsVersion(web.store, officeId, { includeDryRun: data.announcementOptions.includeDryRun });
    const validators = { etag: etagOf(FORMAT, 'atom', data.revisionId, base, version.count, version.lastChange?.getTime() ?? null), lastModified: version.lastChange };
    if (isNotModified(request, validators)) {
      setValidators(reply, validators);
      return reply.code(304).send();
    }
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
    return sendCached(request, reply, validators, `${ATOM_TYPE}; charset=utf-8`, () => body);
  });
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
