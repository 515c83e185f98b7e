/**
 * `config log|show|diff|revert|export|import`: config revisions in the store
 * (store/config-revisions.ts). Exit codes as everywhere: 0 done, 1 problems
 * (an invalid revision, a refused stale change), 2 usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkRevisionFiles, readOfficeFiles, writeFiles } from '../app/revision-files';
import { AppError, formatProblem, type Problem } from '../errors';
import { createRevision, getCurrentRevision, getRevision, listCurrentIds, listRevisions, type ConfigRevision, type RevisionFiles } from '../store/config-revisions';
import { openStore, type Store } from '../store/open';
import type { CliContext } from './context';
import { write } from './context';
import { localStamp, table } from './format';
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
    const current = await getCurrentRevision(store, target.officeId);
    const checked = checkRevisionFiles(target.files, { sourceDir: ctx.configDir, ...templates(ctx), now: ctx.clock.now(), officeId: target.officeId });
    return record(ctx, store, { officeId: target.officeId, parentId: current?.id ?? null, author: options.author ?? 'cli', message: options.message ?? `revert to revision ${target.id}`, files: target.files, problems: checked.problems }, `revision ${target.id}`);
  });
}

export async function configExportCommand(ctx: CliContext, dir: string, options: { office?: string }): Promise<number> {
  return withStore(ctx, async (store) => {
    const officeIds = options.office === undefined ? [...(await listCurrentIds(store)).keys()] : [options.office];
    if (officeIds.length === 0) throw new AppError('usage', 'nothing to export: no office has a current revision (`quota-herald config log`)');
    const merged: Record<string, { text: string; officeId: string }> = {};
    for (const officeId of officeIds) {
      const current = await getCurrentRevision(store, officeId);
      if (!current) throw new AppError('usage', `office ${officeId} has no current revision: \`quota-herald config log\` lists the offices that have one`);
      for (const [name, text] of Object.entries(current.files)) {
        const earlier = merged[name];
        // Shared files (many offices) are in each office's revision; they differ only if one office's is older.
        if (earlier && earlier.text !== text) throw new AppError('revision-conflict', `${name} differs between the current revisions of ${earlier.officeId} and ${officeId}; export one office at a time (--office ID)`);
        merged[name] = { text, officeId };
      }
    }
    const target = path.resolve(ctx.cwd, dir);
    const written = writeFiles(target, Object.fromEntries(Object.entries(merged).map(([name, file]) => [name, file.text])));
    write(ctx.stdout, `wrote ${written.length} file(s) of ${officeIds.length} office(s) to ${dir}`);
    return 0;
  });
}

export async function configImportCommand(ctx: CliContext, dir: string, options: { office?: string; author?: string; message?: string; parent?: string }): Promise<number> {
  const source = path.resolve(ctx.cwd, dir);
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) throw new AppError('usage', `${dir} is not a directory: give the folder that holds herald.yaml (or offices/)`);
  return withStore(ctx, async (store) => {
    const now = ctx.clock.now();
    const offices = readOfficeFiles(source, { ...templates(ctx), now, ...(options.office === undefined ? {} : { only: [options.office] }) });
    if (offices.length === 0) throw new AppError('usage', `no office in ${dir}${options.office === undefined ? '' : ` named ${options.office}`}`);
    let exitCode = 0;
    for (const office of offices) {
      const checked = checkRevisionFiles(office.files, { sourceDir: source, ...templates(ctx), now, officeId: office.officeId });
      const officeId = office.officeId || options.office || (await onlyOffice(store));
      if (!officeId) {
        checked.problems.forEach((problem) => write(ctx.stderr, formatProblem(shownIn(dir, problem))));
        throw new AppError('usage', `cannot tell which office ${dir} is (its herald.yaml does not load): pass --office ID`);
      }
      const parentId = options.parent !== undefined ? parseRevisionId(options.parent) : ((await getCurrentRevision(store, officeId))?.id ?? null);
      const change = { officeId, parentId, author: options.author ?? 'cli', message: options.message ?? `import ${dir}`, files: office.files, problems: checked.problems };
      const code = await record(ctx, store, change, dir, (problem) => shownIn(dir, problem));
      exitCode = Math.max(exitCode, code);
    }
    return exitCode;
  });
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

async function record(
  ctx: CliContext,
  store: Store,
  change: { officeId: string; parentId: number | null; author: string; message: string; files: RevisionFiles; problems: Problem[] },
  what: string,
  shown: (problem: Problem) => Problem = (problem) => problem,
): Promise<number> {
  const created = await createRevision(store, change, ctx.clock.now());
  const problems = change.problems;
  problems.forEach((problem) => write(ctx.stderr, formatProblem(shown(problem))));
  if (created.unchanged) {
    write(ctx.stdout, `office ${change.officeId}: ${what} equals the current revision ${created.revision.id}; nothing recorded`);
    return 0;
  }
  if (!created.current) {
    const current = await getCurrentRevision(store, change.officeId);
    const errors = problems.filter((p) => p.severity === 'error').length;
    write(ctx.stderr, `office ${change.officeId}: revision ${created.revision.id} recorded as invalid (${errors} error(s)); ${current ? `revision ${current.id} stays current` : 'the office has no current revision'}. Fix the problems and import again.`);
    return 1;
  }
  write(ctx.stdout, `office ${change.officeId}: revision ${created.revision.id} (from ${what}) is current`);
  return 0;
}
