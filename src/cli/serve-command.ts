/**
 * `serve`: the web server only (console, /healthz; public pages and feeds as
 * they come), never publishing. Runs beside `run` (the same database) or as
 * extra instances behind a load balancer; until SIGINT/SIGTERM, then exit 0.
 * The offices are those of the config files, or, without files, of the
 * database's current revisions; read at start.
 */
import path from 'node:path';
import { startFromDatabase } from '../app/start-config';
import type { Config } from '../config/types';
import { hasConfigFiles } from '../config/load-offices';
import { createLogger } from '../logger';
import { openStore } from '../store/open';
import { summarizeOffice, type OfficeSummary } from '../web/offices';
import { startWebServer } from '../web/server';
import { resolveWebSettings } from '../web/web-settings';
import type { CliContext } from './context';
import { loadSelectedOffices } from './offices';

export async function serveCommand(ctx: CliContext, options: { signal?: AbortSignal; onListening?: (address: string) => void } = {}): Promise<number> {
  const logger = createLogger({ level: ctx.debug ? 'debug' : (ctx.env.LOG_LEVEL ?? 'info') });
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  try {
    let configs: Config[];
    if (hasConfigFiles(ctx.configDir)) {
      configs = loadSelectedOffices(ctx).offices.map((office) => office.loaded.config);
    } else {
      const start = await startFromDatabase(store, { configDir: ctx.configDir, dataDir: ctx.dataDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}), now: ctx.clock.now(), logger });
      configs = [start.loaded.config];
    }
    const offices: OfficeSummary[] = configs.flatMap((config) => config.offices.map(summarizeOffice)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const settings = resolveWebSettings(configs[0]?.settings ?? {});
    const source = { configDir: ctx.configDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}) };
    const server = await startWebServer({ store, logger, clock: ctx.clock, offices: () => offices, settings, source, scratchDir: path.join(ctx.dataDir, 'console') });
    logger.info({ listen: server.address, offices: offices.map((office) => office.id) }, 'web server listening (serve: no publishing)');
    options.onListening?.(server.address);
    await waitForStop(options.signal);
    logger.info('web server stopping');
    await server.close();
    return 0;
  } finally {
    await store.close();
  }
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop);
  });
}
