/**
 * The web server inside `run`. Publishing comes first: a web server that
 * cannot start (its port taken, a bad address) is reported and the bot runs
 * on without it, rather than an opening going unannounced.
 */
import type { Clock } from '../clock';
import type { MetricsRegistry } from '../metrics/registry';
import type { WebSettings } from '../config/types';
import type { Logger } from '../logger';
import type { Store } from '../store/open';
import type { OfficeSummary } from './offices';
import type { ConfigSource } from './office-config';
import type { Readiness } from './health';
import { resolveMetricsToken } from './metrics-access';
import { startWebServer, type RunningWebServer } from './server';

export async function startWebServerBesideBot(options: {
  store: Store;
  logger: Logger;
  clock: Clock;
  settings: WebSettings;
  offices: () => readonly OfficeSummary[];
  source: ConfigSource;
  scratchDir: string;
  /** Where settings.web.metricsToken's variable is read. */
  env: Readonly<Record<string, string | undefined>>;
  metrics: MetricsRegistry;
  readiness: Readiness;
}): Promise<RunningWebServer | null> {
  const { env, ...serverOptions } = options;
  const metricsToken = resolveMetricsToken(options.settings.metricsToken, env);
  if (metricsToken.problem) options.logger.warn(metricsToken.problem);
  try {
    const server = await startWebServer({ ...serverOptions, metricsToken: metricsToken.token });
    options.logger.info({ listen: server.address }, 'web server listening (public pages at /, console at /admin/)');
    return server;
  } catch (error) {
    const where = `${options.settings.host}:${options.settings.port}`;
    options.logger.error({ err: error, listen: where }, `the web server cannot listen on ${where} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the bot publishes without it: set settings.web.port to a free port, or stop what uses it, then restart`);
    return null;
  }
}
