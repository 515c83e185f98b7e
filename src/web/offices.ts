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

/**
 * The summaries of the offices `current` returns, sorted by id: what the web
 * server asks for at every request. Recomputed only when `current` returns
 * another list (a reload builds a new config), so a page view costs one comparison.
 */
export function liveOfficeSummaries(current: () => readonly Pick<OfficeConfig, 'id' | 'name' | 'timezone' | 'locale'>[]): () => readonly OfficeSummary[] {
  let source: readonly unknown[] | null = null;
  let summaries: readonly OfficeSummary[] = [];
  return () => {
    const offices = current();
    if (offices !== source) {
      source = offices;
      summaries = offices.map(summarizeOffice).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return summaries;
  };
}
