/** An office as the public index and pages show it: who it is, where, how to book. */
import type { OfficeConfig } from '../config/types';
import { zoneAbbreviation } from '../render/helpers/zone-name';
import type { PublicOffice } from './types';

export function publicOffice(office: OfficeConfig, now: Date): PublicOffice {
  return {
    id: office.id,
    name: office.name,
    shortName: office.shortName,
    city: office.info.city ?? '',
    timezone: office.timezone,
    // The abbreviation in force now (a zone with summer time has two).
    zoneLabel: zoneAbbreviation(office.timezone, now, 'id-ID'),
    bookingChannel: office.info.bookingChannel ?? null,
    website: office.info.website ?? null,
    address: office.info.address ?? null,
    phone: office.info.phone ?? null,
    hashtags: [...office.info.hashtags],
    services: office.services.map((service) => ({ id: service.id, name: service.name, shortName: service.shortName })),
  };
}
