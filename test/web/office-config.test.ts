/**
 * web/office-config: the config a console page shows is the office's current
 * revision in the store, loaded once per revision id — the same revision
 * reuses the loaded config, a new current revision is loaded; no revision and
 * a current revision that no longer loads are answered, not thrown.
 */
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles } from '../../src/app/revision-files';
import { createRevision, getCurrentRevision, type RevisionFiles } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import { createOfficeConfigLoader, type OfficeConfigLoad } from '../../src/web/office-config';
import { REPO_ROOT } from '../support/cli';
import { useTestStore } from '../support/databases';

const CONFIG = path.join(REPO_ROOT, 'config');
const OFFICE = 'kanim-pontianak';
const NOW = new Date('2026-11-27T06:30:00Z');

function sampleFiles(): Record<string, string> {
  const [office] = readOfficeFiles(CONFIG, { now: NOW });
  return { ...office!.files };
}

function edited(files: Record<string, string>, file: string, from: string, to: string): Record<string, string> {
  expect(files[file]).toContain(from);
  return { ...files, [file]: files[file]!.replace(from, to) };
}

/** A revision as `config import` stores one: checked by the same loader first. */
async function record(store: Store, files: RevisionFiles, author: string): Promise<number> {
  const parentId = (await getCurrentRevision(store, OFFICE))?.id ?? null;
  const { problems } = checkRevisionFiles(files, { sourceDir: CONFIG, now: NOW, officeId: OFFICE });
  const created = await createRevision(store, { officeId: OFFICE, parentId, author, message: author, files, problems }, NOW);
  expect(created.current).toBe(true);
  return created.revision.id;
}

function regularQuota(load: OfficeConfigLoad): number | undefined {
  if (load.status !== 'loaded') throw new Error(`expected a loaded config, got ${load.status}`);
  const office = load.office.config.offices.find((each) => each.id === OFFICE)!;
  return office.calendar.recurring[0]?.quota.regular;
}

describe('web/office-config (sqlite)', () => {
  const db = useTestStore('sqlite');
  const load = (): ((officeId: string) => Promise<OfficeConfigLoad>) => createOfficeConfigLoader(db.store, { configDir: CONFIG }, () => NOW);

  it('an office with no revision in the store is missing', async () => {
    await expect(load()(OFFICE)).resolves.toEqual({ status: 'missing' });
  });

  it('loads the current revision once: the same revision reuses it, a new current revision is loaded', async () => {
    const officeConfig = load();
    const first = await record(db.store, sampleFiles(), 'ani');
    const loaded = await officeConfig(OFFICE);
    expect(loaded).toMatchObject({ status: 'loaded', revisionId: first, office: { officeId: OFFICE } });
    expect(regularQuota(loaded)).toBe(120);
    // The very same object: nothing was loaded again.
    expect(await officeConfig(OFFICE)).toBe(loaded);

    const second = await record(db.store, edited(sampleFiles(), 'calendar.yaml', 'quota: { regular: 120, express: 20 }', 'quota: { regular: 90, express: 20 }'), 'budi');
    const reloaded = await officeConfig(OFFICE);
    expect(reloaded).not.toBe(loaded);
    expect(reloaded).toMatchObject({ status: 'loaded', revisionId: second });
    expect(regularQuota(reloaded)).toBe(90);
    expect(await officeConfig(OFFICE)).toBe(reloaded);
    // Another loader (another instance) gets the same current revision.
    expect(regularQuota(await load()(OFFICE))).toBe(90);
  });

  it('a current revision that does not load is broken, with the problems where they are; a fixed revision loads again', async () => {
    const officeConfig = load();
    const good = sampleFiles();
    const broken = edited(good, 'calendar.yaml', 'weekday: friday', 'weekday: fryday');
    // Stored as valid (checked by an older version, or against other templates): the store trusts the problems it is given.
    const brokenId = (await createRevision(db.store, { officeId: OFFICE, parentId: null, author: 'ani', message: 'typo', files: broken, problems: [] }, NOW)).revision.id;
    const answer = await officeConfig(OFFICE);
    expect(answer).toMatchObject({ status: 'broken', revisionId: brokenId });
    if (answer.status !== 'broken') throw new Error('unreachable');
    const errors = answer.problems.filter((problem) => problem.severity === 'error');
    expect(errors.map((problem) => problem.message).join('\n')).toContain('fryday');
    expect(errors.every((problem) => problem.location?.file === undefined || problem.location.file === 'calendar.yaml')).toBe(true);
    expect(await officeConfig(OFFICE)).toBe(answer);

    const fixedId = await record(db.store, good, 'budi');
    await expect(officeConfig(OFFICE)).resolves.toMatchObject({ status: 'loaded', revisionId: fixedId });
  });

  it('caches each office on its own: another office without a revision stays missing', async () => {
    const officeConfig = load();
    await record(db.store, sampleFiles(), 'ani');
    await expect(officeConfig(OFFICE)).resolves.toMatchObject({ status: 'loaded' });
    await expect(officeConfig('kanim-medan')).resolves.toEqual({ status: 'missing' });
  });
});
