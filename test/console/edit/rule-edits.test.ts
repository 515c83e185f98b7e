/**
 * console/edit and the recurring rules, as the rule pages use them: the rules
 * read from calendar text (weekday names canonical, whatever language the file
 * writes them in), a rule changed, ended and removed keeping every comment and
 * untouched line, and what each edit opens: a weekly rule in WIB, a monthly
 * one in WIT, a twice-monthly one in WITA (an office moved to Asia/Makassar).
 * The review of an ended rule is planned against the ledger on SQLite and
 * PostgreSQL.
 */
import { replanInto } from '../../../src/app/replan';
import { expandCalendar } from '../../../src/calendar/expand';
import {
  addRecurringRule,
  applyCalendarEdit,
  calendarFileOf,
  changeRecurringRule,
  checkEdit,
  openForEdit,
  previewEdit,
  readRecurringRules,
  type CalendarEdit,
  type EditCheck,
} from '../../../src/console/edit';
import type { OfficeConfig } from '../../../src/config/types';
import { createRevision } from '../../../src/store/config-revisions';
import { claimDue, markPublished } from '../../../src/store/claims';
import { listPosts, markRendered } from '../../../src/store/ledger';
import { DIALECTS, useTestStore } from '../../support/databases';
import { at, commentLines, environment, SAMPLE_OFFICE, sampleFiles, WIT_CALENDAR, WIT_OFFICE, witFiles } from './fixtures';

const NOW = at('2026-12-07T10:00+07:00');

function edited(files: Record<string, string>, officeId: string, edit: CalendarEdit): { files: Record<string, string>; check: EditCheck; office: OfficeConfig } {
  const applied = applyCalendarEdit(files, calendarFileOf(files, officeId), edit);
  if (!applied.ok) throw new Error(`edit refused: ${applied.problem.message}`);
  const check = checkEdit(applied.files, officeId, environment(NOW));
  expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  return { files: applied.files, check, office: check.loaded!.config.offices[0]! };
}

/** The openings of `ruleId` from `from` to `to` (office dates), as `date time` in office time. */
function openings(office: OfficeConfig, ruleId: string, from: string, to: string): { id: string; opensAt: Date; days: string[] }[] {
  return expandCalendar(office, { from, to })
    .releases.filter((release) => release.id.startsWith(`${ruleId}@`) && release.status === 'open')
    .map((release) => ({ id: release.id, opensAt: release.opensAt, days: release.days.map((day) => day.date) }));
}

/** Lines only in `a` (removed) and only in `b` (added), in order. */
function diffLines(a: string, b: string): { removed: string[]; added: string[] } {
  const [la, lb] = [a.split('\n'), b.split('\n')];
  return { removed: la.filter((line) => !lb.includes(line)), added: lb.filter((line) => !la.includes(line)) };
}

describe('console/edit recurring rules as the rule pages read them', () => {
  it('reads the sample office’s weekly rule and the WIT office’s monthly rule as written', () => {
    expect(readRecurringRules(sampleFiles(NOW)['calendar.yaml'])).toEqual([
      {
        id: 'mingguan',
        rhythm: { every: 'weekly', weekday: 'friday', weeksAhead: 1 },
        at: '14:00',
        closesAfterMinutes: null,
        serviceWeekdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        quota: { regular: 120, express: 20 },
        from: '2026-11-01',
        until: null,
        note: null,
        cancelledOn: [
          { date: '2026-12-25', reason: 'Hari Raya Natal; tidak ada layanan paspor 28 Desember 2026–1 Januari 2027' },
          { date: '2027-01-01', reason: 'Tahun Baru 2027; kuota 4–8 Januari dibuka Sabtu, 2 Januari 2027 pukul 10.00 WIB' },
        ],
      },
    ]);
    expect(readRecurringRules(WIT_CALENDAR)).toEqual([
      expect.objectContaining({ id: 'bulanan', rhythm: { every: 'monthly', day: 25, monthsAhead: 1 }, serviceWeekdays: null, quota: { regular: 40, express: 10, lansia: 5, disabilitas: 5, umroh: 15 }, from: '2026-11-25' }),
    ]);
  });

  it('makes Indonesian and capitalised weekday names canonical; reads twice-monthly and last-working-day rules; a rule without a rhythm has none', () => {
    const text = [
      'recurring:',
      '  - id: jumat',
      '    weekly: { weekday: Jumat }',
      '    at: "14.00"',
      '    serviceWeekdays: [senin, Rabu, saturday]',
      '    closesAfterMinutes: 90',
      '    quota: { regular: 10 }',
      '  - id: dua',
      '    twiceMonthly: { days: [1, 16] }',
      '    at: "08:00"',
      '    quota: { regular: 5 }',
      '  - id: akhir',
      '    monthly: { day: last-working-day, monthsAhead: 2 }',
      '    at: "09:00"',
      '    quota: { regular: 5 }',
      '  - id: kosong',
      '    at: "09:00"',
      '    quota: { regular: 5 }',
      '',
    ].join('\n');
    const rules = readRecurringRules(text);
    expect(rules.map((rule) => [rule.id, rule.rhythm])).toEqual([
      ['jumat', { every: 'weekly', weekday: 'friday', weeksAhead: 1 }],
      ['dua', { every: 'twice-monthly', days: [1, 16] }],
      ['akhir', { every: 'monthly', day: 'last-working-day', monthsAhead: 2 }],
      ['kosong', null],
    ]);
    expect(rules[0]).toMatchObject({ at: '14.00', closesAfterMinutes: 90, serviceWeekdays: ['monday', 'wednesday', 'saturday'] });
    expect(readRecurringRules('recurring: [')).toEqual([]);
    expect(readRecurringRules(undefined)).toEqual([]);
  });
});

describe('console/edit recurring rule edits', () => {
  it('moves the weekly rule (WIB) to Thursday with new counts: only those lines change, every comment stays, Thursdays open at 14:00 WIB', () => {
    const files = sampleFiles(NOW);
    const result = edited(files, SAMPLE_OFFICE, { kind: 'change-recurring', id: 'mingguan', change: { weekly: { weekday: 'thursday', weeksAhead: '1' }, counts: { regular: 100, express: '25' }, until: '2026-12-24' } });
    const before = files['calendar.yaml']!;
    const after = result.files['calendar.yaml']!;
    for (const comment of commentLines(before)) expect(after).toContain(comment);
    expect(diffLines(before, after)).toEqual({
      removed: ['    weekly: { weekday: friday, weeksAhead: 1 }', '    quota: { regular: 120, express: 20 }'],
      added: ['    weekly: { weekday: thursday, weeksAhead: 1 }', '    quota: { regular: 100, express: 25 }', '    until: 2026-12-24'],
    });
    expect(openings(result.office, 'mingguan', '2026-12-07', '2026-12-31')).toEqual([
      { id: 'mingguan@2026-12-10', opensAt: at('2026-12-10T14:00+07:00'), days: ['2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18'] },
      { id: 'mingguan@2026-12-17', opensAt: at('2026-12-17T14:00+07:00'), days: ['2026-12-21', '2026-12-22', '2026-12-23'] },
      // Covers only closed days (28 Dec–1 Jan): nothing to announce, but it is still the rule's last opening.
      { id: 'mingguan@2026-12-24', opensAt: at('2026-12-24T14:00+07:00'), days: [] },
    ]);
  });

  it('changes the monthly rule (WIT) to the last working day: its comment after the rhythm stays; it opens on 31 Dec at 09:00 WIT', () => {
    const result = edited(witFiles(), WIT_OFFICE, { kind: 'change-recurring', id: 'bulanan', change: { monthly: { day: 'last-working-day' } } });
    const after = result.files[`offices/${WIT_OFFICE}/calendar.yaml`]!;
    expect(after).toContain('    monthly: { day: last-working-day } # tanggal 25 setiap bulan\n');
    for (const comment of commentLines(WIT_CALENDAR)) expect(after).toContain(comment);
    expect(openings(result.office, 'bulanan', '2026-12-01', '2026-12-31')).toEqual([expect.objectContaining({ id: 'bulanan@2026-12-31', opensAt: at('2026-12-31T09:00+09:00') })]);
  });

  it('adds a twice-monthly rule to an office in WITA: it opens on the 1st and the 16th at 08:00 WITA, the lists written as the sample writes them', () => {
    const wita = witFiles();
    const herald = `offices/${WIT_OFFICE}/herald.yaml`;
    wita[herald] = wita[herald]!.replace('timezone: Asia/Jayapura # WIT', 'timezone: Asia/Makassar # WITA');
    const result = edited(wita, WIT_OFFICE, {
      kind: 'add-recurring',
      rule: { id: 'sabtu', twiceMonthly: { days: ['1', '16'] }, at: '08:00', serviceWeekdays: ['saturday'], counts: { regular: '15', lansia: 3 }, from: '2026-12-10', note: 'Layanan Sabtu' },
    });
    const after = result.files[`offices/${WIT_OFFICE}/calendar.yaml`]!;
    expect(after).toContain('  - id: sabtu\n    twiceMonthly: { days: [1, 16] }\n    at: "08:00"\n    serviceWeekdays: [saturday]\n    quota: { regular: 15, lansia: 3 }\n    from: 2026-12-10\n    note: Layanan Sabtu\n');
    expect(result.office.timezone).toBe('Asia/Makassar');
    // The 16th covers the 1st to the 15th of the next month; the 1st covers the 16th to the month end.
    expect(openings(result.office, 'sabtu', '2026-12-10', '2027-01-31')).toEqual([
      { id: 'sabtu@2026-12-16', opensAt: at('2026-12-16T08:00+08:00'), days: ['2027-01-02', '2027-01-09'] },
      { id: 'sabtu@2027-01-01', opensAt: at('2027-01-01T08:00+08:00'), days: ['2027-01-16', '2027-01-23', '2027-01-30'] },
      { id: 'sabtu@2027-01-16', opensAt: at('2027-01-16T08:00+08:00'), days: ['2027-02-06', '2027-02-13'] },
    ]);
  });

  it('ends a rule (until) and removes one: later openings are gone, the rest of the file as it was', () => {
    const files = sampleFiles(NOW);
    const ended = edited(files, SAMPLE_OFFICE, { kind: 'end-recurring', id: 'mingguan', until: '2026-12-11' });
    expect(diffLines(files['calendar.yaml']!, ended.files['calendar.yaml']!)).toEqual({ removed: [], added: ['    until: 2026-12-11'] });
    expect(openings(ended.office, 'mingguan', '2026-12-01', '2027-01-31').map((opening) => opening.id)).toEqual(['mingguan@2026-12-04', 'mingguan@2026-12-11']);

    const added = addRecurringRule(WIT_CALENDAR, { id: 'tambahan', weekly: { weekday: 'saturday' }, at: '08:00', serviceWeekdays: ['saturday'], counts: { umroh: 5 } });
    const removed = applyCalendarEdit({ ...witFiles(), [`offices/${WIT_OFFICE}/calendar.yaml`]: added }, `offices/${WIT_OFFICE}/calendar.yaml`, { kind: 'remove-recurring', id: 'tambahan' });
    expect(removed.ok && removed.files[`offices/${WIT_OFFICE}/calendar.yaml`]).toBe(WIT_CALENDAR);
  });

  it('refuses to change, end or remove a rule the file does not have, on the id field', () => {
    for (const edit of [
      { kind: 'change-recurring', id: 'tidak-ada', change: { at: '10:00' } },
      { kind: 'end-recurring', id: 'tidak-ada', until: '2026-12-31' },
      { kind: 'remove-recurring', id: 'tidak-ada' },
    ] satisfies CalendarEdit[]) {
      expect(applyCalendarEdit(sampleFiles(NOW), 'calendar.yaml', edit)).toEqual({ ok: false, problem: expect.objectContaining({ field: 'id', message: 'Pembukaan rutin `tidak-ada` tidak ada di calendar.yaml.' }) });
    }
    expect(() => changeRecurringRule('recurring: [', 'mingguan', { at: '10:00' })).toThrow(/tidak dapat dibaca/);
  });
});

describe.each(DIALECTS)('console/edit ending a rule with the store on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  const PLANNED_AT = at('2026-12-10T12:00+07:00');
  const EVENING = at('2026-12-10T19:00+07:00');
  const AFTER = at('2026-12-10T20:00+07:00');

  it('previews ending the weekly rule at its last past opening: the published h-1 of Friday gets a cancellation per channel, the pending posts of later openings are not sent', async () => {
    const files = sampleFiles(PLANNED_AT);
    const check = checkEdit(files, SAMPLE_OFFICE, environment(PLANNED_AT));
    await createRevision(ctx.store, { officeId: SAMPLE_OFFICE, parentId: null, author: 'files', message: 'start', files, problems: check.loaderProblems }, PLANNED_AT);
    await replanInto(ctx.store, check.loaded!.config, PLANNED_AT);
    for (const post of await listPosts(ctx.store, { states: ['planned'], to: new Date(EVENING.getTime() + 1) })) await markRendered(ctx.store, { id: post.id, revision: post.revision }, '{"text":"rendered"}', EVENING);
    for (const post of await claimDue(ctx.store, { now: EVENING, owner: 'w1', leaseMs: 60_000, limit: 100 })) {
      await markPublished(ctx.store, { id: post.id, revision: post.revision, owner: 'w1' }, { remoteId: `remote-${post.id}`, url: null, publishedAt: EVENING });
    }

    const draft = (await openForEdit(ctx.store, SAMPLE_OFFICE))!;
    const applied = applyCalendarEdit(draft.files, draft.calendarFile, { kind: 'end-recurring', id: 'mingguan', until: '2026-12-04' });
    if (!applied.ok) throw new Error(applied.problem.message);
    const result = await previewEdit(ctx.store, { officeId: SAMPLE_OFFICE, files: applied.files, env: environment(AFTER) });
    if (!result.ok) throw new Error(JSON.stringify(result.check.problems));
    const { preview } = result;
    expect(preview.corrections.map(({ post }) => `${post.kind}/${post.releaseId}/${post.channelId}`).sort()).toEqual(['cancellation/mingguan@2026-12-11/instagram', 'cancellation/mingguan@2026-12-11/x']);
    expect(preview.removed.length).toBeGreaterThan(0);
    expect(preview.removed.every((post) => post.releaseId !== null && post.releaseId.startsWith('mingguan@') && post.releaseId > 'mingguan@2026-12-04')).toBe(true);
    expect(preview.added).toEqual([]);
  });
});
