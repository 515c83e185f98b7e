import type { Problem } from '../../src/errors';
import { createRevision, getCurrentRevision, getRevision, hashFiles, listCurrentIds, listRevisions, StaleParentError } from '../../src/store/config-revisions';
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
