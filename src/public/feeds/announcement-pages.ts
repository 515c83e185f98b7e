/**
 * Pages of an office's announcements for the API, newest first, with a
 * cursor that survives ties: many announcements go out in the same minute
 * (every opening's h-1 post at 19:00), so "published before the last one
 * shown" alone would skip the rest of that minute. The cursor is the last
 * one's first publication and code, the order announcements.ts lists them in
 * (publication descending, then code descending).
 */
import { listAnnouncements, type AnnouncementQuery } from '../announcements';
import type { Store } from '../../store/open';
import type { PublicAnnouncement } from '../types';

export interface AnnouncementPage {
  from?: Date;
  to?: Date;
  /** Announcements first published before this instant… */
  before?: Date;
  /** …or at `before` itself with a code sorting below this one (the last one of the previous page). */
  beforeCode?: string;
  limit: number;
}

/** At most this many announcements share one instant on a page boundary (listAnnouncements' own cap). */
const TIES = 500;

export async function announcementPage(store: Store, officeId: string, page: AnnouncementPage, options: Pick<AnnouncementQuery, 'platformOf' | 'includeDryRun'>): Promise<PublicAnnouncement[]> {
  const range = { ...(page.from ? { from: page.from } : {}), ...(page.to ? { to: page.to } : {}) };
  if (!page.before || page.beforeCode === undefined) return listAnnouncements(store, officeId, { ...range, ...(page.before ? { before: page.before } : {}), limit: page.limit, ...options });
  const at = page.before.getTime();
  const inRange = (!page.from || page.from.getTime() <= at) && (!page.to || at < page.to.getTime());
  const ties = inRange
    ? (await listAnnouncements(store, officeId, { from: page.before, to: new Date(at + 1), limit: TIES, ...options }))
        .filter((announcement) => announcement.publishedAt.getTime() === at && announcement.code < page.beforeCode!)
        .slice(0, page.limit)
    : [];
  if (ties.length === page.limit) return ties;
  const older = await listAnnouncements(store, officeId, { ...range, before: page.before, limit: page.limit - ties.length, ...options });
  return [...ties, ...older];
}
