/**
 * The JSON API's bodies (`/api/v1/...`): the read models with instants as ISO
 * 8601 text (UTC, `Z`), each item's public addresses, and the calendar
 * SEQUENCE of each opening. The shapes are documented in openapi.ts; a field
 * may be added, never renamed (CONTRACT.md).
 */
import type { PublicAnnouncement, PublicOffice } from '../types';
import { announcementTitle, kindLabel } from './atom';
import { icsUid, type VersionedOpening } from './calendar-ics';
import type { PublicUrls } from './urls';

export interface OfficeJson extends PublicOffice {
  links: { page: string; archive: string; calendar: string; atom: string; api: string };
}

export function officeJson(office: PublicOffice, urls: PublicUrls): OfficeJson {
  return {
    ...office,
    links: { page: urls.officePage(office.id), archive: urls.archive(office.id), calendar: urls.calendar(office.id), atom: urls.atom(office.id), api: urls.apiOffice(office.id) },
  };
}

export interface OpeningJson extends Omit<VersionedOpening, 'opensAt' | 'closesAt' | 'modifiedAt'> {
  /** The ICS UID of the opening's event. */
  uid: string;
  opensAt: string;
  closesAt: string | null;
  /** When this version of the opening was first served (the event's LAST-MODIFIED). */
  modifiedAt: string;
}

export function openingJson(opening: VersionedOpening): OpeningJson {
  return {
    ...opening,
    uid: icsUid(opening),
    opensAt: opening.opensAt.toISOString(),
    closesAt: opening.closesAt?.toISOString() ?? null,
    modifiedAt: opening.modifiedAt.toISOString(),
  };
}

export interface AnnouncementJson {
  officeId: string;
  code: string;
  codeLabel: string;
  kind: PublicAnnouncement['kind'];
  kindLabel: string;
  title: string;
  ruleId: string;
  subject: string;
  releaseId: string | null;
  publishedAt: string;
  updatedAt: string;
  /** The archive entry (the announcement's permanent page). */
  url: string;
  channels: { channelId: string; platform: string; publishedAt: string; remoteUrl: string | null; text: string }[];
  cards: { index: number; width: number; height: number; alt: string; sha256: string; url: string }[];
  changes: PublicAnnouncement['changes'];
  correctedBy: string[];
}

export function announcementJson(announcement: PublicAnnouncement, office: Pick<PublicOffice, 'timezone'>, urls: PublicUrls, openingTimes: ReadonlyMap<string, Date>): AnnouncementJson {
  return {
    officeId: announcement.officeId,
    code: announcement.code,
    codeLabel: announcement.codeLabel,
    kind: announcement.kind,
    kindLabel: kindLabel(announcement.kind),
    title: announcementTitle(announcement, office, openingTimes),
    ruleId: announcement.ruleId,
    subject: announcement.subject,
    releaseId: announcement.releaseId,
    publishedAt: announcement.publishedAt.toISOString(),
    updatedAt: announcement.updatedAt.toISOString(),
    url: urls.archiveEntry(announcement.officeId, announcement.code),
    channels: announcement.channels.map((channel) => ({ ...channel, publishedAt: channel.publishedAt.toISOString() })),
    cards: announcement.cards.map((card) => ({ ...card, url: urls.card(announcement.officeId, announcement.code, card.index) })),
    changes: announcement.changes,
    correctedBy: announcement.correctedBy,
  };
}

export interface ApiError {
  /** `not-found`, `bad-request`, `unavailable`, `internal`. */
  error: string;
  /** What went wrong, in English, for the developer reading it. */
  message: string;
}
