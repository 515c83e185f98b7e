/**
 * National (and regional) public holidays from `date-holidays`, reduced to what
 * closes an office: a date and a local name.
 *
 * date-holidays parses its rule grammar on every call (tens of milliseconds per
 * country and year), and expansion runs for hundreds of offices, so results are
 * cached per country, region and year for the life of the process. The data is
 * bundled with the package: no I/O, no clock.
 */
import Holidays from 'date-holidays';
import type { HolidaysTypes } from 'date-holidays';
import type { PlainDate } from '../time/plain-date';
import { officialIndonesianName } from './holiday-names-id';

/** One date on which public offices are closed. */
export interface PublicHoliday {
  date: PlainDate;
  /** Name in the country's own language; for ID the official name ("Tahun Baru 2027 Masehi"). */
  name: string;
}

/**
 * Only `public` holidays close a government office. The other types are
 * deliberately ignored:
 * - `observance` (e.g. Valentinstag, Muttertag in DE) are not days off at all;
 * - `optional` days off are taken by some employees only (religious minorities);
 * - `bank` holidays close banks, and in DE they are half days (Heiliger Abend
 *   from 14:00), which a whole-day service calendar cannot express;
 * - `school` holidays close schools only.
 * date-holidays marks every Indonesian holiday (ID.yaml) as `public`, which
 * matches the national *hari libur nasional* list; *cuti bersama* (collective
 * leave) is not in the data and must be added by the office as closures.
 */
const CLOSING_TYPES: ReadonlySet<HolidaysTypes.HolidayType> = new Set(['public']);

/**
 * Per-country name sources: Indonesian holidays take the official names of the
 * joint decree (holiday-names-id.ts); other countries keep date-holidays' names.
 */
const OFFICIAL_NAMES: Record<string, (holiday: { rule: string; name: string; date: PlainDate }) => string | null> = {
  ID: officialIndonesianName,
};

const instances = new Map<string, Holidays | null>();
const yearCache = new Map<string, ReadonlyMap<PlainDate, string>>();

function keyOf(country: string, region: string | undefined): string {
  return region ? `${country.toUpperCase()}-${region.toUpperCase()}` : country.toUpperCase();
}

function instanceFor(country: string, region: string | undefined): Holidays | null {
  const key = keyOf(country, region);
  let instance = instances.get(key);
  if (instance === undefined) {
    // Built without a language: names then come in the country's first
    // language (Indonesian for ID, German for DE), which is what staff post.
    const created = region ? new Holidays(country, region) : new Holidays(country);
    instance = created.getCountries()[country.toUpperCase()] === undefined ? null : created;
    instances.set(key, instance);
  }
  return instance;
}

/**
 * Closed dates of one year, date → name. Several holidays on one date (in 2027
 * Isra Mikraj and Christmas both fall on 25 December) share one entry, names
 * joined with " / ".
 */
export function holidaysOfYear(country: string, region: string | undefined, year: number): ReadonlyMap<PlainDate, string> {
  const key = `${keyOf(country, region)}|${year}`;
  const cached = yearCache.get(key);
  if (cached) return cached;
  const byDate = new Map<PlainDate, string>();
  const instance = instanceFor(country, region);
  const official = OFFICIAL_NAMES[country.toUpperCase()];
  for (const holiday of instance?.getHolidays(year) ?? []) {
    if (!CLOSING_TYPES.has(holiday.type)) continue;
    // `date` is the local calendar date ("2026-03-20 00:00:00 -0600" for Islamic
    // feasts that begin at the previous sunset); `start` is an instant and would
    // land on the previous day in UTC, so it must not be used.
    const date = holiday.date.slice(0, 10);
    const name = official?.({ rule: holiday.rule, name: holiday.name, date }) ?? holiday.name;
    const existing = byDate.get(date);
    if (existing === undefined) byDate.set(date, name);
    else if (!existing.split(' / ').includes(name)) byDate.set(date, `${existing} / ${name}`);
  }
  yearCache.set(key, byDate);
  return byDate;
}

/** Public holidays of one year, sorted by date. */
export function listPublicHolidays(country: string, region: string | undefined, year: number): PublicHoliday[] {
  return [...holidaysOfYear(country, region, year)]
    .map(([date, name]) => ({ date, name }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * What is wrong with a holiday country/region, as messages that say what to
 * do; empty when date-holidays knows both. An unknown country would otherwise
 * silently yield no holidays at all, and the office would announce quota for
 * Christmas Day.
 */
export function validateHolidaySettings(country: string | null, region: string | undefined): string[] {
  if (country === null) return [];
  const key = keyOf(country, region);
  let messages = validationCache.get(key);
  if (messages === undefined) {
    messages = describeHolidaySettingsProblems(country, region);
    validationCache.set(key, messages);
  }
  return [...messages];
}

const validationCache = new Map<string, readonly string[]>();

function describeHolidaySettingsProblems(country: string, region: string | undefined): string[] {
  const known = new Holidays().getCountries();
  if (known[country.toUpperCase()] === undefined) {
    return [
      `holidays.country "${country}" is not a country date-holidays knows: use an ISO 3166-1 alpha-2 code such as "ID", or null to disable national holidays.`,
    ];
  }
  if (region) {
    const states = new Holidays().getStates(country.toUpperCase()) ?? {};
    if (states[region.toUpperCase()] === undefined) {
      const choices = Object.keys(states);
      const hint = choices.length > 0 ? `one of ${choices.join(', ')}` : 'nothing (this country has no regional holidays)';
      return [`holidays.region "${region}" is not a region of ${country.toUpperCase()}: use ${hint}.`];
    }
  }
  return [];
}
