/** `run`: the long-running bot, until SIGINT/SIGTERM; then it drains and exits 0. */
import { runBot } from '../app/bot';
import { createLogger } from '../logger';
import type { CliContext } from './context';

export async function runCommand(ctx: CliContext): Promise<number> {
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
    });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
