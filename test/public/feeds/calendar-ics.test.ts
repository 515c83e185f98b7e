/**
 * The ICS generator, read back by an independent parser (ical.js, Mozilla's
 * calendar library): what a subscriber's calendar would see.
 */
import ICAL from 'ical.js';
import { renderCalendar, servicesPhrase, type VersionedOpening } from '../../../src/public/feeds/calendar-ics';
import { escapeText, foldLine, formatUtcDateTime } from '../../../src/public/feeds/ics-text';
import { buildOpening, OFFICE } from './public-fixtures';

const PAGE = 'https://kuota.example.go.id/o/kanim-pontianak/';
const FEED = 'https://kuota.example.go.id/o/kanim-pontianak/calendar.ics';

function render(openings: VersionedOpening[]): string {
  return renderCalendar({ office: OFFICE, openings, officePageUrl: PAGE, calendarUrl: FEED });
}

function parse(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

function instant(component: ICAL.Component, name: string): Date {
  return (component.getFirstPropertyValue(name) as ICAL.Time).toJSDate();
}

describe('public/feeds/calendar-ics', () => {
  it('publishes a calendar readers refresh hourly, named after the office', () => {
    const ics = render([buildOpening()]);
    const calendar = parse(ics);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//quota-herald//Kalender pembukaan kuota//ID');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Pembukaan kuota antrean — Imigrasi Pontianak');
    expect(calendar.getFirstPropertyValue('name')).toBe('Pembukaan kuota antrean — Imigrasi Pontianak');
    expect(calendar.getFirstPropertyValue('x-published-ttl')).toBe('PT1H');
    const refresh = calendar.getFirstProperty('refresh-interval')!;
    // ical.js reads VALUE=DURATION into the property's type.
    expect(refresh.type).toBe('duration');
    expect((refresh.getFirstValue() as ICAL.Duration).toSeconds()).toBe(3600);
    expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
  });

  it('gives each opening one event: stable UID, exact UTC times, sequence, status, text in Indonesian', () => {
    const opening = buildOpening({ sequence: 3 });
    const [event, ...others] = parse(render([opening])).getAllSubcomponents('vevent');
    expect(others).toHaveLength(0);
    expect(event!.getFirstPropertyValue('uid')).toBe('mingguan@2026-12-11@kanim-pontianak.quota-herald');
    expect(instant(event!, 'dtstart').toISOString()).toBe('2026-12-11T07:00:00.000Z');
    // No closing time: one hour.
    expect(instant(event!, 'dtend').toISOString()).toBe('2026-12-11T08:00:00.000Z');
    expect((event!.getFirstPropertyValue('dtstart') as ICAL.Time).zone?.tzid).toBe('UTC');
    expect(event!.getFirstPropertyValue('sequence')).toBe(3);
    expect(instant(event!, 'dtstamp').toISOString()).toBe('2026-12-01T03:04:05.000Z');
    expect(instant(event!, 'last-modified').toISOString()).toBe('2026-12-01T03:04:05.000Z');
    expect(event!.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(event!.getFirstPropertyValue('summary')).toBe('Pembukaan kuota antrean paspor — Imigrasi Pontianak');
    expect(event!.getFirstPropertyValue('url')).toBe(PAGE);
    expect(event!.getFirstPropertyValue('location')).toBe('aplikasi M-Paspor');
    expect(event!.getFirstPropertyValue('description')).toBe(
      [
        'Dibuka Jumat, 11 Desember 2026 pukul 14.00 WIB.',
        '',
        'Kuota per hari layanan:',
        '- Senin, 14 Desember 2026: Reguler 120, Percepatan 20',
        '- Selasa, 15 Desember 2026: Reguler 120',
        'Jumlah: Reguler 240, Percepatan 20 (total 260)',
        '',
        'Daftar melalui aplikasi M-Paspor.',
        'Pendaftaran GRATIS, waspada calo.',
        PAGE,
      ].join('\n'),
    );
  });

  it('ends an event at the closing time when there is one', () => {
    const opening = buildOpening({ closesAt: new Date('2026-12-11T10:00:00Z'), closesLabel: 'Jumat, 11 Desember 2026 pukul 17.00 WIB', totalQuota: 1260 });
    const event = parse(render([opening])).getFirstSubcomponent('vevent')!;
    expect(instant(event, 'dtend').toISOString()).toBe('2026-12-11T10:00:00.000Z');
    expect(String(event.getFirstPropertyValue('description'))).toContain('(total 1.260)');
    expect(String(event.getFirstPropertyValue('description'))).toContain('Dibuka Jumat, 11 Desember 2026 pukul 14.00 WIB, ditutup Jumat, 11 Desember 2026 pukul 17.00 WIB.');
  });

  it('keeps a cancelled opening as STATUS:CANCELLED with the reason', () => {
    const opening = buildOpening({ status: 'cancelled', state: 'dibatalkan', cancelReason: 'Dipindahkan ke Sabtu, 19 Desember 2026' });
    const event = parse(render([opening])).getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('summary')).toBe('DIBATALKAN: Pembukaan kuota antrean paspor — Imigrasi Pontianak');
    expect(String(event.getFirstPropertyValue('description'))).toMatch(/^DIBATALKAN: Dipindahkan ke Sabtu, 19 Desember 2026\.\n/);
  });

  it('escapes TEXT and folds long lines without splitting a character: the parser gives back the exact text', () => {
    const note = 'Catatan; pakai koma, titik koma; garis miring \\ dan\nbaris baru\r\nlagi — «ü» 🇮🇩 👨‍👩‍👧 '.repeat(6);
    const ics = render([buildOpening({ note })]);
    const event = parse(ics).getFirstSubcomponent('vevent')!;
    expect(String(event.getFirstPropertyValue('description'))).toContain(note.replace(/\r\n/g, '\n'));
    expect(ics.endsWith('\r\n')).toBe(true);
    const physical = ics.slice(0, -2).split('\r\n');
    expect(physical.some((line) => line.startsWith(' '))).toBe(true);
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const line of physical) {
      expect(line).not.toMatch(/[\r\n]/);
      const bytes = Buffer.from(line, 'utf8');
      expect(bytes.length).toBeLessThanOrEqual(75);
      // Each physical line is whole UTF-8 on its own: no character was cut.
      expect(() => strict.decode(bytes)).not.toThrow();
    }
  });

  it('lists every opening, cancelled ones too, and an office without openings gives a valid empty calendar', () => {
    const openings = [buildOpening(), buildOpening({ releaseId: 'simpatik-november', status: 'cancelled', state: 'dibatalkan' })];
    expect(parse(render(openings)).getAllSubcomponents('vevent').map((event) => event.getFirstPropertyValue('uid'))).toEqual([
      'mingguan@2026-12-11@kanim-pontianak.quota-herald',
      'simpatik-november@kanim-pontianak.quota-herald',
    ]);
    const empty = parse(render([]));
    expect(empty.getAllSubcomponents('vevent')).toHaveLength(0);
    expect(empty.getFirstPropertyValue('method')).toBe('PUBLISH');
  });
});

describe('public/feeds/ics-text', () => {
  it('escapes backslash, semicolon, comma and line breaks, and drops other control characters', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg\u0007h\ti')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng' + 'h\ti');
  });

  it('folds at 75 octets, continuation lines of 74 after their space, a 4-octet character kept whole', () => {
    const line = `${'a'.repeat(73)}🇮🇩${'b'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.slice(0, -2).split('\r\n');
    expect(parts[0]).toBe('a'.repeat(73));
    expect(parts[1]!.startsWith(' 🇮🇩')).toBe(true);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(parts.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
    expect(foldLine('x'.repeat(75))).toBe(`${'x'.repeat(75)}\r\n`);
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x\r\n`);
  });

  it('writes UTC date-times without milliseconds', () => {
    expect(formatUtcDateTime(new Date('2027-01-02T03:00:00.999Z'))).toBe('20270102T030000Z');
  });
});

describe('public/feeds/calendar-ics servicesPhrase', () => {
  it('names what opens from the services with quota', () => {
    expect(servicesPhrase(OFFICE, buildOpening())).toBe('paspor');
    const onlyRegular = buildOpening({ serviceTotals: [{ serviceId: 'regular', name: 'Paspor Reguler', shortName: 'Reguler', count: 80 }, { serviceId: 'express', name: 'Paspor Percepatan', shortName: 'Percepatan', count: null }] });
    expect(servicesPhrase(OFFICE, onlyRegular)).toBe('Paspor Reguler');
    const mixed = { ...OFFICE, services: [{ id: 'a', name: 'Paspor', shortName: 'Paspor' }, { id: 'b', name: 'Visa Kunjungan', shortName: 'Visa' }] };
    const both = buildOpening({ serviceTotals: [{ serviceId: 'a', name: 'Paspor', shortName: 'Paspor', count: 1 }, { serviceId: 'b', name: 'Visa Kunjungan', shortName: 'Visa', count: 2 }] });
    expect(servicesPhrase(mixed, both)).toBe('Paspor, Visa');
  });
});
