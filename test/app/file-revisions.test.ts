/**
 * The running bot records the files it loads as config revisions (author
 * "files"): at start and at each changed reload; a broken edit is on record
 * but never current; an edit on disk made while another writer's revision
 * became current is merged with it when the two changed different lines (the
 * bot then runs the merge, not its files), else refused and logged, never
 * recorded over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFileRevisionRecorder } from '../../src/app/file-revisions';
import { createSilentLogger } from '../../src/logger';
import { createRevision, getCurrentRevision, listRevisions, type ConfigRevision } from '../../src/store/config-revisions';
import { openStore, type Store } from '../../src/store/open';
import { REPO_ROOT } from '../support/cli';
import { sleep, waitFor } from '../support/process';
import { heraldYaml, LedgerReader, makeBotDirs, officeDay, startBot, waitForAnnounced } from './bot-harness';

const OFFICE = 'kanim-pontianak';

function calendarYaml(regular: number): string {
  return ['releases:', '  - id: edit', `    opensAt: "${officeDay(10)} 10:00"`, '    days:', `      - { date: ${officeDay(13)}, quota: { regular: ${regular}, express: 5 } }`, ''].join('\n');
}

describe('app/file-revisions: the bot records what it loads', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('records start and each changed reload; a broken edit stays invalid; a stale edit on disk is refused', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-file-revisions-', dirs);
    const calendarFile = path.join(configDir, 'calendar.yaml');
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(calendarFile, calendarYaml(100));

    const bot = startBot({ configDir, dataDir, watchDebounceMs: 100 });
    const ledger = new LedgerReader(dataDir);
    let store: Store | undefined;
    try {
      const revisionsNow = async (count: number, what: string): Promise<Omit<ConfigRevision, 'files'>[]> => {
        let found: Omit<ConfigRevision, 'files'>[] = [];
        const started = Date.now();
        for (;;) {
          // The bot creates the ledger (and runs the migrations) before recording anything.
          store ??= bot.logs().includes('recorded from the files') ? await openStore({ dataDir }) : undefined;
          found = store ? await listRevisions(store, { officeId: OFFICE }) : [];
          if (found.length >= count) return found;
          if (Date.now() - started > 30_000) throw new Error(`timed out waiting for ${what}\n${bot.logs()}`);
          await sleep(200);
        }
      };

      const [first] = await revisionsNow(1, 'the revision of the start');
      expect(first).toMatchObject({ author: 'files', parentId: null, valid: true, message: 'loaded at start' });
      expect((await getCurrentRevision(store!, OFFICE))?.files['calendar.yaml']).toBe(calendarYaml(100));

      fs.writeFileSync(calendarFile, calendarYaml(80));
      const [second] = await revisionsNow(2, 'the revision of the edit');
      expect(second).toMatchObject({ author: 'files', parentId: first!.id, valid: true });
      expect((await getCurrentRevision(store!, OFFICE))?.id).toBe(second!.id);

      fs.writeFileSync(calendarFile, calendarYaml(80).replace('regular: 80', 'regular: -3'));
      const [broken] = await revisionsNow(3, 'the revision of the broken edit');
      expect(broken).toMatchObject({ author: 'files', valid: false });
      expect(broken!.problems.some((p) => p.severity === 'error' && p.location?.file === 'calendar.yaml')).toBe(true);
      expect((await getCurrentRevision(store!, OFFICE))?.id).toBe(second!.id);

      // Another writer (an import, the console) makes a newer revision current.
      const other = await createRevision(store!, { officeId: OFFICE, parentId: second!.id, author: 'ani', message: 'from the console', files: { 'herald.yaml': heraldYaml(), 'calendar.yaml': calendarYaml(70) }, problems: [] }, new Date());
      // The bot follows it (polling) and re-plans once, claimed as that revision's re-plan.
      await waitForAnnounced(ledger, 'edit', 70, 'the followed revision', bot.logs);
      expect(bot.logs()).toContain(`now running config revision ${other.revision.id} of office ${OFFICE} (by ani)`);
      const runs = await store!.db.selectFrom('job_runs').select(['period_key', 'finished_at']).where('job', '=', 'replan-revision').execute();
      expect(runs.map((run) => run.period_key).sort()).toEqual([`${OFFICE}@${first!.id}`, `${OFFICE}@${second!.id}`, `${OFFICE}@${other.revision.id}`]);

      // An edit of the out-of-date files is refused, and not run: the followed revision stays.
      fs.writeFileSync(calendarFile, calendarYaml(60));
      await waitFor(() => bot.logs().includes('the config files were not recorded'), 30_000, () => `the refusal in the log\n${bot.logs()}`);
      expect(bot.logs()).toContain(`but revision ${other.revision.id} (by ani) is current now`);
      expect((await getCurrentRevision(store!, OFFICE))?.author).toBe('ani');
      expect(await listRevisions(store!, { officeId: OFFICE })).toHaveLength(4);
      expect(new Set(ledger.announcedRegular('edit'))).toEqual(new Set([70]));

      // Files brought up to date (what `config export` does), then edited: recorded from ani's revision and run.
      fs.writeFileSync(calendarFile, calendarYaml(70));
      await waitFor(() => bot.logs().includes(`equal its current revision ${other.revision.id}`), 30_000, () => `the up-to-date files read\n${bot.logs()}`);
      fs.writeFileSync(calendarFile, calendarYaml(50));
      const [fifth] = await revisionsNow(5, 'the edit made from the followed revision');
      expect(fifth).toMatchObject({ author: 'files', parentId: other.revision.id, valid: true });
      await waitForAnnounced(ledger, 'edit', 50, 'the edit after following', bot.logs);
    } finally {
      ledger.close();
      await store?.close();
      await bot.stop();
    }
  }, 90_000);

  it('an edit on disk of other lines than a revision made meanwhile is merged with it: the merge is current and runs, the next edit merges only what is new', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-file-merge-', dirs);
    const name = (to: string) => heraldYaml((text) => text.replace('  name: Kantor Imigrasi Kelas I TPI Pontianak\n', `  name: ${to}\n`));
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), calendarYaml(100));

    const bot = startBot({ configDir, dataDir, watchDebounceMs: 100 });
    const ledger = new LedgerReader(dataDir);
    let store: Store | undefined;
    try {
      await waitFor(() => bot.logs().includes('recorded from the files (current)'), 30_000, () => `the revision of the start\n${bot.logs()}`);
      store = await openStore({ dataDir });
      const first = (await getCurrentRevision(store, OFFICE))!;
      expect(first.files['herald.yaml']).toBe(heraldYaml());

      // Another writer changes the calendar; the bot follows it.
      const other = await createRevision(store, { officeId: OFFICE, parentId: first.id, author: 'ani', message: 'from the console', files: { ...first.files, 'calendar.yaml': calendarYaml(70) }, problems: [] }, new Date());
      await waitForAnnounced(ledger, 'edit', 70, 'the followed revision', bot.logs);

      // The files on disk, still made from the first revision, get another edit: herald.yaml only.
      fs.writeFileSync(path.join(configDir, 'herald.yaml'), name('Kantor Imigrasi Pontianak'));
      await waitFor(() => /were merged: revision \d+ is current and runs/.test(bot.logs()), 30_000, () => `the merge in the log\n${bot.logs()}`);
      const merged = (await getCurrentRevision(store, OFFICE))!;
      expect(merged).toMatchObject({ author: 'files', parentId: other.revision.id, valid: true });
      expect(merged.message).toMatch(new RegExp(`\\(revision \\d+ merged with revision ${other.revision.id}\\)$`));
      expect(merged.files).toEqual({ 'herald.yaml': name('Kantor Imigrasi Pontianak'), 'calendar.yaml': calendarYaml(70) });
      await waitFor(() => bot.logs().includes(`now running config revision ${merged.id} of office ${OFFICE}`), 30_000, () => `the bot running the merge\n${bot.logs()}`);
      // It runs the merge — ani's 70 — not the files on disk, which still say 100.
      expect(new Set(ledger.announcedRegular('edit'))).toEqual(new Set([70]));

      // The same line edited again on disk: made from the edit as recorded, so only this edit is new and it merges.
      fs.writeFileSync(path.join(configDir, 'herald.yaml'), name('Kanim Pontianak'));
      await waitFor(() => bot.logs().split('were merged').length === 3, 30_000, () => `the second merge\n${bot.logs()}`);
      const again = (await getCurrentRevision(store, OFFICE))!;
      expect(again).toMatchObject({ parentId: merged.id, files: { 'herald.yaml': name('Kanim Pontianak'), 'calendar.yaml': calendarYaml(70) } });
      await waitFor(() => bot.logs().includes(`now running config revision ${again.id} of office ${OFFICE}`), 30_000, () => `the bot running the second merge\n${bot.logs()}`);
      expect(bot.logs()).not.toContain('the config files were not recorded');
      // Never a re-plan from the files on disk (they lack ani's change): only from the revisions followed.
      expect(bot.logs()).toMatch(/"reason":"config revision (?:[^"@]+@)?\d+"[^\n]*"msg":"re-planned"/);
      expect(bot.logs()).not.toMatch(/"reason":"config changed"[^\n]*"msg":"re-planned"/);
    } finally {
      ledger.close();
      await store?.close();
      await bot.stop();
    }
  }, 90_000);
});

describe('app/file-revisions: a restart with unchanged files', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('finds files equal to the current revision unchanged without loading them again', async () => {
    const { dir, configDir, dataDir } = makeBotDirs('herald-restart-revisions-', dirs);
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), calendarYaml(100));
    const store = await openStore({ dataDir });
    try {
      const now = new Date();
      const logger = createSilentLogger();
      const first = createFileRevisionRecorder(store, { configDir, templatesDir: path.join(REPO_ROOT, 'templates'), logger });
      expect(await first.record('loaded at start', now)).toEqual(new Map([[OFFICE, 'current']]));
      const [recorded] = await listRevisions(store, { officeId: OFFICE });

      // The next start (a crash, a deploy): the same files. This recorder is given a templates
      // folder that does not exist, so a load of the files would fail: finding them unchanged
      // shows they were compared with the current revision, not loaded (twice, in this layout)
      // while the restarted bot's due posts waited.
      const restarted = createFileRevisionRecorder(store, { configDir, templatesDir: path.join(dir, 'not-loaded'), logger });
      expect(await restarted.record('loaded at start', now)).toEqual(new Map([[OFFICE, 'unchanged']]));
      expect(restarted.runningRevision(OFFICE)).toBe(recorded!.id);
      expect(await listRevisions(store, { officeId: OFFICE })).toHaveLength(1);

      // An edit is still loaded and checked: a broken one is on record, not current.
      fs.writeFileSync(path.join(configDir, 'calendar.yaml'), calendarYaml(100).replace('regular: 100', 'regular: -3'));
      const checked = createFileRevisionRecorder(store, { configDir, templatesDir: path.join(REPO_ROOT, 'templates'), logger });
      checked.seed(OFFICE, { filesHash: '', filesRevisionId: recorded!.id, running: recorded!.id });
      expect(await checked.record('config changed', now)).toEqual(new Map([[OFFICE, 'invalid']]));
      expect((await getCurrentRevision(store, OFFICE))?.id).toBe(recorded!.id);
    } finally {
      await store.close();
    }
  });
});
