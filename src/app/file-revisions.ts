/**
 * The running bot records the config files it loads as revisions, author
 * "files" (issue 8): at start and at each reload whose content changed. Each
 * office's files are checked on their own (app/revision-files.ts); a broken
 * office gives an invalid revision — on record, never current.
 *
 * The parent of a file revision is the office's revision this bot last
 * recorded or found current. When another writer (`config import`, `revert`,
 * next the console) made a newer revision current meanwhile, the file edit is
 * refused by the store, and said so in the log: the files on disk no longer
 * say what the office runs, and `config export` writes the current one back.
 *
 * Recording never stops a reload: a database error is logged and the next
 * change tries again.
 */
import type { Logger } from '../logger';
import { createRevision, getCurrentRevision, hashFiles, StaleParentError } from '../store/config-revisions';
import type { Store } from '../store/open';
import { checkRevisionFiles, readOfficeFiles } from './revision-files';

/** What became of one office's files: `refused` means another writer's newer revision is current, and the files must not be applied. */
export type FileRecordOutcome = 'current' | 'unchanged' | 'invalid' | 'refused' | 'failed';

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
      let offices: ReturnType<typeof readOfficeFiles>;
      try {
        offices = readOfficeFiles(options.configDir, { ...templates, now });
      } catch (error) {
        options.logger.warn({ err: error }, 'could not read the config files for a revision; the next change tries again');
        return outcomes;
      }
      for (const office of offices) {
        // A one-office config too broken to name its office is still the office this bot runs.
        const officeId = office.officeId || (known.size === 1 ? [...known.keys()][0] : undefined);
        if (!officeId) continue; // broken before it ever loaded: the load reported it, there is nothing to record it against
        const hash = hashFiles(office.files);
        const before = known.get(officeId);
        if (before?.hash === hash) continue;
        try {
          const checked = checkRevisionFiles(office.files, { sourceDir: options.configDir, ...templates, now, officeId });
          const parentId = before ? before.revisionId : ((await getCurrentRevision(store, officeId))?.id ?? null);
          const created = await createRevision(store, { officeId, parentId, author: 'files', message: reason, files: office.files, problems: checked.problems }, now);
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
