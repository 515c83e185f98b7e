import type { Problem } from '../../src/errors';
import { createRevision, getCurrentRevision, getRevision, hashFiles, listCurrentIds, listRevisions, MergeConflictError, StaleParentError, type CreatedRevision, type RevisionFiles } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import { DIALECTS, useTestStore } from '../support/databases';
import { at } from './post-builder';

const NOW = at('2026-11-27T13:00+07:00');
const FILES = { 'herald.yaml': 'office:\n  id: kanim\n', 'calendar.yaml': 'recurring: []\n' };
const BAD: Problem = { location: { file: 'calendar.yaml', line: 3, col: 5 }, message: 'unknown key', severity: 'error' };
const WARNING: Problem = { location: { file: 'calendar.yaml', line: 1, col: 1 }, message: 'empty', severity: 'warning' };
const later = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

describe.each(DIALECTS)('store/config-revisions on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('makes a valid revision current and keeps an invalid one on record without making it current', async () => {
    const first = await createRevision(ctx.store, { officeId: 'kanim', parentId: null, author: 'files', message: 'start', files: FILES, problems: [WARNING] }, NOW);
    expect(first).toMatchObject({ current: true, unchanged: false, revision: { officeId: 'kanim', parentId: null, author: 'files', valid: true, files: FILES, problems: [WARNING] } });
    expect(first.revision.contentHash).toBe(hashFiles(FILES));

    const broken = { ...FILES, 'calendar.yaml': 'recurring: [\n' };
    const bad = await createRevision(ctx.store, { officeId: 'kanim', parentId: first.revision.id, author: 'files', message: 'typo', files: broken, problems: [BAD] }, later(1));
    expect(bad).toMatchObject({ current: false, revision: { valid: false, problems: [BAD], files: broken } });
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(first.revision.id);
    expect((await getRevision(ctx.store, bad.revision.id))?.createdAt).toEqual(later(1));

    const log = await listRevisions(ctx.store, { officeId: 'kanim' });
    expect(log.map((r) => [r.id, r.valid])).toEqual([
      [bad.revision.id, false],
      [first.revision.id, true],
    ]);
  });

  it('refuses a valid change made from a revision that is no longer current, and says what to do', async () => {
    const base = await createRevision(ctx.store, { officeId: 'kanim', parentId: null, author: 'files', message: 'start', files: FILES, problems: [] }, NOW);
    const edit = (text: string, author: string) => ({ officeId: 'kanim', parentId: base.revision.id, author, message: 'edit', files: { ...FILES, 'calendar.yaml': text }, problems: [] });
    const ani = await createRevision(ctx.store, edit('recurring: [a]\n', 'ani'), later(1));
    expect(ani.current).toBe(true);
    const refused = createRevision(ctx.store, edit('recurring: [b]\n', 'budi'), later(2));
    await expect(refused).rejects.toBeInstanceOf(StaleParentError);
    await expect(refused).rejects.toThrow(`made from revision ${base.revision.id}, but revision ${ani.revision.id} (by ani) is current now`);
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.author).toBe('ani');
    expect(await listRevisions(ctx.store)).toHaveLength(2);
    // From the current one, the same change goes in.
    const retried = await createRevision(ctx.store, { ...edit('recurring: [b]\n', 'budi'), parentId: ani.revision.id }, later(3));
    expect(retried.current).toBe(true);
  });

  it('stores nothing for a change equal to the current revision; offices are separate', async () => {
    const a = await createRevision(ctx.store, { officeId: 'a', parentId: null, author: 'files', message: '', files: FILES, problems: [] }, NOW);
    const again = await createRevision(ctx.store, { officeId: 'a', parentId: a.revision.id, author: 'files', message: '', files: { ...FILES }, problems: [] }, later(1));
    expect(again).toMatchObject({ unchanged: true, current: true, revision: { id: a.revision.id } });
    const b = await createRevision(ctx.store, { officeId: 'b', parentId: null, author: 'cli', message: '', files: FILES, problems: [] }, NOW);
    expect(await listCurrentIds(ctx.store)).toEqual(new Map([['a', a.revision.id], ['b', b.revision.id]]));
    expect(await listRevisions(ctx.store, { officeId: 'b' })).toHaveLength(1);
  });
});

/** Lines with their newlines; a calendar of three releases (a, b, c), each two lines. */
const lines = (...items: string[]): string => items.map((item) => `${item}\n`).join('');
const CALENDAR = ['releases:', '  - id: a', '    quota: 10', '  - id: b', '    quota: 20', '  - id: c', '    quota: 30'];
const BASE_FILES = { 'herald.yaml': lines('office:', '  id: kanim', '  name: Kanim'), 'calendar.yaml': lines(...CALENDAR) };
/** CALENDAR with line `n` (1-based) replaced by `text` (several lines when given several). */
const calendar = (...edits: [number, ...string[]][]): string => {
  const out = [...CALENDAR];
  for (const [n, ...text] of [...edits].sort((x, y) => y[0] - x[0])) out.splice(n - 1, 1, ...text);
  return lines(...out);
};

/**
 * A stand-in for the config loader's check (the CLI and bot tests use the real
 * one): two releases with the same id are an error, as the loader says.
 */
function duplicateIds(files: RevisionFiles): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  (files['calendar.yaml'] ?? '').split('\n').forEach((line, index) => {
    const id = /^ {2}- id: (\S+)$/.exec(line)?.[1];
    if (id === undefined) return;
    if (seen.has(id)) problems.push({ location: { file: 'calendar.yaml', line: index + 1, col: 9 }, message: `duplicate release id \`${id}\``, severity: 'error' });
    seen.set(id, index + 1);
  });
  return problems;
}

describe.each(DIALECTS)('store/config-revisions on %s: merging a change from an older revision', (dialect) => {
  const ctx = useTestStore(dialect);
  const checked: RevisionFiles[] = [];
  const check = (files: RevisionFiles): Problem[] => {
    checked.push(files);
    return duplicateIds(files);
  };
  beforeEach(() => (checked.length = 0));
  const change = (parentId: number | null, author: string, files: RevisionFiles, message = 'edit') => ({ officeId: 'kanim', parentId, author, message, files, problems: duplicateIds(files) });
  const start = async (store: Store = ctx.store): Promise<number> => (await createRevision(store, change(null, 'files', BASE_FILES, 'start'), NOW)).revision.id;

  it('merges edits of different lines and files: the merge is checked, current, parent the current one; the change as made is kept, never current', async () => {
    const base = await start();
    const ani = await createRevision(ctx.store, change(base, 'ani', { ...BASE_FILES, 'calendar.yaml': calendar([3, '    quota: 15']) }), later(1), { check });
    expect(ani).toMatchObject({ current: true, unchanged: false });
    expect(ani.merged).toBeUndefined();
    expect(checked).toEqual([]); // from the current revision: nothing to merge, nothing checked here

    const budiFiles = { 'herald.yaml': lines('office:', '  id: kanim', '  name: Kanim Pontianak'), 'calendar.yaml': calendar([7, '    quota: 35', '    note: Sabtu']), 'kuota.csv': 'date,regular\n' };
    const budi = await createRevision(ctx.store, change(base, 'budi', budiFiles), later(2), { check });
    expect(budi).toMatchObject({ current: true, unchanged: false, merged: { withId: ani.revision.id, change: { parentId: base, author: 'budi', valid: true, files: budiFiles } } });
    const made = budi.merged!.change;
    expect(budi.revision).toMatchObject({ parentId: ani.revision.id, author: 'budi', valid: true, message: `edit (revision ${made.id} merged with revision ${ani.revision.id})` });
    const merged = budi.revision.files;
    expect(Object.keys(merged).sort()).toEqual(['calendar.yaml', 'herald.yaml', 'kuota.csv']);
    expect(merged['calendar.yaml']!.split('\n')).toEqual(['releases:', '  - id: a', '    quota: 15', '  - id: b', '    quota: 20', '  - id: c', '    quota: 35', '    note: Sabtu', '']);
    expect(merged['herald.yaml']).toBe(budiFiles['herald.yaml']);
    expect(merged['kuota.csv']).toBe('date,regular\n');
    expect(checked).toEqual([merged]);
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(budi.revision.id);
    expect((await getRevision(ctx.store, made.id))?.valid).toBe(true);
    expect(await listCurrentIds(ctx.store)).toEqual(new Map([['kanim', budi.revision.id]]));

    // budi edits his files again — the same line he changed — made from his change as recorded: only the new edit is merged.
    const again = await createRevision(ctx.store, change(made.id, 'budi', { ...budiFiles, 'calendar.yaml': calendar([7, '    quota: 40', '    note: Sabtu']) }), later(3), { check });
    expect(again.current).toBe(true);
    expect(again.revision.files['calendar.yaml']).toBe(calendar([3, '    quota: 15'], [7, '    quota: 40', '    note: Sabtu']));

    // A change whose edits the current revision already has: nothing new is current, the change is on record.
    const carl = await createRevision(ctx.store, change(base, 'carl', { ...BASE_FILES, 'calendar.yaml': calendar([3, '    quota: 15']) }), later(4), { check });
    expect(carl).toMatchObject({ current: true, unchanged: true, revision: { id: again.revision.id }, merged: { withId: again.revision.id, change: { author: 'carl', parentId: base } } });
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(again.revision.id);
  });

  it('refuses edits of the same lines (or a file one removed and the other edited), naming each file and line range; nothing is stored', async () => {
    const base = await start();
    const ani = await createRevision(ctx.store, change(base, 'ani', { 'calendar.yaml': calendar([3, '    quota: 15'], [7, '    quota: 35']) }), later(1), { check });
    const before = await listRevisions(ctx.store);
    const budiFiles = { 'herald.yaml': BASE_FILES['herald.yaml'].replace('Kanim', 'Kanim Pontianak'), 'calendar.yaml': calendar([3, '    quota: 12'], [5, '    quota: 25']) };
    const refused = createRevision(ctx.store, change(base, 'budi', budiFiles), later(2), { check });
    await expect(refused).rejects.toBeInstanceOf(MergeConflictError);
    const error = (await refused.catch((e: unknown) => e)) as MergeConflictError;
    expect(error).toBeInstanceOf(StaleParentError);
    expect(error.message.split('\n')).toEqual([
      `office kanim: the change was made from revision ${base}, but revision ${ani.revision.id} (by ani) is current now, and the two changed the same lines; nothing was changed:`,
      `  calendar.yaml: line 3 of revision ${base}, changed by both (revision ${ani.revision.id}: line 3; the change: line 3)`,
      `  herald.yaml: revision ${ani.revision.id} removed it, the change edited it`,
      `To go on: \`quota-herald config export DIR\` writes revision ${ani.revision.id} as files; make the change again there, then \`quota-herald config import DIR\`.`,
    ]);
    expect(checked).toEqual([]);
    expect(await listRevisions(ctx.store)).toEqual(before);
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(ani.revision.id);
  });

  it('a textually clean merge that fails the check is kept as invalid, never current; the change as made is kept', async () => {
    const base = await start();
    // Each adds a release `d`, at either end: valid alone, two releases `d` together.
    const ani = await createRevision(ctx.store, change(base, 'ani', { ...BASE_FILES, 'calendar.yaml': calendar([1, 'releases:', '  - id: d', '    quota: 5']) }), later(1), { check });
    const budi = await createRevision(ctx.store, change(base, 'budi', { ...BASE_FILES, 'calendar.yaml': calendar([7, '    quota: 30', '  - id: d', '    quota: 6']) }), later(2), { check });
    expect(budi).toMatchObject({ current: false, unchanged: false, merged: { withId: ani.revision.id, change: { valid: true, author: 'budi' } }, revision: { valid: false, parentId: ani.revision.id } });
    expect(budi.revision.problems).toEqual([{ location: { file: 'calendar.yaml', line: 10, col: 9 }, message: 'duplicate release id `d`', severity: 'error' }]);
    expect(checked).toHaveLength(1);
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(ani.revision.id);
    expect((await listRevisions(ctx.store)).map((r) => [r.author, r.valid])).toEqual([
      ['budi', false],
      ['budi', true],
      ['ani', true],
      ['files', true],
    ]);
  });

  it('merges again when yet another revision became current while the merge was checked: nothing is lost', async () => {
    const base = await start();
    const ani = await createRevision(ctx.store, change(base, 'ani', { ...BASE_FILES, 'calendar.yaml': calendar([3, '    quota: 15']) }), later(1));
    let carl: CreatedRevision | undefined;
    const slowCheck = async (files: RevisionFiles): Promise<Problem[]> => {
      // While budi's merge is being checked (no lock held), carl's edit of ani's revision goes in.
      if (!carl) carl = await createRevision(ctx.store, change(ani.revision.id, 'carl', { ...BASE_FILES, 'calendar.yaml': calendar([3, '    quota: 15'], [5, '    quota: 25']) }), later(2));
      return check(files);
    };
    const budi = await createRevision(ctx.store, change(base, 'budi', { ...BASE_FILES, 'calendar.yaml': calendar([7, '    quota: 35']) }), later(3), { check: slowCheck });
    expect(carl?.current).toBe(true);
    expect(checked).toHaveLength(2); // merged with ani's, then — ani's no longer current — with carl's
    expect(budi).toMatchObject({ current: true, merged: { withId: carl!.revision.id }, revision: { parentId: carl!.revision.id } });
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.files['calendar.yaml']).toBe(calendar([3, '    quota: 15'], [5, '    quota: 25'], [7, '    quota: 35']));
  });

  it('two writers from the same parent at once: one is current first, the other merged (different lines) or refused (same lines); never both lost or both current', async () => {
    // SQLite: one store (better-sqlite3 waits for a lock synchronously, so a second connection in
    // this process would block the first); writers in other processes are the CLI test's race.
    const other = dialect === 'postgres' ? await ctx.open() : ctx.store;
    const base = await start();
    const edit = (author: string, line: number, text: string) => change(base, author, { ...BASE_FILES, 'calendar.yaml': calendar([line, text]) });

    const apart = await Promise.all([createRevision(ctx.store, edit('ani', 3, '    quota: 15'), later(1), { check }), createRevision(other, edit('budi', 7, '    quota: 35'), later(1), { check })]);
    expect(apart.filter((created) => created.merged === undefined)).toHaveLength(1);
    const merge = apart.find((created) => created.merged !== undefined)!;
    expect(merge.current).toBe(true);
    expect(merge.merged!.withId).toBe(apart.find((created) => created.merged === undefined)!.revision.id);
    const current = await getCurrentRevision(ctx.store, 'kanim');
    expect(current?.id).toBe(merge.revision.id);
    expect(current?.files['calendar.yaml']).toBe(calendar([3, '    quota: 15'], [7, '    quota: 35']));

    const from = current!.id;
    const same = (author: string, text: string) => ({ ...change(from, author, { ...current!.files, 'calendar.yaml': current!.files['calendar.yaml']!.replace('quota: 20', text) }) });
    const outcomes = await Promise.allSettled([createRevision(ctx.store, same('carl', 'quota: 21'), later(2), { check }), createRevision(other, same('dewi', 'quota: 22'), later(2), { check })]);
    const won = outcomes.filter((o): o is PromiseFulfilledResult<CreatedRevision> => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(MergeConflictError);
    expect(won[0]!.value).toMatchObject({ current: true, revision: { parentId: from } });
    expect((await getCurrentRevision(ctx.store, 'kanim'))?.id).toBe(won[0]!.value.revision.id);
  });
});

describe('store/config-revisions on postgres, two writers at once', () => {
  const ctx = useTestStore('postgres');

  it('lets exactly one of two concurrent writers from the same parent through', async () => {
    const other = await ctx.open();
    {
      const base = await createRevision(ctx.store, { officeId: 'kanim', parentId: null, author: 'files', message: '', files: FILES, problems: [] }, NOW);
      const change = (text: string) => ({ officeId: 'kanim', parentId: base.revision.id, author: text, message: '', files: { ...FILES, 'calendar.yaml': text }, problems: [] });
      const outcomes = await Promise.allSettled([createRevision(ctx.store, change('x'), later(1)), createRevision(other, change('y'), later(1))]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === 'rejected');
      expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(StaleParentError);
    }
  });
});
