/**
 * Offices unlike the sample, for the card tests and the gallery
 * (scripts/gallery.ts): twice-monthly Batam with three services, a monthly
 * office in WITA with four services and a long booking text, one service on
 * one day in WIT, six services over 31 days with counts up to 99.999, an empty
 * week, a cancellation and a correction.
 */
import type { PlannedPost, PostFacts, ReleaseFacts } from '../../src/plan/types';
import { addDays, weekdayOf } from '../../src/time/plain-date';
import { aPost, aRelease } from './post-builder';

type Office = PostFacts['office'];
type Services = PostFacts['services'];

const BATAM: Office = {
  id: 'kanim-batam',
  name: 'Kantor Imigrasi Kelas I Khusus TPI Batam',
  shortName: 'Imigrasi Batam',
  timezone: 'Asia/Jakarta',
  locale: 'id-ID',
  info: { bookingChannel: 'aplikasi M-Paspor', hashtags: ['ImigrasiBatam', 'MPaspor'] },
};

const BATAM_SERVICES: Services = [
  { id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler' },
  { id: 'ekspres', name: 'Layanan Ekspres', shortName: 'Ekspres' },
  { id: 'prioritas', name: 'Layanan Prioritas', shortName: 'Prioritas' },
];

const LONG_BOOKING = 'aplikasi M-Paspor (unduh di Play Store atau App Store)';

/** ~100 characters, as some offices write their full name. */
const LONG_NAME = 'Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Makassar, Direktorat Jenderal Imigrasi Sulawesi Selatan';

const MAKASSAR: Office = {
  id: 'kanim-makassar',
  name: LONG_NAME,
  shortName: 'Imigrasi Makassar',
  timezone: 'Asia/Makassar',
  locale: 'id-ID',
  info: { bookingChannel: LONG_BOOKING, hashtags: ['ImigrasiMakassar', 'MPaspor', 'KuotaPasporMakassar'] },
};

const FOUR_SERVICES: Services = [
  { id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler' },
  { id: 'percepatan', name: 'Paspor Percepatan', shortName: 'Cepat' },
  { id: 'lansia', name: 'Lansia dan Disabilitas', shortName: 'Lansia' },
  { id: 'umroh', name: 'Paspor Umroh dan Haji', shortName: 'Umroh' },
];

const SIX_SERVICES: Services = [
  { id: 's1', name: 'Paspor Reguler 48 Halaman', shortName: 'Reguler' },
  { id: 's2', name: 'Paspor Elektronik', shortName: 'Elektronik' },
  { id: 's3', name: 'Layanan Percepatan Sehari Jadi', shortName: 'Percepatan' },
  { id: 's4', name: 'Lansia dan Disabilitas', shortName: 'Lansia' },
  { id: 's5', name: 'Paspor Umroh dan Haji', shortName: 'Umroh' },
  { id: 's6', name: 'Pekerja Migran Indonesia', shortName: 'PMI' },
];

/** Working days (Mon–Fri) from `from` to `to`, minus `holidays`. */
function workingDays(from: string, to: string, holidays: string[] = []): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const wd = weekdayOf(d);
    if (wd !== 0 && wd !== 6 && !holidays.includes(d)) days.push(d);
  }
  return days;
}

function release(overrides: Partial<ReleaseFacts>): ReleaseFacts {
  return aRelease({ note: undefined, ...overrides });
}

/** Batam, twice monthly: 200 regular, 35 express, 50 priority a day; Fridays fewer; 11 service days and a holiday. */
export function batamTwiceMonthly(): PlannedPost {
  const holiday = '2027-01-12';
  const days = workingDays('2027-01-04', '2027-01-19', [holiday]).map((date) => ({
    date,
    quota: weekdayOf(date) === 5 ? { reguler: 150, ekspres: 35, prioritas: 30 } : { reguler: 200, ekspres: 35, prioritas: 50 },
  }));
  return aPost({
    template: 'opening',
    channelId: 'instagram',
    dueAt: '2026-12-30T01:00:00.000Z',
    office: BATAM,
    facts: {
      services: BATAM_SERVICES,
      timing: { kind: 'before-opening', minutes: 0 },
      release: release({
        id: 'dua-mingguan@2026-12-30',
        opensAt: '2026-12-30T01:00:00.000Z',
        days,
        removedDays: [{ date: holiday, reason: 'Libur Daerah', kind: 'closure' }],
      }),
    },
  });
}

/** Makassar (WITA), monthly: four services, counts changing by week, New Year and Isra Mikraj off, long booking text. */
export function makassarMonthly(): PlannedPost {
  const holidays = ['2027-02-05', '2027-02-17'];
  const days = workingDays('2027-02-01', '2027-02-26', holidays).map((date) => {
    const week = Math.floor((Number(date.slice(8)) - 1) / 7);
    return { date, quota: { reguler: 150 + week * 10, percepatan: 20, lansia: 15, umroh: week === 3 ? 60 : 40 } };
  });
  return aPost({
    template: 'h-1',
    channelId: 'instagram',
    dueAt: '2027-01-24T11:00:00.000Z',
    office: MAKASSAR,
    facts: {
      services: FOUR_SERVICES,
      release: release({
        id: 'bulanan@2027-01-25',
        opensAt: '2027-01-25T00:00:00.000Z',
        days,
        removedDays: [
          { date: '2027-02-05', reason: 'Tahun Baru Imlek', kind: 'holiday' },
          { date: '2027-02-17', reason: 'Pelatihan pegawai', kind: 'closure' },
        ],
        note: 'Pemohon lansia, ibu hamil dan penyandang disabilitas dilayani tanpa kuota pada jam layanan.',
      }),
    },
  });
}

/** The worst case: six services, every one of 31 days different, counts up to 99.999, a long name. */
export function sixServicesMonth(): PlannedPost {
  const days: { date: string; quota: Record<string, number> }[] = [];
  for (let i = 0; i < 31; i++) {
    const date = addDays('2027-03-01', i);
    days.push({ date, quota: Object.fromEntries(SIX_SERVICES.map((s, j) => [s.id, 99_999 - i * 7 - j])) });
  }
  return aPost({
    template: 'h-1',
    channelId: 'x',
    dueAt: '2027-02-27T02:00:00.000Z',
    // A long name set in WIT: the name says Jayapura, so the zone on the card matches the place.
    office: {
      ...MAKASSAR,
      id: 'kanim-jayapura',
      name: 'Kantor Imigrasi Kelas I Tempat Pemeriksaan Imigrasi Jayapura, Direktorat Jenderal Imigrasi Wilayah Papua',
      shortName: 'Imigrasi Jayapura',
      timezone: 'Asia/Jayapura',
      info: { ...MAKASSAR.info, hashtags: ['ImigrasiJayapura', 'MPaspor', 'KuotaPasporJayapura'] },
    },
    facts: {
      services: SIX_SERVICES,
      release: release({ id: 'bulanan@2027-02-28', opensAt: '2027-02-28T00:00:00.000Z', days, removedDays: [] }),
    },
  });
}

/** One service on one day, in WIT. */
export function oneServiceOneDay(): PlannedPost {
  return aPost({
    template: 'h-60m',
    channelId: 'x',
    dueAt: '2027-03-05T05:00:00.000Z',
    office: { ...BATAM, id: 'kanim-jayapura', name: 'Kantor Imigrasi Kelas I TPI Jayapura', shortName: 'Imigrasi Jayapura', timezone: 'Asia/Jayapura', info: { ...BATAM.info, hashtags: ['ImigrasiJayapura', 'MPaspor'] } },
    facts: {
      services: [{ id: 'reguler', name: 'Paspor Reguler', shortName: 'Reguler' }],
      timing: { kind: 'before-opening', minutes: 60 },
      release: release({ id: 'khusus@2027-03-05', opensAt: '2027-03-05T06:00:00.000Z', days: [{ date: '2027-03-08', quota: { reguler: 99_999 } }], removedDays: [] }),
    },
  });
}

/** The weekly digest of the sample office, posted on Sunday for the coming week. */
export function weeklyTwoServices(): PlannedPost {
  return aPost({ kind: 'digest', template: 'weekly', channelId: 'instagram', dueAt: '2026-12-20T11:00:00.000Z' });
}

/** A week without any quota, posted on its Monday: says so and names the next opening. */
export function emptyWeek(): PlannedPost {
  const post = aPost({ kind: 'digest', template: 'weekly', channelId: 'instagram', dueAt: '2027-03-01T01:00:00.000Z' });
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays('2027-03-01', i);
    return { date, quota: null, weekend: i >= 5 };
  });
  post.facts.digest = {
    from: '2027-03-01',
    to: '2027-03-07',
    openings: [],
    days,
    nextOpening: aRelease({
      id: 'mingguan@2027-03-12',
      opensAt: '2027-03-12T07:00:00.000Z',
      days: workingDays('2027-03-15', '2027-03-19').map((date) => ({ date, quota: { reguler: 120, percepatan: 20 } })),
      removedDays: [],
    }),
  };
  return post;
}

export function cancelled(): PlannedPost {
  return aPost({
    kind: 'cancellation',
    template: 'cancellation',
    channelId: 'instagram',
    dueAt: '2026-12-17T09:00:00.000Z',
    facts: { release: aRelease({ status: 'cancelled', cancelReason: 'Gangguan server aplikasi M-Paspor' }) },
  });
}

export function correction(): PlannedPost {
  const before = aRelease();
  return aPost({
    kind: 'correction',
    template: 'correction',
    channelId: 'instagram',
    dueAt: '2026-12-17T13:00:00.000Z',
    facts: {
      previous: before,
      release: aRelease({ days: before.days.map((d, i) => (i === 2 ? { ...d, quota: { reguler: 80, percepatan: 20 } } : d)) }),
    },
  });
}

/** Every case, by a file-friendly name, in gallery order. */
export const CARD_CASES: Record<string, () => PlannedPost> = {
  'weekly-2-services': weeklyTwoServices,
  'twice-monthly-3-services': batamTwiceMonthly,
  'monthly-4-services-long-booking': makassarMonthly,
  'empty-week': emptyWeek,
  cancelled: cancelled,
  correction: correction,
  'six-services-31-days': sixServicesMonth,
  'one-service-one-day': oneServiceOneDay,
};
