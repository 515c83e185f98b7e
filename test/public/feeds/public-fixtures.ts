/**
 * Hand-built read models (src/public/types.ts) for the pure feed generators'
 * tests: the values the read models would give, with the awkward parts a real
 * office has (escapes, long Indonesian text, emoji, a service without quota).
 */
import type { PublicAnnouncement, PublicOffice, PublicServiceCount } from '../../../src/public/types';
import type { VersionedOpening } from '../../../src/public/feeds/calendar-ics';

export const OFFICE: PublicOffice = {
  id: 'kanim-pontianak',
  name: 'Kantor Imigrasi Kelas I TPI Pontianak',
  shortName: 'Imigrasi Pontianak',
  city: 'Pontianak',
  timezone: 'Asia/Pontianak',
  zoneLabel: 'WIB',
  bookingChannel: 'aplikasi M-Paspor',
  website: 'pontianak.imigrasi.go.id',
  address: null,
  phone: null,
  hashtags: ['ImigrasiPontianak'],
  services: [
    { id: 'regular', name: 'Paspor Reguler', shortName: 'Reguler' },
    { id: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan' },
  ],
};

function counts(regular: number | null, express: number | null): PublicServiceCount[] {
  return [
    { serviceId: 'regular', name: 'Paspor Reguler', shortName: 'Reguler', count: regular },
    { serviceId: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan', count: express },
  ];
}

export function buildOpening(overrides: Partial<VersionedOpening> = {}): VersionedOpening {
  return {
    officeId: OFFICE.id,
    releaseId: 'mingguan@2026-12-11',
    status: 'open',
    state: 'akan-dibuka',
    opensAt: new Date('2026-12-11T07:00:00Z'),
    closesAt: null,
    timezone: 'Asia/Pontianak',
    opensLabel: 'Jumat, 11 Desember 2026 pukul 14.00 WIB',
    closesLabel: null,
    days: [
      { date: '2026-12-14', label: 'Senin, 14 Desember 2026', counts: counts(120, 20), total: 140 },
      { date: '2026-12-15', label: 'Selasa, 15 Desember 2026', counts: counts(120, null), total: 120 },
    ],
    serviceTotals: counts(240, 20),
    totalQuota: 260,
    closedDays: [],
    cancelReason: null,
    note: null,
    fingerprint: 'f'.repeat(64),
    sequence: 0,
    modifiedAt: new Date('2026-12-01T03:04:05Z'),
    ...overrides,
  };
}

export function buildAnnouncement(overrides: Partial<PublicAnnouncement> = {}): PublicAnnouncement {
  const publishedAt = overrides.publishedAt ?? new Date('2026-12-10T12:00:00Z');
  return {
    officeId: OFFICE.id,
    code: 'K7M2Q9XD',
    codeLabel: 'K7M2-Q9XD',
    kind: 'announcement',
    ruleId: 'h-1',
    subject: 'mingguan@2026-12-11',
    releaseId: 'mingguan@2026-12-11',
    publishedAt,
    updatedAt: publishedAt,
    channels: [
      { channelId: 'instagram', platform: 'instagram', publishedAt, remoteUrl: 'https://www.instagram.com/p/abc/', text: 'Kuota paspor dibuka besok, Jumat 11 Des pukul 14.00 WIB.\nGRATIS — waspada calo! <b>&amp;</b>' },
      { channelId: 'x', platform: 'x', publishedAt: new Date(publishedAt.getTime() + 2000), remoteUrl: 'https://x.com/imigrasi/status/1', text: 'Kuota dibuka besok 14.00 WIB' },
    ],
    cards: [{ index: 1, width: 1080, height: 1350, alt: 'Kartu: kuota "Reguler" 120 & Percepatan 20', sha256: 'a'.repeat(64) }],
    changes: [],
    correctedBy: [],
    ...overrides,
  };
}
