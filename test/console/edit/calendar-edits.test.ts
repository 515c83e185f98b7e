/**
 * console/edit: each form edit of calendar.yaml, on the sample office and on
 * the WIT office with monthly releases and 5 services: the edited files load
 * through the revision loader, show the change, and keep every comment and
 * untouched line; a bad count is reported on its form field, in Indonesian.
 */
import { applyCalendarEdit, calendarFileOf, checkEdit, type CalendarEdit, type EditCheck } from '../../../src/console/edit';
import type { OfficeConfig } from '../../../src/config/types';
import { at, commentLines, environment, SAMPLE_OFFICE, sampleFiles, WIT_OFFICE, witFiles } from './fixtures';

const NOW = at('2026-12-07T10:00+07:00');

function edited(files: Record<string, string>, officeId: string, ...edits: CalendarEdit[]): { files: Record<string, string>; check: EditCheck; office: OfficeConfig | undefined } {
  let current = files;
  for (const edit of edits) {
    const applied = applyCalendarEdit(current, calendarFileOf(current, officeId), edit);
    if (!applied.ok) throw new Error(`edit refused: ${applied.problem.message}`);
    current = applied.files;
  }
  const check = checkEdit(current, officeId, environment(NOW));
  return { files: current, check, office: check.loaded?.config.offices[0] };
}

const OFFICES: { name: string; officeId: string; files: () => Record<string, string>; opening: string; rule: string; ruleDate: string; services: Record<string, number> }[] = [
  { name: 'the sample office (WIB, weekly, 2 services)', officeId: SAMPLE_OFFICE, files: () => sampleFiles(NOW), opening: 'simpatik-desember', rule: 'mingguan', ruleDate: '2026-12-11', services: { regular: 90, express: 15 } },
  { name: 'the WIT office (monthly, 5 services)', officeId: WIT_OFFICE, files: witFiles, opening: 'layanan-sabtu', rule: 'bulanan', ruleDate: '2026-12-25', services: { regular: 30, express: 5, lansia: 8, disabilitas: 4, umroh: 12 } },
];

describe.each(OFFICES)('console/edit on $name', ({ officeId, files, opening, rule, ruleDate, services }) => {
  const calendarOf = (all: Record<string, string>): string => all[calendarFileOf(all, officeId)]!;

  it('loads as it is (the edits below start from a valid office)', () => {
    expect(checkEdit(files(), officeId, environment(NOW)).valid).toBe(true);
  });

  /** The edit loads, keeps every comment, and leaves the other files alone. */
  function expectRoundTrip(result: ReturnType<typeof edited>): OfficeConfig {
    expect(result.check.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.check.valid).toBe(true);
    const before = calendarOf(files());
    for (const comment of commentLines(before)) expect(calendarOf(result.files)).toContain(comment);
    for (const [name, text] of Object.entries(files())) if (name !== calendarFileOf(result.files, officeId) && !name.endsWith('.csv')) expect(result.files[name]).toBe(text);
    return result.office!;
  }

  it('adds an opening: time, closing, covered days, counts per service, note', () => {
    const result = edited(files(), officeId, { kind: 'add-opening', opening: { id: 'tambahan', opensAt: '2027-01-15 09:00', closesAt: '12:00', days: ['2027-01-23', '2027-01-30'], counts: services, note: 'Kuota tambahan' } });
    const office = expectRoundTrip(result);
    expect(office.calendar.releases.find((r) => r.id === 'tambahan')).toMatchObject({
      opensAt: { date: '2027-01-15', time: '09:00' },
      closesAt: { date: '2027-01-15', time: '12:00' },
      days: [{ date: '2027-01-23', quota: services }, { date: '2027-01-30', quota: services }],
      note: 'Kuota tambahan',
    });
    expect(calendarOf(result.files)).toContain('      - { date: 2027-01-23, quota: {');
    // Only lines added: every original line is still there.
    expect(diffLines(calendarOf(files()), calendarOf(result.files)).removed).toEqual([]);
  });

  it('changes an opening: counts of every day and the note; the other lines stay byte for byte', () => {
    const before = calendarOf(files());
    const result = edited(files(), officeId, { kind: 'change-opening', id: opening, change: { counts: { regular: 7 }, note: 'Diubah' } });
    const office = expectRoundTrip(result);
    const release = office.calendar.releases.find((r) => r.id === opening)!;
    expect(release.days.every((day) => JSON.stringify(day.quota) === JSON.stringify({ regular: 7 }))).toBe(true);
    expect(release.note).toBe('Diubah');
    const changed = diffLines(before, calendarOf(result.files));
    expect(changed.removed.every((line) => /quota|note/.test(line))).toBe(true);
  });

  it('cancels a one-off opening as the calendar marks it (cancelled: true, cancelReason)', () => {
    const result = edited(files(), officeId, { kind: 'cancel-opening', id: opening, reason: 'Petugas berhalangan' });
    const release = expectRoundTrip(result).calendar.releases.find((r) => r.id === opening)!;
    expect(release).toMatchObject({ cancelled: true, cancelReason: 'Petugas berhalangan' });
  });

  it('cancels one opening of a recurring rule (cancelledOn)', () => {
    const result = edited(files(), officeId, { kind: 'cancel-opening', id: `${rule}@${ruleDate}`, reason: 'Gangguan sistem' });
    const recurring = expectRoundTrip(result).calendar.recurring.find((r) => r.id === rule)!;
    expect(recurring.cancelledOn).toContainEqual({ date: ruleDate, reason: 'Gangguan sistem' });
  });

  it('changes a recurring rule: time, counts, service weekdays', () => {
    const result = edited(files(), officeId, { kind: 'change-recurring', id: rule, change: { at: '10:30', counts: services, serviceWeekdays: ['monday', 'wednesday'] } });
    const recurring = expectRoundTrip(result).calendar.recurring.find((r) => r.id === rule)!;
    expect(recurring).toMatchObject({ time: '10:30', quota: services, weekdays: [1, 3] });
    expect(calendarOf(result.files)).toContain('serviceWeekdays: [monday, wednesday]');
  });

  it('adds a recurring rule and removes one', () => {
    const added = edited(files(), officeId, { kind: 'add-recurring', rule: { id: 'dua-mingguan', twiceMonthly: { days: [1, 16] }, at: '08:00', counts: services, serviceWeekdays: ['saturday'], from: '2027-02-01' } });
    expect(expectRoundTrip(added).calendar.recurring.find((r) => r.id === 'dua-mingguan')).toMatchObject({ pattern: { every: 'twice-monthly', days: [1, 16] }, time: '08:00' });
    const removed = edited(added.files, officeId, { kind: 'remove-recurring', id: 'dua-mingguan' });
    expect(removed.office!.calendar.recurring.map((r) => r.id)).toEqual([rule]);
  });

  it('adds a closure: one day, and a range', () => {
    const result = edited(files(), officeId, { kind: 'add-closure', closure: { date: '2027-02-16', reason: 'Cuti bersama Imlek' } }, { kind: 'add-closure', closure: { from: '2027-03-01', to: '2027-03-03', reason: 'Pemeliharaan sistem' } });
    const closures = expectRoundTrip(result).calendar.closures;
    expect(closures.slice(-2).map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: '2027-02-16', to: '2027-02-16', reason: 'Cuti bersama Imlek' },
      { from: '2027-03-01', to: '2027-03-03', reason: 'Pemeliharaan sistem' },
    ]);
  });

  it('enters counts for many days at once: changes a day, adds a day in date order, removes a service', () => {
    const base = edited(files(), officeId, { kind: 'add-opening', opening: { id: 'grid', opensAt: '2027-01-15 09:00', days: ['2027-01-23', '2027-01-30'], counts: services } });
    const result = edited(base.files, officeId, {
      kind: 'enter-counts',
      entries: [
        { openingId: 'grid', date: '2027-01-23', counts: { regular: 11 } },
        { openingId: 'grid', date: '2027-01-24', counts: { regular: 12, express: '3' } },
        { openingId: 'grid', date: '2027-01-30', counts: { express: '' } },
      ],
    });
    const days = expectRoundTrip(result).calendar.releases.find((r) => r.id === 'grid')!.days;
    const { express: _express, ...withoutExpress } = services;
    expect(days.map((day) => [day.date, day.quota])).toEqual([
      ['2027-01-23', { ...services, regular: 11 }],
      ['2027-01-24', { regular: 12, express: 3 }],
      ['2027-01-30', withoutExpress],
    ]);
  });

  it('imports a CSV in the existing format, beside calendar.yaml', () => {
    const csv = ['tanggal_buka;jam_buka;tanggal_layanan;layanan;kuota;jam_tutup;catatan', '29/01/2027;10.00;06/02/2027;regular;45;16.00;Layanan Simpatik', '29/01/2027;10.00;06/02/2027;express;5;16.00;Layanan Simpatik', ''].join('\n');
    const result = edited(files(), officeId, { kind: 'import-csv', upload: { fileName: 'kuota-simpatik.csv', text: csv } });
    const office = expectRoundTrip(result);
    expect(office.calendar.imported.find((r) => r.id === 'csv:kuota-simpatik.csv@2027-01-29T10:00')?.days).toEqual([expect.objectContaining({ date: '2027-02-06', quota: { regular: 45, express: 5 } })]);
    const calendarFile = calendarFileOf(result.files, officeId);
    expect(result.files[calendarFile.replace('calendar.yaml', 'kuota-simpatik.csv')]).toBe(csv);
  });

  it('reports a bad count on its field, in Indonesian, with file:line:col; nothing else is blamed', () => {
    const releases = checkEdit(files(), officeId, environment(NOW)).loaded!.config.offices[0]!.calendar.releases;
    const index = releases.findIndex((r) => r.id === opening);
    const result = edited(files(), officeId, { kind: 'enter-counts', entries: [{ openingId: opening, date: releases[index]!.days[0]!.date, counts: { regular: '-5' } }] });
    expect(result.check.valid).toBe(false);
    const errors = result.check.problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        field: `openings[${index}].days[0].counts.regular`,
        itemId: opening,
        message: 'Jumlah kuota tidak boleh negatif: tulis 0 bila tidak ada kuota.',
        location: expect.stringMatching(new RegExp(`^${calendarFileOf(files(), officeId).replace(/[.]/g, '\\.')}:\\d+:\\d+$`)),
      }),
    ]);
    expect(errors[0]!.detail).toContain('cannot be negative');
  });

  it('reports a count that is not a whole number, typed in a new opening, on its field', () => {
    const count = edited(files(), officeId, { kind: 'add-opening', opening: { id: 'salah', opensAt: '2027-01-15 09:00', days: ['2027-01-23'], counts: { regular: 'dua puluh' } } });
    const index = count.check.problems.find((p) => p.severity === 'error')!;
    expect(index.field).toMatch(/^openings\[\d+\]\.days\[0\]\.counts\.regular$/);
    expect(index.message).toBe('Jumlah kuota harus berupa angka bulat, 0 atau lebih.');
  });

  it('refuses an edit of an opening the file does not have, on the id field', () => {
    const applied = applyCalendarEdit(files(), calendarFileOf(files(), officeId), { kind: 'cancel-opening', id: 'tidak-ada' });
    expect(applied).toEqual({ ok: false, problem: expect.objectContaining({ field: 'id', message: expect.stringContaining('tidak ada di calendar.yaml') }) });
  });
});

/** Lines only in `a` (removed) and only in `b` (added), as multisets. */
function diffLines(a: string, b: string): { removed: string[]; added: string[] } {
  const count = (text: string): Map<string, number> => text.split('\n').reduce((m, line) => m.set(line, (m.get(line) ?? 0) + 1), new Map<string, number>());
  const [ca, cb] = [count(a), count(b)];
  const only = (x: Map<string, number>, y: Map<string, number>): string[] => [...x].flatMap(([line, n]) => Array<string>(Math.max(0, n - (y.get(line) ?? 0))).fill(line));
  return { removed: only(ca, cb), added: only(cb, ca) };
}
