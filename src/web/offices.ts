/** What the web side needs to know of an office: it never sees channels or credentials. */
import type { OfficeConfig } from '../config/types';

export interface OfficeSummary {
  id: string;
  name: string;
  timezone: string;
  locale: string;
}

export function summarizeOffice(office: Pick<OfficeConfig, 'id' | 'name' | 'timezone' | 'locale'>): OfficeSummary {
  return { id: office.id, name: office.name, timezone: office.timezone, locale: office.locale };
}
