/**
 * What each office runs when `run` starts: its files, or its current config
 * revision in the database (issue 8, "one truth that every instance sees").
 *
 * - No config directory (missing or empty): every office with a current
 *   revision runs it. Nothing on disk is needed, nor read later.
 * - Files, and the office has no current revision yet, or one with the same
 *   content: the files (recorded as the office's revision, as always).
 * - Files that differ from the current revision: the newer wins, and the log
 *   says which and why. Files modified after the revision was made are an
 *   edit: they run and become a new revision (author `files`). A revision
 *   made after the files were last modified is another writer's (`config
 *   import`, `revert`, another machine's files): it runs, and the files are
 *   left as they are; an edit of them is then refused until they are brought
 *   up to date (`config export`).
 *
 * "Modified" is the newest modification time among the office's files (for
 * many offices: the shared files at the top and its `offices/<id>/` folder),
 * compared with the revision's creation time.
 * An office whose files do not load at start is not served, as before: a new
 * current revision of it is followed once made.
 */
import path from 'node:path';
import { OFFICES_DIR } from '../config/load-offices';
import { AppError, formatProblem, type Problem } from '../errors';
import type { Logger } from '../logger';
import { findRevisionByContent, getCurrentRevision, getRevision, hashFiles, listCurrentIds, type ConfigRevision } from '../store/config-revisions';
import type { Store } from '../store/open';
import type { ConfigContent } from './config-content';
import { loadRevision } from './follow-revisions';
import type { Loaded } from './load-all';
import { combineOfficeSet } from './office-set';
import { readFiles, readOfficeFiles } from './revision-files';

/** An office that starts from a revision; `files` when the files on disk differ from it (and are older). */
export interface StartRevision {
  revision: ConfigRevision;
  files?: { hash: string; revisionId: number | null };
}

export interface StartConfig {
  loaded: Loaded;
  /** Each office's config (many offices, or run from the database); absent for the one-office layout. */
  offices?: Map<string, Loaded>;
  /** The offices that run a revision from the database. */
  fromRevisions: StartRevision[];
  /** Current revisions that do not load here (logged): not run, and not tried again until a newer one is current. */
  unloadable: StartRevision[];
  /** The offices that run their files: the revision current when that was decided (null: none), the parent of their recording. */
  filesParents: Map<string, number | null>;
  /** True when there are no config files: every office runs its current revision, and files are never read. */
  fromDatabase: boolean;
}

export interface StartOptions {
  configDir: string;
  dataDir: string;
  templatesDir?: string;
  now: Date;
  logger: Logger;
}

/**
 * No config files: every office from its current revision.
 * @throws AppError when the database has none, or none of them loads here.
 */
export async function startFromDatabase(store: Store, options: StartOptions): Promise<StartConfig> {
  const currentIds = await listCurrentIds(store);
  if (currentIds.size === 0) throw nothingToRun(options.configDir, `${store.label} has no current config revision`);
  const offices = new Map<string, Loaded>();
  const fromRevisions: StartRevision[] = [];
  const unloadable: StartRevision[] = [];
  const problems: Problem[] = [];
  for (const [officeId, revisionId] of currentIds) {
    const revision = await getRevision(store, revisionId);
    if (!revision) continue;
    const outcome = loadRevision(revision, loadOptions(options));
    if (!outcome.loaded) {
      const lines = outcome.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p));
      options.logger.error({ office: officeId, revision: revision.id }, `office ${officeId} is not served: its current revision ${revision.id} does not load here:\n${lines.join('\n')}`);
      problems.push(...outcome.problems.map((p) => ({ ...p, subject: p.subject ?? `office ${officeId}, revision ${revision.id}` })));
      unloadable.push({ revision });
      continue;
    }
    offices.set(officeId, outcome.loaded);
    fromRevisions.push({ revision });
    options.logger.info({ office: officeId, revision: revision.id }, `office ${officeId} runs its current config revision ${revision.id} (by ${revision.author}) from the database: there are no config files in ${options.configDir}`);
  }
  const loaded = combineOfficeSet(offices);
  if (!loaded) throw new AppError('config-invalid', `no office's current config revision loads here (listed above); nothing to run`, { problems });
  return { loaded, offices, fromRevisions, unloadable, filesParents: new Map(), fromDatabase: true };
}

/** The message for a deployment with neither config files nor revisions; `database` says what the database lacks. */
export function nothingToRun(configDir: string, database: string): AppError {
  return new AppError(
    'config-invalid',
    `nothing to run: ${configDir} has no config files, and ${database}. ` +
      `Put each office's herald.yaml and calendar.yaml in ${configDir} (docs/config.md), or store them once with \`quota-herald config import DIR\`, then start again.`,
  );
}

/**
 * Files loaded at start (`loaded`, and `offices` for many offices): each office
 * whose current revision differs from its files and is newer than them runs
 * that revision instead. Every difference is logged with the side that won.
 */
export async function preferNewerRevisions(
  store: Store,
  start: { loaded: Loaded; offices?: Map<string, Loaded> },
  content: ConfigContent,
  options: StartOptions,
): Promise<StartConfig> {
  const many = start.offices !== undefined;
  const served = many ? [...start.offices!.keys()] : start.loaded.config.offices.map((office) => office.id);
  // The one-office layout's files are the whole directory (its office is known: no need to load them again for its id).
  const onDisk = many
    ? readOfficeFiles(options.configDir, { now: options.now, only: served, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) })
    : [{ officeId: served[0] ?? '', files: readFiles(options.configDir) }];
  const offices = new Map(start.offices ?? []);
  let single = start.loaded;
  const fromRevisions: StartRevision[] = [];
  const unloadable: StartRevision[] = [];
  const filesParents = new Map<string, number | null>();
  for (const office of onDisk) {
    const officeId = office.officeId;
    if (!served.includes(officeId)) continue;
    const current = await getCurrentRevision(store, officeId);
    const filesHash = hashFiles(office.files);
    filesParents.set(officeId, current?.id ?? null);
    if (!current || current.contentHash === filesHash) continue;
    const modifiedAt = newestModified(content, options.configDir, many ? officeId : null);
    const revisionSays = `its current revision ${current.id} (by ${current.author}, ${current.createdAt.toISOString()})`;
    const filesSay = `its files (last modified ${modifiedAt?.toISOString() ?? 'unknown'})`;
    if (!modifiedAt || modifiedAt.getTime() > current.createdAt.getTime()) {
      options.logger.info({ office: officeId, revision: current.id }, `office ${officeId}: ${filesSay} differ from ${revisionSays} and are newer: the files run and become a new revision (author files)`);
      continue;
    }
    filesParents.delete(officeId);
    const files = { hash: filesHash, revisionId: (await findRevisionByContent(store, officeId, filesHash)) ?? null };
    const outcome = loadRevision(current, loadOptions(options));
    if (!outcome.loaded) {
      const lines = outcome.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p));
      options.logger.error({ office: officeId, revision: current.id }, `office ${officeId}: ${revisionSays} is newer than ${filesSay} but does not load here; the files run meanwhile (not recorded):\n${lines.join('\n')}`);
      unloadable.push({ revision: current, files });
      continue;
    }
    fromRevisions.push({ revision: current, files });
    if (many) offices.set(officeId, outcome.loaded);
    else single = outcome.loaded;
    options.logger.warn(
      { office: officeId, revision: current.id },
      `office ${officeId}: ${revisionSays} is newer than ${filesSay}, which differ from it: the revision runs and the files are left as they are ` +
        `(\`quota-herald config export DIR --office ${officeId}\` writes it; an edit of the out-of-date files is refused)`,
    );
  }
  if (!many) return { loaded: single, fromRevisions, unloadable, filesParents, fromDatabase: false };
  const loaded = combineOfficeSet(offices) ?? start.loaded;
  return { loaded, offices, fromRevisions, unloadable, filesParents, fromDatabase: false };
}

/** The newest modification time of an office's files (`officeId` null: the one-office layout, every file of the directory). */
export function newestModified(content: ConfigContent, configDir: string, officeId: string | null): Date | null {
  const dir = path.resolve(configDir);
  const officesDir = path.join(dir, OFFICES_DIR) + path.sep;
  const ownDir = officeId === null ? null : path.join(officesDir, officeId) + path.sep;
  let newest: Date | null = null;
  for (const file of content.files) {
    const full = path.resolve(file.file);
    if (!full.startsWith(dir + path.sep)) continue; // templates outside the config directory are in no revision
    if (ownDir !== null && full.startsWith(officesDir) && !full.startsWith(ownDir)) continue; // another office's folder
    if (!newest || file.modifiedAt.getTime() > newest.getTime()) newest = file.modifiedAt;
  }
  return newest;
}

function loadOptions(options: StartOptions): Parameters<typeof loadRevision>[1] {
  return { dataDir: options.dataDir, configDir: options.configDir, now: options.now, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) };
}
