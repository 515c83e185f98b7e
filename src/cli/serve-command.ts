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
import { createLogger, type Logger } from '../logger';
import { openStore, type Store } from '../store/open';
import type { ConfigSource } from '../web/office-config';
import { summarizeOffice, type OfficeSummary } from '../web/offices';
import { resolveMetricsToken } from '../web/metrics-access';
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
  /** When the console clean-up runs (default CONSOLE_CLEANUP_CRON: hourly). */
  consoleCleanupCron?: string;
}

export async function serveCommand(ctx: CliContext, options: ServeOptions = {}): Promise<number> {
  const logger = createLogger({ level: ctx.debug ? 'debug' : (ctx.env.LOG_LEVEL ?? 'info') });
  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  const source = { configDir: ctx.configDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}) };
  let offices: ServedOfficeList | null = null;
  try {
    const started = await startOffices(ctx, store, source, logger, options);
    offices = started.offices;
    const first = started.configs[0];
    const settings = resolveWebSettings(first?.settings ?? {});
    const metricsToken = resolveMetricsToken(settings.metricsToken, ctx.env);
    if (metricsToken.problem) logger.warn(metricsToken.problem);
    let draining = false;
    const server = await startWebServer({
      store,
      logger,
      clock: ctx.clock,
      offices: offices.list,
      settings,
      source,
      scratchDir: path.join(ctx.dataDir, 'console'),
      metricsToken: metricsToken.token,
      readiness: { draining: () => draining },
    });
    const cleanup = startConsoleCleanup({
      store,
      clock: ctx.clock,
      logger,
      owner: `serve-${process.pid}@${ctx.clock.now().getTime().toString(36)}`,
      zone: first?.offices[0]?.timezone ?? 'UTC',
      retention: consoleRetention(settings),
      ...(options.consoleCleanupCron === undefined ? {} : { cron: options.consoleCleanupCron }),
    });
    logger.info({ listen: server.address, offices: offices.list().map((office) => office.id) }, 'web server listening (serve: no publishing)');
    options.onListening?.(server.address);
    await waitForStop(options.signal);
    logger.info('web server stopping');
    // Requests in flight finish (Fastify's close waits for them); a /readyz among them says `draining`.
    draining = true;
    await server.close();
    await cleanup.stop();
    return 0;
  } finally {
    await offices?.close();
    await store.close();
  }
}

/** The configs at start (their settings are the web server's), and the office list that follows them from then on. */
async function startOffices(ctx: CliContext, store: Store, source: ConfigSource, logger: Logger, options: ServeOptions): Promise<{ configs: Config[]; offices: ServedOfficeList }> {
  const summaries = (configs: Config[]): OfficeSummary[] => configs.flatMap((config) => config.offices.map(summarizeOffice));
  if (hasConfigFiles(ctx.configDir)) {
    // Hashed BEFORE loading: an edit racing the load shows up as a different hash at the first look.
    const content = readConfigContent(officeContentDirs(source));
    const configs = loadSelectedOffices(ctx).offices.map((office) => office.loaded.config);
    const offices = followFileOffices({
      source,
      clock: ctx.clock,
      logger,
      initial: summaries(configs),
      initialContent: content,
      ...(options.watchDebounceMs === undefined ? {} : { watchDebounceMs: options.watchDebounceMs }),
    });
    await offices.ready;
    return { configs, offices };
  }
  const start = await startFromDatabase(store, { configDir: ctx.configDir, dataDir: ctx.dataDir, ...(ctx.templatesDir ? { templatesDir: ctx.templatesDir } : {}), now: ctx.clock.now(), logger });
  const configs = [start.loaded.config];
  const offices = followDatabaseOffices({
    store,
    source,
    clock: ctx.clock,
    logger,
    initial: summaries(configs),
    initialRevisions: new Map([...start.fromRevisions, ...start.unloadable].map(({ revision }) => [revision.officeId, revision.id] as const)),
    ...(options.followIntervalMs === undefined ? {} : { intervalMs: options.followIntervalMs }),
  });
  return { configs, offices };
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
