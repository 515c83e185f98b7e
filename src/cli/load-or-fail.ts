import { loadAll, type Loaded } from '../app/load-all';
import { ConfigError, formatProblem, type Problem } from '../errors';
import type { CliContext } from './context';
import { write } from './context';

/** Loads config, calendar and templates; prints warnings (unless told not to) and returns them; throws with every error. */
export function loadOrFail(ctx: CliContext, options: { checkDays?: number; printWarnings?: boolean } = {}): Loaded & { warnings: Problem[] } {
  const outcome = loadAll(ctx.configDir, {
    now: ctx.clock.now(),
    ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}),
    ...(options.checkDays !== undefined ? { checkDays: options.checkDays } : {}),
  });
  if (!outcome.loaded) throw new ConfigError(outcome.problems);
  if (options.printWarnings !== false) outcome.problems.forEach((problem) => write(ctx.stderr, formatProblem(problem, ctx.cwd)));
  return { ...outcome.loaded, warnings: outcome.problems };
}
