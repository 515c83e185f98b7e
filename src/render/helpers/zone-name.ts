/**
 * Time-zone abbreviations for captions: Indonesia's three zones have official
 * names (WIB, WITA, WIT) that Intl does not produce (it says "GMT+7"), so they
 * are listed here; every other zone gets Intl's short name.
 */

const INDONESIAN_ZONES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const cache = new Map<string, string>();

function shortZoneName(locale: string, zone: string, instant: Date): string | null {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }).formatToParts(instant);
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? null;
  } catch {
    return null;
  }
}

/**
 * The abbreviation of `zone` at `instant` (it changes with daylight saving:
 * CET/CEST). Locales disagree on which zones get a letter abbreviation
 * (en-US knows EST but says GMT+1 for Berlin; en-GB knows CET but says GMT-5
 * for New York), so the office locale is tried first, then en-US and en-GB,
 * and the first real abbreviation wins over a "GMT+x" fallback.
 */
export function zoneAbbreviation(zone: string, instant: Date, locale: string): string {
  const fixed = INDONESIAN_ZONES[zone];
  if (fixed) return fixed;
  const hourKey = `${zone}|${locale}|${Math.floor(instant.getTime() / 3_600_000)}`;
  const cached = cache.get(hourKey);
  if (cached) return cached;
  let fallback: string | null = null;
  let found: string | null = null;
  for (const candidate of [locale, 'en-US', 'en-GB']) {
    const name = shortZoneName(candidate, zone, instant);
    if (!name) continue;
    fallback ??= name;
    if (!/^(GMT|UTC)/.test(name)) {
      found = name;
      break;
    }
  }
  const result = found ?? fallback ?? zone;
  if (cache.size > 5000) cache.clear();
  cache.set(hourKey, result);
  return result;
}
