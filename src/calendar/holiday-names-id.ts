/**
 * Official Indonesian names of the national holidays, as the yearly joint
 * decree (SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang
 * Hari Libur Nasional dan Cuti Bersama) writes them: "Tahun Baru 2027 Masehi",
 * "Hari Raya Idulfitri 1448 Hijriah", "Tahun Baru Imlek 2578 Kongzili".
 *
 * Why: date-holidays' Indonesian data has informal names ("Hari tahun baru"),
 * no era years, and one wrong one (27 Rajab, Isra Mikraj, is called "Maulid
 * Nabi Muhammad", the name of 12 Rabiulawal). The public reads these names in
 * every post that skips a holiday.
 *
 * Keyed by date-holidays' rule, which is stable across years; Nyepi and Waisak
 * have one literal date per year as their rule, so they are keyed by the
 * library's name instead.
 */
import type { PlainDate } from '../time/plain-date';

type NameOf = (date: PlainDate) => string;

const yearOf = (date: PlainDate): number => Number(date.slice(0, 4));

/**
 * The Hijri year of an Islamic feast. Umm al-Qura can differ from Indonesia's
 * sighting by a day or two, so the date is moved a few days into the month
 * first: the year is then right even for 1 Muharram, the first day of a year.
 */
function hijriYearOf(date: PlainDate): number {
  const noon = new Date(`${date}T12:00:00Z`);
  noon.setUTCDate(noon.getUTCDate() + 5);
  const year = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { year: 'numeric', timeZone: 'UTC' })
    .formatToParts(noon)
    .find((part) => part.type === 'year');
  return Number(year?.value);
}

/** date-holidays rule → official name. */
const BY_RULE: Record<string, NameOf> = {
  '01-01': (date) => `Tahun Baru ${yearOf(date)} Masehi`,
  '27 Rajab': () => 'Isra Mikraj Nabi Muhammad SAW',
  // Kongzili years count from Confucius' birth: Gregorian + 551.
  'chinese 01-0-01': (date) => `Tahun Baru Imlek ${yearOf(date) + 551} Kongzili`,
  '1 Shawwal': (date) => `Hari Raya Idulfitri ${hijriYearOf(date)} Hijriah`,
  '2 Shawwal': (date) => `Hari Raya Idulfitri ${hijriYearOf(date)} Hijriah`,
  'easter -2': () => 'Wafat Yesus Kristus',
  easter: () => 'Kebangkitan Yesus Kristus (Paskah)',
  '05-01': () => 'Hari Buruh Internasional',
  'easter 39': () => 'Kenaikan Yesus Kristus',
  '10 Dhu al-Hijjah': (date) => `Hari Raya Iduladha ${hijriYearOf(date)} Hijriah`,
  '06-01': () => 'Hari Lahir Pancasila',
  '1 Muharram': (date) => `Tahun Baru Islam ${hijriYearOf(date)} Hijriah`,
  '08-17': () => 'Hari Proklamasi Kemerdekaan Republik Indonesia',
  '12 Rabi al-awwal': () => 'Maulid Nabi Muhammad SAW',
  '12-25': () => 'Hari Raya Natal',
};

/** date-holidays name → official name, for holidays whose rule is a literal date. */
const BY_LIBRARY_NAME: Record<string, NameOf> = {
  // Saka years: Gregorian − 78 (Nyepi opens the new Saka year).
  'Hari Raya Nyepi': (date) => `Hari Suci Nyepi Tahun Baru Saka ${yearOf(date) - 78}`,
  // Buddhist Era: Gregorian + 544.
  'Hari Raya Waisak': (date) => `Hari Raya Waisak ${yearOf(date) + 544} BE`,
};

/**
 * The official name of an Indonesian holiday, or null when the holiday is not
 * known here (a rule date-holidays adds later keeps the library's name).
 */
export function officialIndonesianName(holiday: { rule: string; name: string; date: PlainDate }): string | null {
  const nameOf = (Object.hasOwn(BY_RULE, holiday.rule) ? BY_RULE[holiday.rule] : undefined) ??
    (Object.hasOwn(BY_LIBRARY_NAME, holiday.name) ? BY_LIBRARY_NAME[holiday.name] : undefined);
  return nameOf ? nameOf(holiday.date) : null;
}
