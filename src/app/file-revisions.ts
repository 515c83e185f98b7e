/**
 * The running bot records the config files it loads as revisions, author
 * "files" (issue 8): at start and at each reload whose content changed. Each
 * office's files are checked on their own (app/revision-files.ts); a broken
 * office gives an invalid revision — on record, never current.
 *
 * The parent of a file revision is the office's revision this bot last
 * recorded or found current. When another writer (`config import`, `revert`,
 * next the console) made a newer revision current meanwhile, the store merges
 * the file edit with it when the two did not touch the same lines: the merge
 * becomes current (when it passes the checks) and the bot runs it, followed
 * from the store — not the files, which lack the other writer's change. The
 * next edit of the files is made from the edit as recorded, so merging again
 * takes only what is new. Edits of the same lines are refused, and said so in
 * the log: the files on disk no longer say what the office runs, and
 * `config export` writes the current one back.
 *
 * Recording never stops a reload: a database error is logged and the next
 * change tries again.
 */
import { formatProblem, type Problem } from '../errors';
import type { Logger } from '../logger';
import { createRevision, getCurrentRevision, hashFiles, StaleParentError, type CreatedRevision, type RevisionFiles } from '../store/config-revisions';
import type { Store } from '../store/open';
import { checkRevisionFiles, readOfficeFiles } from './revision-files';

/**
 * What became of one office's files. `merged`: the edit was merged with another
 * writer's newer revision, and the store's current revision (not the files) is
 * what to run. `refused`: another writer's newer revision is current and stays
 * (the edits overlap, or their merge does not pass the checks): the files must not be applied.
 */
export type FileRecordOutcome = 'current' | 'unchanged' | 'invalid' | 'merged' | 'refused' | 'failed';

export interface FileRevisionRecorder {
  /** Reads the files and records a revision for every office whose files changed since the last call: office id → outcome. */
  record(reason: string, now: Date): Promise<Map<string, FileRecordOutcome>>;
  /** The revision this bot runs for the office (recorded from its files or followed from the store). */
  runningRevision(officeId: string): number | null | undefined;
  /**
   * The bot now runs `revisionId` (another writer's, followed from the store). When the
   * files on disk say the same, later edits are made from it; when they differ, a later
   * edit is refused until the files are brought up to date (`config export`).
   */
  follow(officeId: string, revisionId: number, revisionHash: string): void;
  /**
   * At start (app/start-config.ts), what an office's files are made from, before anything is recorded:
   * - it runs its current revision `running` instead of its files (the revision is newer): the files
   *   hash to `filesHash` and hold revision `filesRevisionId` (null when none does); they are not
   *   recorded, and an edit of them is refused until they are brought up to date (`config export`);
   * - it runs its files (`filesHash` ''): they are recorded from `filesRevisionId`, the revision
   *   that was current when that was decided (null: none), and refused if another is current by then.
   */
  seed(officeId: string, state: { filesHash: string; filesRevisionId: number | null; running: number | null }): void;
  /** office id → the revision this bot runs, for every office that runs one. */
  runningAll(): Record<string, number>;
}

export function createFileRevisionRecorder(store: Store, options: { configDir: string; templatesDir?: string; logger: Logger }): FileRevisionRecorder {
  /** office id → the hash of the files last read, the revision they were recorded from (the parent of the next edit), and the one running. */
  const known = new Map<string, { hash: string; revisionId: number | null; running: number | null }>();
  const templates = options.templatesDir ? { templatesDir: options.templatesDir } : {};
  return {
    runningRevision: (officeId) => known.get(officeId)?.running,
    follow(officeId, revisionId, revisionHash) {
      const before = known.get(officeId);
      const filesSayIt = before?.hash === revisionHash;
      known.set(officeId, { hash: before?.hash ?? '', revisionId: filesSayIt ? revisionId : (before?.revisionId ?? null), running: revisionId });
    },
    seed(officeId, state) {
      known.set(officeId, { hash: state.filesHash, revisionId: state.filesRevisionId, running: state.running });
    },
    runningAll() {
      const all: Record<string, number> = {};
      for (const [officeId, state] of [...known].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (state.running !== null) all[officeId] = state.running;
      return all;
    },
    async record(reason, now) {
      const outcomes = new Map<string, FileRecordOutcome>();
      /**
       * Files that are already the office's current revision (every restart with unchanged
       * files) are found unchanged without loading them: only a revision that passed the checks
       * becomes current, so checking them again says nothing new, and in the one-office layout
       * telling the office id alone takes a load. Those two loads of the whole config (templates
       * compiled) held up a restarted bot's first post by a second, several on a busy machine.
       * Returns whether it settled the office.
       */
      const equalsCurrentRevision = async (officeId: string, hash: string): Promise<boolean> => {
        if (known.get(officeId)?.hash === hash) return true; // recorded or found unchanged before: nothing new
        let current: Awaited<ReturnType<typeof getCurrentRevision>>;
        try {
          current = await getCurrentRevision(store, officeId);
        } catch {
          return false; // the full path below tries, and reports what fails
        }
        if (current?.contentHash !== hash) return false;
        known.set(officeId, { hash, revisionId: current.id, running: current.id });
        outcomes.set(officeId, 'unchanged');
        options.logger.info({ office: officeId, revision: current.id }, `the config files of office ${officeId} equal its current revision ${current.id}`);
        return true;
      };
      let offices: ReturnType<typeof readOfficeFiles>;
      try {
        offices = readOfficeFiles(options.configDir, { ...templates, now });
      } catch (error) {
        options.logger.warn({ err: error }, 'could not read the config files for a revision; the next change tries again');
        return outcomes;
      }
      for (const office of offices) {
        if (office.statedId !== null && (await equalsCurrentRevision(office.statedId, hashFiles(office.files)))) continue;
        // A one-office config too broken to name its office is still the office this bot runs.
        const officeId = office.officeId || (known.size === 1 ? [...known.keys()][0] : undefined);
        if (!officeId) continue; // broken before it ever loaded: the load reported it, there is nothing to record it against
        const hash = hashFiles(office.files);
        const before = known.get(officeId);
        if (before?.hash === hash) continue;
        try {
          const check = (files: RevisionFiles): Problem[] => checkRevisionFiles(files, { sourceDir: options.configDir, ...templates, now, officeId }).problems;
          const parentId = before ? before.revisionId : ((await getCurrentRevision(store, officeId))?.id ?? null);
          const created = await createRevision(store, { officeId, parentId, author: 'files', message: reason, files: office.files, problems: check(office.files) }, now, { check });
          if (created.merged) {
            // The files are the edit as recorded: the next edit is made from it. What runs is the merge, followed from the store.
            known.set(officeId, { hash, revisionId: created.merged.change.id, running: before?.running ?? parentId });
            outcomes.set(officeId, created.current ? 'merged' : 'refused');
            logMerge(options.logger, officeId, parentId, created, created.merged);
            continue;
          }
          const running = created.current ? created.revision.id : (before?.running ?? parentId);
          known.set(officeId, { hash, revisionId: created.current ? created.revision.id : parentId, running });
          outcomes.set(officeId, created.unchanged ? 'unchanged' : created.current ? 'current' : 'invalid');
          if (created.unchanged) options.logger.info({ office: officeId, revision: created.revision.id }, `the config files of office ${officeId} equal its current revision ${created.revision.id}`);
          else {
            const state = created.current ? 'current' : 'invalid, not current';
            options.logger.info({ office: officeId, revision: created.revision.id, parent: parentId }, `config revision ${created.revision.id} of office ${officeId} recorded from the files (${state})`);
          }
        } catch (error) {
          if (error instanceof StaleParentError) {
            known.set(officeId, { hash, revisionId: before?.revisionId ?? null, running: before?.running ?? null });
            outcomes.set(officeId, 'refused');
            options.logger.warn({ office: officeId }, `the config files were not recorded: ${error.message} (\`quota-herald config export DIR\` writes the current revision as files)`);
            continue;
          }
          outcomes.set(officeId, 'failed');
          options.logger.warn({ err: error, office: officeId }, 'could not record the config revision; the next change tries again');
        }
      }
      return outcomes;
    },
  };
}

function logMerge(logger: Logger, officeId: string, parentId: number | null, created: CreatedRevision, merged: NonNullable<CreatedRevision['merged']>): void {
  const { change, withId } = merged;
  const edit = `the config files of office ${officeId} (recorded as revision ${change.id}) were edited from revision ${parentId ?? '(none)'}, but revision ${withId} became current meanwhile`;
  const context = { office: officeId, revision: created.revision.id, parent: parentId, mergedWith: withId };
  if (created.unchanged) logger.info(context, `${edit}; it already has the same changes, and stays current`);
  else if (created.current) logger.info(context, `${edit}; the two changed different lines and were merged: revision ${created.revision.id} is current and runs (the files on disk lack revision ${withId}'s change: \`quota-herald config export DIR\` writes the merge)`);
  else {
    const problems = created.revision.problems.filter((p) => p.severity === 'error').map((p) => `  ${formatProblem(p)}`);
    logger.warn(context, `${edit}; merged, they give revision ${created.revision.id}, which does not pass the checks, so revision ${withId} keeps running; fix the files (\`quota-herald config show ${created.revision.id}\` shows the merge):\n${problems.join('\n')}`);
  }
}
