/** `run`: the long-running bot, until SIGINT/SIGTERM; then it drains and exits 0. */
import { runBot } from '../app/bot';
import { createLogger } from '../logger';
import type { CliContext } from './context';

/** `web: false` (`--no-web`): publishing only; a `serve` process beside it answers the web (docs/operations.md, "Behind a CDN"). */
export async function runCommand(ctx: CliContext, options: { web?: boolean } = {}): Promise<number> {
  const logger = createLogger({ level: ctx.debug ? 'debug' : (ctx.env.LOG_LEVEL ?? 'info') });
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping: finishing the post in flight');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runBot({
      configDir: ctx.configDir,
      dataDir: ctx.dataDir,
      ...(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : {}),
      ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}),
      clock: ctx.clock,
      logger,
      env: ctx.env,
      signal: stop.signal,
      ...(options.web === false ? { web: false } : {}),
    });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
