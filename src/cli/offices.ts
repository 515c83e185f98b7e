/**
 * `--office ID` (default: every office): loads the offices a command is about,
 * each on its own. A broken office is reported (its problems, prefixed with
 * its id) and left out; the others go on. With more than one office, every
 * line a command writes about an office starts with `[office-id] `.
 */
import { loadDeployment, type Loaded } from '../app/load-all';
import { hasConfigFiles, isManyOffices, listOfficeIds, OFFICES_DIR } from '../config/load-offices';
import { AppError, ConfigError, formatProblem, type Problem } from '../errors';
import type { CliContext } from './context';
import { write } from './context';

export interface SelectedOffice {
  id: string;
  loaded: Loaded;
  warnings: Problem[];
  /** The command's context, its output lines prefixed with the office id when there are several offices. */
  ctx: CliContext;
}

export interface Selection {
  /** True for the many-office layout. */
  many: boolean;
  offices: SelectedOffice[];
  /** Offices left out because their config has errors (already reported). */
  failed: string[];
}

/** The office ids `--office` may name; throws a usage error (exit 2) for an unknown one. */
export function checkOfficeOption(ctx: CliContext, office: string | undefined, known: readonly string[]): void {
  if (office === undefined || known.includes(office)) return;
  const where = isManyOffices(ctx.configDir) ? `folders in ${ctx.configDir}/${OFFICES_DIR}/` : `the office of ${ctx.configDir}/herald.yaml`;
  throw new AppError('usage', `unknown office "${office}": use one of ${known.join(', ') || '(none)'} (${where})`);
}

export function loadSelectedOffices(ctx: CliContext, options: { office?: string; checkDays?: number; printWarnings?: boolean } = {}): Selection {
  if (!hasConfigFiles(ctx.configDir)) throw noConfigFiles(ctx);
  const many = isManyOffices(ctx.configDir);
  if (many) checkOfficeOption(ctx, options.office, listOfficeIds(ctx.configDir));
  const deployment = loadDeployment(ctx.configDir, {
    now: ctx.clock.now(),
    ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}),
    ...(options.checkDays !== undefined ? { checkDays: options.checkDays } : {}),
    ...(many && options.office !== undefined ? { only: [options.office] } : {}),
  });
  const print = options.printWarnings !== false;
  if (!deployment.many) {
    // Today's layout, exactly as before: a broken config stops the command.
    const only = deployment.offices[0];
    if (!only?.loaded) throw new ConfigError(only?.problems ?? []);
    checkOfficeOption(ctx, options.office, [only.id]);
    if (print) only.problems.forEach((problem) => write(ctx.stderr, formatProblem(problem, ctx.cwd)));
    return { many: false, offices: [{ id: only.id, loaded: only.loaded, warnings: only.problems, ctx }], failed: [] };
  }
  const sharedErrors = deployment.shared.filter((p) => p.severity === 'error');
  if (sharedErrors.length > 0) throw new ConfigError(deployment.shared);
  if (print) deployment.shared.forEach((problem) => write(ctx.stderr, formatProblem(problem, ctx.cwd)));
  const prefixed = listOfficeIds(ctx.configDir).length > 1;
  const selection: Selection = { many: true, offices: [], failed: [] };
  for (const office of deployment.offices) {
    const officeCtx = prefixed ? withPrefix(ctx, `[${office.id}] `) : ctx;
    if (!office.loaded) {
      office.problems.forEach((problem) => write(officeCtx.stderr, formatProblem(problem, ctx.cwd)));
      const errors = office.problems.filter((p) => p.severity === 'error').length;
      write(officeCtx.stderr, `office ${office.id} left out: ${errors} error(s) in its config; fix them and run the command again (the other offices go on)`);
      selection.failed.push(office.id);
      continue;
    }
    if (print) office.problems.forEach((problem) => write(officeCtx.stderr, formatProblem(problem, ctx.cwd)));
    selection.offices.push({ id: office.id, loaded: office.loaded, warnings: office.problems, ctx: officeCtx });
  }
  return selection;
}

/**
 * The commands that read config files, when there are none: a deployment that
 * runs from its database (`run` with no config directory) has them only as revisions.
 */
export function noConfigFiles(ctx: CliContext): AppError {
  return new AppError(
    'config-invalid',
    `no config files in ${ctx.configDir} (missing or empty): pass --config with the folder holding herald.yaml and calendar.yaml (or offices/). ` +
      `A deployment that runs from its database has its config as revisions: write them as files with \`quota-herald config export DIR\`, ` +
      `then run the command with \`--config DIR\` (\`quota-herald status\` works without them).`,
  );
}

/** `ctx` whose stdout and stderr start every line with `prefix`. */
export function withPrefix(ctx: CliContext, prefix: string): CliContext {
  return { ...ctx, stdout: prefixLines(ctx.stdout, prefix), stderr: prefixLines(ctx.stderr, prefix) };
}

function prefixLines<T extends NodeJS.WritableStream & { isTTY?: boolean }>(stream: T, prefix: string): T {
  let atLineStart = true;
  const write = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let out = '';
    for (const part of text.split(/(?<=\n)/)) {
      if (part === '') continue;
      out += (atLineStart ? prefix : '') + part;
      atLineStart = part.endsWith('\n');
    }
    return stream.write(out);
  };
  return new Proxy(stream, { get: (target, key, receiver) => (key === 'write' ? write : Reflect.get(target, key, receiver)) as unknown }) as T;
}
