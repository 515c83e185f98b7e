/**
 * `config log|show|diff|revert|export|import`: config revisions in the store
 * (store/config-revisions.ts). Exit codes as everywhere: 0 done (a change
 * from an older revision merged with the current one included), 1 problems
 * (an invalid revision, a change refused because it and the current revision
 * edited the same lines), 2 usage.
 *
 * `export` leaves a marker in DIR saying which revision the files are
 * (cli/revision-marker.ts); `import` takes it as the parent of the change and
 * brings it up to date, so export → edit → import never overwrites a change
 * someone else made meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { prepareRevert } from '../app/revert-revision';
import { checkRevisionFiles, readOfficeFiles, writeFiles } from '../app/revision-files';
import { AppError, formatProblem, type Problem } from '../errors';
import { createRevision, getCurrentRevision, getRevision, listCurrentIds, listRevisions, StaleParentError, type ConfigRevision, type CreatedRevision, type RevisionFiles } from '../store/config-revisions';
import { openStore, type Store } from '../store/open';
import type { CliContext } from './context';
import { write } from './context';
import { localStamp, table } from './format';
import { MARKER_FILE, readRevisionMarker, writeRevisionMarker } from './revision-marker';
import { unifiedDiff } from './unified-diff';

async function withStore<T>(ctx: CliContext, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function parseRevisionId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('usage', `"${text}" is not a revision id: use a number from \`quota-herald config log\``);
  return id;
}

async function requireRevision(store: Store, text: string): Promise<ConfigRevision> {
  const revision = await getRevision(store, parseRevisionId(text));
  if (!revision) throw new AppError('usage', `there is no revision ${text}: \`quota-herald config log\` lists them`);
  return revision;
}

/** The office's time zone, read from its current revision (UTC when it has none). */
function zoneOf(revision: ConfigRevision | undefined, ctx: CliContext): string {
  if (!revision) return 'UTC';
  const checked = checkRevisionFiles(revision.files, { sourceDir: ctx.configDir, ...templates(ctx), now: ctx.clock.now(), officeId: revision.officeId });
  return checked.loaded?.config.offices[0]?.timezone ?? 'UTC';
}

function templates(ctx: CliContext): { templatesDir?: string } {
  return ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {};
}

export async function configLogCommand(ctx: CliContext, options: { office?: string; limit: number }): Promise<number> {
  return withStore(ctx, async (store) => {
    const revisions = await listRevisions(store, { ...(options.office === undefined ? {} : { officeId: options.office }), limit: options.limit });
    if (revisions.length === 0) {
      write(ctx.stdout, `no config revisions${options.office === undefined ? '' : ` of office ${options.office}`} yet: \`quota-herald run\` records one from the files, or \`quota-herald config import DIR\``);
      return 0;
    }
    const current = await listCurrentIds(store);
    const zones = new Map<string, string>();
    for (const officeId of new Set(revisions.map((r) => r.officeId))) zones.set(officeId, zoneOf(await getCurrentRevision(store, officeId), ctx));
    const now = ctx.clock.now();
    const rows = revisions.map((r) => [
      current.get(r.officeId) === r.id ? '*' : '',
      String(r.id),
      r.officeId,
      `${localStamp(r.createdAt, zones.get(r.officeId) ?? 'UTC', now)}`,
      r.author,
      r.valid ? 'valid' : `invalid (${r.problems.filter((p) => p.severity === 'error').length} error(s))`,
      r.message,
    ]);
    write(ctx.stdout, table(['', 'rev', 'office', 'time', 'author', 'state', 'message'], rows));
    write(ctx.stdout, '* = current');
    return 0;
  });
}

export async function configShowCommand(ctx: CliContext, rev: string): Promise<number> {
  return withStore(ctx, async (store) => {
    const revision = await requireRevision(store, rev);
    write(ctx.stdout, `revision ${revision.id} of office ${revision.officeId}, parent ${revision.parentId ?? '-'}, by ${revision.author}, ${revision.createdAt.toISOString()}, ${revision.valid ? 'valid' : 'invalid'}: ${revision.message}`);
    revision.problems.forEach((problem) => write(ctx.stdout, `  ${formatProblem(problem)}`));
    for (const [name, text] of Object.entries(revision.files)) {
      write(ctx.stdout, `\n==> ${name} <==`);
      ctx.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    }
    return 0;
  });
}

export async function configDiffCommand(ctx: CliContext, a: string, b: string): Promise<number> {
  return withStore(ctx, async (store) => {
    const [from, to] = [await requireRevision(store, a), await requireRevision(store, b)];
    const names = [...new Set([...Object.keys(from.files), ...Object.keys(to.files)])].sort();
    let out = '';
    for (const name of names) {
      const before = from.files[name];
      const after = to.files[name];
      out += unifiedDiff(before ?? '', after ?? '', { from: before === undefined ? '/dev/null' : `a/${name}\t(revision ${from.id})`, to: after === undefined ? '/dev/null' : `b/${name}\t(revision ${to.id})` });
    }
    if (out !== '') ctx.stdout.write(out);
    return 0;
  });
}

export async function configRevertCommand(ctx: CliContext, rev: string, options: { author?: string; message?: string }): Promise<number> {
  return withStore(ctx, async (store) => {
    const target = await requireRevision(store, rev);
    const { change, check } = await prepareRevert(store, target, {
      author: options.author ?? 'cli',
      ...(options.message === undefined ? {} : { message: options.message }),
      sourceDir: ctx.configDir,
      ...templates(ctx),
      now: ctx.clock.now(),
    });
    return (await record(ctx, store, change, `revision ${target.id}`, { check })).code;
  });
}

export async function configExportCommand(ctx: CliContext, dir: string, options: { office?: string }): Promise<number> {
  return withStore(ctx, async (store) => {
    const officeIds = options.office === undefined ? [...(await listCurrentIds(store)).keys()] : [options.office];
    if (officeIds.length === 0) throw new AppError('usage', 'nothing to export: no office has a current revision (`quota-herald config log`)');
    const merged: Record<string, { text: string; officeId: string }> = {};
    const exported = new Map<string, number>();
    for (const officeId of officeIds) {
      const current = await getCurrentRevision(store, officeId);
      if (!current) throw new AppError('usage', `office ${officeId} has no current revision: \`quota-herald config log\` lists the offices that have one`);
      exported.set(officeId, current.id);
      for (const [name, text] of Object.entries(current.files)) {
        const earlier = merged[name];
        // Shared files (many offices) are in each office's revision; they differ only if one office's is older.
        if (earlier && earlier.text !== text) throw new AppError('revision-conflict', `${name} differs between the current revisions of ${earlier.officeId} and ${officeId}; export one office at a time (--office ID)`);
        merged[name] = { text, officeId };
      }
    }
    const target = path.resolve(ctx.cwd, dir);
    const written = writeFiles(target, Object.fromEntries(Object.entries(merged).map(([name, file]) => [name, file.text])));
    writeRevisionMarker(target, exported, options.office === undefined ? new Map() : keptMarker(target));
    write(ctx.stdout, `wrote ${written.length} file(s) of ${officeIds.length} office(s) to ${dir}`);
    return 0;
  });
}

export async function configImportCommand(ctx: CliContext, dir: string, options: { office?: string; author?: string; message?: string; parent?: string }): Promise<number> {
  const source = path.resolve(ctx.cwd, dir);
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) throw new AppError('usage', `${dir} is not a directory: give the folder that holds herald.yaml (or offices/)`);
  const marker = readRevisionMarker(source);
  const parent = options.parent === undefined ? undefined : parseRevisionId(options.parent);
  return withStore(ctx, async (store) => {
    const now = ctx.clock.now();
    const offices = readOfficeFiles(source, { ...templates(ctx), now, ...(options.office === undefined ? {} : { only: [options.office] }) });
    if (offices.length === 0) throw new AppError('usage', `no office in ${dir}${options.office === undefined ? '' : ` named ${options.office}`}`);
    let exitCode = 0;
    /** office id → the revision the files in DIR now are, for the marker. */
    const filesAre = new Map<string, number>();
    for (const office of offices) {
      const check = (files: RevisionFiles): Problem[] => checkRevisionFiles(files, { sourceDir: source, ...templates(ctx), now, officeId: office.officeId }).problems;
      const problems = check(office.files);
      const officeId = office.officeId || options.office || (await onlyOffice(store));
      if (!officeId) {
        problems.forEach((problem) => write(ctx.stderr, formatProblem(shownIn(dir, problem))));
        throw new AppError('usage', `cannot tell which office ${dir} is (its herald.yaml does not load): pass --office ID`);
      }
      // The files were edited from: --parent, else the revision export (or the last import) marked, else the current one.
      const parentId = parent ?? marker.get(officeId) ?? (await getCurrentRevision(store, officeId))?.id ?? null;
      const change = { officeId, parentId, author: options.author ?? 'cli', message: options.message ?? `import ${dir}`, files: office.files, problems };
      const recorded = await record(ctx, store, change, dir, { check, shown: (problem) => shownIn(dir, problem), dir });
      if (recorded.filesAre !== undefined) filesAre.set(officeId, recorded.filesAre);
      exitCode = Math.max(exitCode, recorded.code);
    }
    if (filesAre.size > 0) {
      try {
        writeRevisionMarker(source, filesAre, marker);
      } catch (error) {
        write(ctx.stderr, `warning: could not write ${path.join(dir, MARKER_FILE)} (${(error as Error).message}); pass --parent REV to the next import of these files`);
      }
    }
    return exitCode;
  });
}

/** The marker's other offices, for an export of one office; a marker that does not read is replaced. */
function keptMarker(dir: string): Map<string, number> {
  try {
    return readRevisionMarker(dir);
  } catch {
    return new Map();
  }
}

/** The one office the store knows, for a one-office import whose herald.yaml is too broken to name it. */
async function onlyOffice(store: Store): Promise<string | undefined> {
  const ids = [...(await listCurrentIds(store)).keys()];
  return ids.length === 1 ? ids[0] : undefined;
}

/** `calendar.yaml:3:5` → `DIR/calendar.yaml:3:5`, a path staff can open. */
function shownIn(dir: string, problem: Problem): Problem {
  if (!problem.location || path.isAbsolute(problem.location.file)) return problem;
  return { ...problem, location: { ...problem.location, file: path.join(dir, problem.location.file) } };
}

interface Recorded {
  code: number;
  /** The revision the change's files are now (stored as made, or equal to the current one); undefined when refused or invalid. */
  filesAre?: number;
}

/**
 * Stores the change and says what became of it. A change from an older
 * revision is merged with the current one (checked with `check`), or refused
 * when both changed the same lines: exit 1, nothing stored.
 */
async function record(
  ctx: CliContext,
  store: Store,
  change: { officeId: string; parentId: number | null; author: string; message: string; files: RevisionFiles; problems: Problem[] },
  what: string,
  options: { check: (files: RevisionFiles) => Problem[]; shown?: (problem: Problem) => Problem; dir?: string },
): Promise<Recorded> {
  const shown = options.shown ?? ((problem: Problem) => problem);
  let created: CreatedRevision;
  try {
    created = await createRevision(store, change, ctx.clock.now(), { check: options.check });
  } catch (error) {
    if (!(error instanceof StaleParentError)) throw error;
    write(ctx.stderr, error.message);
    return { code: 1 };
  }
  change.problems.forEach((problem) => write(ctx.stderr, formatProblem(shown(problem))));
  const office = `office ${change.officeId}`;
  if (created.merged) {
    const { change: made, withId } = created.merged;
    const from = `${what} (revision ${made.id}) was made from revision ${change.parentId ?? '(none)'}, but revision ${withId} became current meanwhile`;
    if (created.unchanged) {
      write(ctx.stdout, `${office}: ${from}; it already has the same changes, and stays current`);
      return { code: 0, filesAre: made.id };
    }
    if (!created.current) {
      // Problem lines point into the merged files, which are not the ones in DIR: no DIR prefix.
      created.revision.problems.forEach((problem) => write(ctx.stderr, `revision ${created.revision.id}: ${formatProblem(problem)}`));
      const errors = created.revision.problems.filter((p) => p.severity === 'error').length;
      write(ctx.stderr, `${office}: ${from}; merged, they give revision ${created.revision.id}, recorded as invalid (${errors} error(s)); revision ${withId} stays current. \`quota-herald config show ${created.revision.id}\` shows the merge; fix the files and import again.`);
      return { code: 1, filesAre: made.id };
    }
    write(ctx.stdout, `${office}: ${from}; the two changed different lines: merged as revision ${created.revision.id}, which is current (merged with revision ${withId}).`);
    if (options.dir !== undefined) write(ctx.stdout, `  The files in ${options.dir} lack revision ${withId}'s change: \`quota-herald config export ${options.dir}\` writes the merge there.`);
    return { code: 0, filesAre: made.id };
  }
  if (created.unchanged) {
    write(ctx.stdout, `${office}: ${what} equals the current revision ${created.revision.id}; nothing recorded`);
    return { code: 0, filesAre: created.revision.id };
  }
  if (!created.current) {
    const current = await getCurrentRevision(store, change.officeId);
    const errors = change.problems.filter((p) => p.severity === 'error').length;
    write(ctx.stderr, `${office}: revision ${created.revision.id} recorded as invalid (${errors} error(s)); ${current ? `revision ${current.id} stays current` : 'the office has no current revision'}. Fix the problems and import again.`);
    return { code: 1 };
  }
  write(ctx.stdout, `${office}: revision ${created.revision.id} (from ${what}) is current`);
  return { code: 0, filesAre: created.revision.id };
}
