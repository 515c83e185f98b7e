/**
 * Builders of the JSON facts a post carries. Only known fields are copied, so a
 * field added to the config or calendar types later (a source location, say)
 * never leaks into a caption's data or changes every fingerprint.
 */
import type { OfficeConfig } from '../config/types';
import type { Release } from '../calendar/types';
import type { PostFacts, ReleaseFacts } from './types';

/** The office part of PostFacts. */
export function buildOfficeFacts(office: OfficeConfig): PostFacts['office'] {
  const info: PostFacts['office']['info'] = { hashtags: [...office.info.hashtags] };
  if (office.info.bookingChannel !== undefined) info.bookingChannel = office.info.bookingChannel;
  if (office.info.website !== undefined) info.website = office.info.website;
  if (office.info.address !== undefined) info.address = office.info.address;
  if (office.info.phone !== undefined) info.phone = office.info.phone;
  return {
    id: office.id,
    name: office.name,
    shortName: office.shortName,
    timezone: office.timezone,
    locale: office.locale,
    info,
  };
}

/** The services of the office, in config order (the order captions list them in). */
export function buildServiceFacts(office: OfficeConfig): PostFacts['services'] {
  return office.services.map((service) => ({ id: service.id, name: service.name, shortName: service.shortName }));
}

/** A release as JSON facts: instants as ISO strings, days copied field by field. */
export function buildReleaseFacts(release: Release): ReleaseFacts {
  const facts: ReleaseFacts = {
    id: release.id,
    opensAt: release.opensAt.toISOString(),
    closesAt: release.closesAt ? release.closesAt.toISOString() : null,
    status: release.status,
    days: release.days.map((day) => ({ date: day.date, quota: { ...day.quota } })),
    removedDays: release.removedDays.map((day) => ({ date: day.date, reason: day.reason, kind: day.kind })),
  };
  if (release.cancelReason !== undefined) facts.cancelReason = release.cancelReason;
  if (release.note !== undefined) facts.note = release.note;
  return facts;
}
