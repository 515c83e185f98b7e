/**
 * The console's config history (src/console/history.ts) on both stores:
 * revisions with author, time, state and a per-file diff against the parent;
 * revert through the `config revert` path, an invalid old revision's revert
 * recorded as rejected with its problems.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles } from '../../src/app/revision-files';
import { listOfficeHistory, revertRevision } from '../../src/console/history';
import { createRevision, getCurrentRevision, type RevisionFiles } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';
import { DIALECTS, useTestStore } from '../support/databases';
import { OFFICES, SHARED_HERALD, writeOfficesConfig } from '../support/offices-fixture';

const CONFIG = path.join(REPO_ROOT, 'config');
const NOW = new Date('2026-12-02T03:00:00Z');
const at = (minutes: number): Date => new Date(NOW.getTime() + minutes * 60_000);

async function record(store: Store, sourceDir: string, officeId: string, files: RevisionFiles, who: { author: string; message: string }, now: Date): Promise<number> {
  const parentId = (await getCurrentRevision(store, officeId))?.id ?? null;
  const problems = checkRevisionFiles(files, { sourceDir, now, officeId }).problems;
  return (await createRevision(store, { officeId, parentId, ...who, files, problems }, now)).revision.id;
}

function sampleFiles(): Record<string, string> {
  const [office] = readOfficeFiles(CONFIG, { now: NOW });
  expect(office?.officeId).toBe('kanim-pontianak');
  return { ...office!.files };
}

function edited(files: Record<string, string>, file: string, from: string, to: string): Record<string, string> {
  expect(files[file]).toContain(from);
  return { ...files, [file]: files[file]!.replace(from, to) };
}

describe.each(DIALECTS)('console/history (%s)', (dialect) => {
  const db = useTestStore(dialect);

  it('lists every revision newest first with author, time, parent, state, problems and a diff per file', async () => {
    const first = sampleFiles();
    const cut = edited(first, 'calendar.yaml', 'quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }');
    const broken = edited(cut, 'calendar.yaml', 'weekday: friday', 'weekday: fryday');
    await record(db.store, CONFIG, 'kanim-pontianak', first, { author: 'ani', message: 'first' }, at(0));
    await record(db.store, CONFIG, 'kanim-pontianak', cut, { author: 'budi', message: 'cut the regular quota' }, at(5));
    await record(db.store, CONFIG, 'kanim-pontianak', broken, { author: 'citra', message: 'typo' }, at(9));

    const history = await listOfficeHistory(db.store, 'kanim-pontianak');
    expect(history).toMatchObject({ officeId: 'kanim-pontianak', zone: 'Asia/Pontianak', currentId: 2 });
    expect(history.revisions.map((r) => [r.id, r.author, r.state, r.parentId, r.message, r.createdAt.toISOString()])).toEqual([
      [3, 'citra', 'rejected', 2, 'typo', at(9).toISOString()],
      [2, 'budi', 'current', 1, 'cut the regular quota', at(5).toISOString()],
      [1, 'ani', 'valid', null, 'first', at(0).toISOString()],
    ]);

    const [rejected, current, initial] = history.revisions;
    expect(rejected!.problems.find((p) => p.severity === 'error')).toMatchObject({ location: { file: 'calendar.yaml' } });
    expect(rejected!.problems.map((p) => p.message).join('\n')).toContain('fryday');

    expect(current!.diff).toMatchObject({ againstId: 1, added: 1, removed: 1 });
    expect(current!.diff.files).toHaveLength(1);
    const calendar = current!.diff.files[0]!;
    expect(calendar).toMatchObject({ file: 'calendar.yaml', status: 'changed', shared: false, added: 1, removed: 1 });
    expect(calendar.hunks).toHaveLength(1);
    const lines = calendar.hunks[0]!.lines;
    expect(lines.filter((l) => l.kind !== ' ')).toEqual([
      { kind: '-', text: '    quota: { regular: 120, express: 20 }' },
      { kind: '+', text: '    quota: { regular: 90, express: 20 }' },
    ]);
    // Three lines of context each side, numbered as diff -u numbers them.
    const changedAt = first['calendar.yaml']!.split('\n').indexOf('    quota: { regular: 120, express: 20 }') + 1;
    expect(calendar.hunks[0]).toMatchObject({ oldStart: changedAt - 3, oldLines: 7, newStart: changedAt - 3, newLines: 7 });

    // The first revision: every file added.
    expect(initial!.diff.againstId).toBeNull();
    expect(initial!.diff.files.map((f) => [f.file, f.status])).toEqual(Object.keys(first).sort().map((name) => [name, 'added']));
    expect(initial!.diff.added).toBe(Object.values(first).reduce((n, text) => n + text.split('\n').filter((_, i, all) => i < all.length - 1 || all[i] !== '').length, 0));
  }, 60_000);

  it('revert makes a new current revision with the old files; reverting an invalid revision records it as rejected with its problems', async () => {
    const first = sampleFiles();
    const cut = edited(first, 'calendar.yaml', 'quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }');
    const broken = edited(first, 'herald.yaml', 'timezone: Asia/Pontianak', 'timezone: Asia/Pontianakk');
    await record(db.store, CONFIG, 'kanim-pontianak', first, { author: 'ani', message: 'first' }, at(0));
    await record(db.store, CONFIG, 'kanim-pontianak', cut, { author: 'budi', message: 'cut' }, at(1));
    const invalidId = await record(db.store, CONFIG, 'kanim-pontianak', broken, { author: 'citra', message: 'zone typo' }, at(2));
    expect(invalidId).toBe(3);

    const reverted = await revertRevision(db.store, 1, 'dewi', { now: at(10), sourceDir: CONFIG });
    expect(reverted).toMatchObject({ status: 'current', revisionId: 4 });
    const history = await listOfficeHistory(db.store, 'kanim-pontianak');
    expect(history.currentId).toBe(4);
    expect(history.revisions[0]).toMatchObject({ id: 4, author: 'dewi', parentId: 2, state: 'current', message: 'revert to revision 1' });
    expect(history.revisions[0]!.diff.files.map((f) => [f.file, f.added, f.removed])).toEqual([['calendar.yaml', 1, 1]]);
    expect((await getCurrentRevision(db.store, 'kanim-pontianak'))!.files).toEqual(first);

    // Reverting to what is current stores nothing.
    expect(await revertRevision(db.store, 1, 'dewi', { now: at(11), sourceDir: CONFIG })).toMatchObject({ status: 'unchanged', revisionId: 4 });

    const refused = await revertRevision(db.store, invalidId, 'eka', { now: at(12), sourceDir: CONFIG, message: 'back to the zone typo' });
    expect(refused).toMatchObject({ status: 'rejected', revisionId: 5 });
    expect(refused.problems.find((p) => p.severity === 'error')).toMatchObject({ location: { file: 'herald.yaml', line: expect.any(Number), col: expect.any(Number) } });
    expect(refused.problems.map((p) => p.message).join('\n')).toContain('Asia/Pontianakk');
    const after = await listOfficeHistory(db.store, 'kanim-pontianak');
    expect(after.currentId).toBe(4);
    expect(after.revisions[0]).toMatchObject({ id: 5, author: 'eka', state: 'rejected', message: 'back to the zone typo' });

    expect(await revertRevision(db.store, 99, 'eka', { now: at(13), sourceDir: CONFIG })).toMatchObject({ status: 'refused', message: 'there is no revision 99' });
  }, 60_000);

  it('many offices: a shared edit shows in the office history as a shared file; the office own files are not shared', async () => {
    const dir = writeOfficesConfig({ opensOn: '2026-12-07', serviceDay: '2026-12-09' });
    try {
      const office = OFFICES[0];
      const read = (): RevisionFiles => readOfficeFiles(dir, { now: NOW, only: [office.id] })[0]!.files;
      await record(db.store, dir, office.id, read(), { author: 'files', message: 'start' }, at(0));
      fs.writeFileSync(path.join(dir, 'herald.yaml'), SHARED_HERALD.replace('horizonDays: 35', 'horizonDays: 40'));
      fs.appendFileSync(path.join(dir, 'offices', office.id, 'calendar.yaml'), '# checked by humas\n');
      await record(db.store, dir, office.id, read(), { author: 'files', message: 'edit' }, at(1));

      const history = await listOfficeHistory(db.store, office.id);
      expect(history.zone).toBe(office.zone);
      expect(history.revisions[0]!.diff.files.map((f) => [f.file, f.shared, f.added, f.removed])).toEqual([
        ['herald.yaml', true, 1, 1],
        [`offices/${office.id}/calendar.yaml`, false, 1, 0],
      ]);
      expect((await listOfficeHistory(db.store, OFFICES[1].id)).revisions).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
