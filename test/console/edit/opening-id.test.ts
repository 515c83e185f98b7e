/**
 * console/edit: the id of an opening added without one. The bug: `addOpening`
 * wrote the loader's default id (`release@2027-01-15T09:00`) into the file,
 * and the schema refuses `@` and `:` in a written id, so the console could not
 * add an opening without typing a code. Now the opening gets a code made from
 * its time (`pembukaan-2027-01-15-0900`, as the web form says), which loads,
 * plans and renders; and an opening written by hand without an id keeps the
 * loader's id when its time changes (its posts stay the same posts).
 */
import { templatesFor } from '../../../src/app/load-all';
import { planAll } from '../../../src/app/plan-all';
import { addOpening, applyCalendarEdit, calendarFileOf, changeOpening, checkEdit, newOpeningId } from '../../../src/console/edit';
import { renderCaption } from '../../../src/render/caption';
import { renderCardSvg } from '../../../src/render/card';
import { at, environment, SAMPLE_OFFICE, sampleFiles, WIT_OFFICE, witFiles } from './fixtures';

const NOW = at('2026-12-07T10:00+07:00');

const OFFICES: { name: string; officeId: string; files: () => Record<string, string>; counts: Record<string, number> }[] = [
  { name: 'the sample office (WIB)', officeId: SAMPLE_OFFICE, files: () => sampleFiles(NOW), counts: { regular: 40, express: 5 } },
  { name: 'the WIT office (many-office layout)', officeId: WIT_OFFICE, files: witFiles, counts: { regular: 20, lansia: 4 } },
];

describe.each(OFFICES)('console/edit opening ids on $name', ({ officeId, files, counts }) => {
  const calendarFile = (all: Record<string, string>): string => calendarFileOf(all, officeId);

  it('an opening added without an id gets a code from its time that loads, plans and renders', () => {
    const before = files();
    const applied = applyCalendarEdit(before, calendarFile(before), { kind: 'add-opening', opening: { opensAt: '2027-01-15 09:00', days: ['2027-01-23'], counts, note: 'Kuota tambahan tanpa kode' } });
    if (!applied.ok) throw new Error(applied.problem.message);
    expect(applied.files[calendarFile(before)]).toContain('  - id: pembukaan-2027-01-15-0900\n    opensAt: "2027-01-15 09:00"');

    const check = checkEdit(applied.files, officeId, environment(NOW));
    expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const office = check.loaded!.config.offices[0]!;
    expect(office.calendar.releases.find((release) => release.id === 'pembukaan-2027-01-15-0900')).toMatchObject({ opensAt: { date: '2027-01-15', time: '09:00' }, note: 'Kuota tambahan tanpa kode' });

    const plan = planAll(check.loaded!.config, { from: NOW, to: at('2027-02-01T00:00+07:00') }, NOW);
    const posts = plan.posts.filter((post) => post.releaseId === 'pembukaan-2027-01-15-0900');
    expect(posts.length).toBeGreaterThan(0);
    const templates = templatesFor(check.loaded!, office.id);
    for (const post of posts) {
      expect(renderCaption(templates, post)).toMatch(/15 Jan(uari)?[\s\S]*23 Jan(uari)? 2027/);
      expect(renderCardSvg(templates, post)).toContain('<svg');
    }
  });

  it('a second opening at the same time without an id gets the next free code; both load', () => {
    const text = files()[calendarFile(files())]!;
    const first = addOpening(text, { opensAt: '2027-01-15 09:00', days: ['2027-01-23'], counts });
    expect(newOpeningId(first, '2027-01-15 09:00')).toBe('pembukaan-2027-01-15-0900-2');
    const second = addOpening(first, { opensAt: '2027-01-15 9.00', days: ['2027-01-30'], counts });
    expect(second).toContain('  - id: pembukaan-2027-01-15-0900-2\n    opensAt: "2027-01-15 9.00"');
    const check = checkEdit({ ...files(), [calendarFile(files())]: second }, officeId, environment(NOW));
    expect(check.valid).toBe(true);
    expect(check.loaded!.config.offices[0]!.calendar.releases.map((release) => release.id)).toEqual(expect.arrayContaining(['pembukaan-2027-01-15-0900', 'pembukaan-2027-01-15-0900-2']));
  });

  it("an opening written by hand without an id keeps the loader's id when its time changes", () => {
    const handWritten = `${files()[calendarFile(files())]!.replace(/\nclosures:/, '\n  - opensAt: "2027-01-15 09:00"\n    days:\n      - { date: 2027-01-23, quota: { regular: 10 } }\n\nclosures:')}`;
    const withHand = { ...files(), [calendarFile(files())]: handWritten };
    const loaded = checkEdit(withHand, officeId, environment(NOW));
    expect(loaded.loaded!.config.offices[0]!.calendar.releases.map((release) => release.id)).toContain('release@2027-01-15T09:00');

    const moved = changeOpening(handWritten, 'release@2027-01-15T09:00', { opensAt: '2027-01-15 10:00' });
    expect(moved).toContain('  - id: release@2027-01-15T09:00\n    opensAt: "2027-01-15 10:00"');
    const check = checkEdit({ ...files(), [calendarFile(files())]: moved }, officeId, environment(NOW));
    expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(check.loaded!.config.offices[0]!.calendar.releases.find((release) => release.id === 'release@2027-01-15T09:00')).toMatchObject({ opensAt: { date: '2027-01-15', time: '10:00' } });
  });
});

describe('console/edit opening ids a person types', () => {
  it('a typed code with characters a code cannot have is refused, in Indonesian, on the id field', () => {
    const files = sampleFiles(NOW);
    const applied = applyCalendarEdit(files, 'calendar.yaml', { kind: 'add-opening', opening: { id: 'kuota@januari', opensAt: '2027-01-15 09:00', days: ['2027-01-23'], counts: { regular: 5 } } });
    if (!applied.ok) throw new Error(applied.problem.message);
    const check = checkEdit(applied.files, SAMPLE_OFFICE, environment(NOW));
    expect(check.valid).toBe(false);
    expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([
      expect.objectContaining({ field: expect.stringMatching(/^openings\[\d+\]\.id$/), message: 'Kode hanya boleh berisi huruf, angka, -, _ atau titik, diawali huruf atau angka (tanpa spasi, @ atau :).' }),
    ]);
  });
});
