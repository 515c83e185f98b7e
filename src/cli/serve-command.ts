/**
 * `serve`: the web server only (console, /healthz; public pages and feeds as
 * they come), never publishing. Runs beside `run` (the same database) or as
 * extra instances behind a load balancer; until SIGINT/SIGTERM, then exit 0.
 * The offices are those of the config files, or, without files, of the
 * database's current revisions; followed while it runs as `run` follows them
 * (app/serve-offices.ts), so an office added or removed shows without a restart.
 * Like `run`, it takes part in the hourly console clean-up (app/console-cleanup.ts).
 */
import path from 'node:path';
import { consoleRetention, startConsoleCleanup } from '../app/console-cleanup';
import { readConfigContent } from '../app/config-content';
import { followDatabaseOffices, followFileOffices, officeContentDirs, type ServedOfficeList } from '../app/serve-offices';
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

export interface ServeOptions {
  signal?: AbortSignal;
  onListening?: (address: string) => void;
  /** How long config edits must settle before they are read (default 300 ms). */
  watchDebounceMs?: number;
  /** Without config files: how often to look for new current revisions (default FOLLOW_INTERVAL_MS). */
  followIntervalMs?: number;
}

export async function serveCommand(ctx: CliContext, options: ServeOptions = {}): Promise<number> {
  const logger = createLogger({ level: ctx.debug ? 'debug' : (ctx.env.LOG_LEVEL ?? 'info') });
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  const source = { configDir: ctx.configDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}) };
  let offices: ServedOfficeList | null = null;
  try {
    let configs: Config[];
    const summaries = (): OfficeSummary[] => configs.flatMap((config) => config.offices.map(summarizeOffice));
    if (hasConfigFiles(ctx.configDir)) {
      // Hashed BEFORE loading: an edit racing the load shows up as a different hash at the first look.
      const content = readConfigContent(officeContentDirs(source));
      configs = loadSelectedOffices(ctx).offices.map((office) => office.loaded.config);
      const follower = followFileOffices({ source, clock: ctx.clock, logger, initial: summaries(), initialContent: content, ...(options.watchDebounceMs === undefined ? {} : { watchDebounceMs: options.watchDebounceMs }) });
      offices = follower;
      await follower.ready;
    } else {
      const start = await startFromDatabase(store, { configDir: ctx.configDir, dataDir: ctx.dataDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}), now: ctx.clock.now(), logger });
      configs = [start.loaded.config];
      const revisions = new Map([...start.fromRevisions, ...start.unloadable].map(({ revision }) => [revision.officeId, revision.id] as const));
      offices = followDatabaseOffices({ store, source, clock: ctx.clock, logger, initial: summaries(), initialRevisions: revisions, ...(options.followIntervalMs === undefined ? {} : { intervalMs: options.followIntervalMs }) });
    }
    const settings = resolveWebSettings(configs[0]?.settings ?? {});
    const server = await startWebServer({ store, logger, clock: ctx.clock, offices: offices.list, settings, source, scratchDir: path.join(ctx.dataDir, 'console') });
    const owner = `serve-${process.pid}@${ctx.clock.now().getTime().toString(36)}`;
    const cleanup = startConsoleCleanup({ store, clock: ctx.clock, logger, owner, zone: configs[0]?.offices[0]?.timezone ?? 'UTC', retention: consoleRetention(settings) });
    logger.info({ listen: server.address, offices: offices.list().map((office) => office.id) }, 'web server listening (serve: no publishing)');
    options.onListening?.(server.address);
    await waitForStop(options.signal);
    logger.info('web server stopping');
    await server.close();
    await cleanup.stop();
    return 0;
  } finally {
    await offices?.close();
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
