/**
 * The web server of `run` and `serve`: the staff console under /admin/, the
 * public pages (web/public/: `/`, `/o/{office}/…`, `/v`), plus /healthz, /readyz
 * (web/health.ts) and /metrics (web/metrics-route.ts).
 * It reads the store and writes only console data (users, sessions, audit,
 * and what page modules write through the same store functions as the CLI).
 *
 * buildWebServer returns the Fastify instance, ready for `inject` in tests;
 * startWebServer also listens on settings.web.
 */
import fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import fastifyView from '@fastify/view';
import type { Clock } from '../clock';
import type { WebSettings } from '../config/types';
import type { Logger } from '../logger';
import { DEFAULT_LOCKOUT, type LockoutPolicy } from '../store/login-failures';
import type { Store } from '../store/open';
import { DEFAULT_SESSION_TIMEOUTS, type SessionTimeouts } from '../store/sessions';
import { registerAssets } from './assets';
import { registerAuthRoutes } from './auth-routes';
import type { ConsolePage, WebContext } from './console-page';
import { approvalsPage } from './console/approvals';
import { calendarPage } from './console/calendar';
import { calendarEditPage } from './console/edit';
import { homePage } from './console/home';
import { historyPage } from './console/history';
import { postsPage } from './console/posts';
import { previewPage } from './console/preview';
import { dashboardPage } from './console/dashboard';
import { usersPage } from './console/users';
import { cookieNames } from './cookies';
import { installGuard, type RouteEntry } from './guard';
import { registerFeeds } from './feeds';
import { registerHealth, type Readiness } from './health';
import { createMetricsRegistry, type MetricsRegistry } from '../metrics/registry';
import { registerWebMetrics } from './metrics-route';
import os from 'node:os';
import path from 'node:path';
import { HttpError } from './http-error';
import { createOfficeConfigLoader, type ConfigSource } from './office-config';
import { CORE_MESSAGES, mergeMessages } from './i18n';
import type { OfficeSummary } from './offices';
import { registerSecurityPlugins } from './plugins';
import { createViewEngine, renderPage, VIEWS_ROOT } from './render';
import { installRequestContext, isConsoleUrl } from './request-context';
import { createPublicCache } from './public-cache';
import { createPublicVersions } from './public-version';
import { isMachineUrl, registerPublicPages, type PublicPages } from './public';

/** The console's pages, in order. A new page group adds itself here. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [homePage, dashboardPage, calendarPage, calendarEditPage, previewPage, historyPage, approvalsPage, postsPage, usersPage];

export interface WebServerOptions {
  store: Store;
  logger: Logger;
  clock: Pick<Clock, 'now'>;
  /** The offices served now; called per request (a reload may change them). */
  offices: () => readonly OfficeSummary[];
  settings: Pick<WebSettings, 'secureCookies' | 'trustProxy'>;
  sessionTimeouts?: SessionTimeouts;
  lockout?: LockoutPolicy;
  /** Sign-in posts per minute per address on this instance (default 20). */
  loginRatePerMinute?: number;
  /** Default CONSOLE_PAGES. */
  pages?: readonly ConsolePage[];
  /** Where revisions find config files and templates (default: ./config, the shipped templates). */
  source?: ConfigSource;
  /** Scratch space for previews (default: a directory under the OS temp dir). */
  scratchDir?: string;
  /** What /metrics exposes: `run` hands over the bot's registry; default a registry of this server's own. */
  metrics?: MetricsRegistry;
  /** The bearer token remote scrapers of /metrics send (web/metrics-access.ts); null or absent: loopback only. */
  metricsToken?: string | null;
  /** What /readyz knows of the process: still loading, stopping (web/health.ts). */
  readiness?: Readiness;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access (web/access.ts), for the tests that walk them. */
    routeTable: readonly RouteEntry[];
  }
}

export async function buildWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const secure = options.settings.secureCookies;
  const names = cookieNames(secure);
  const timeouts = options.sessionTimeouts ?? DEFAULT_SESSION_TIMEOUTS;
  const pages = options.pages ?? CONSOLE_PAGES;
  const messages = mergeMessages(CORE_MESSAGES, ...pages.flatMap((page) => (page.messages ? [page.messages] : [])));
  const source = options.source ?? { configDir: path.resolve('config') };
  const web: WebContext = {
    store: options.store,
    clock: options.clock,
    logger: options.logger,
    offices: options.offices,
    source,
    officeConfig: createOfficeConfigLoader(options.store, source, () => options.clock.now()),
    scratchDir: options.scratchDir ?? path.join(os.tmpdir(), 'quota-herald-console'),
    publicCache: createPublicCache({ clock: options.clock }),
    publicVersions: createPublicVersions(options.store, options.clock),
  };

  const app = fastify({
    loggerInstance: options.logger.child({ component: 'web' }),
    trustProxy: options.settings.trustProxy,
    // One line per request at debug (below): the bot's log is for posts, not page views.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
  }) as unknown as FastifyInstance;
  app.decorate('renderSettings', { names, secure });
  await registerSecurityPlugins(app, { secure });
  await app.register(fastifyView, { engine: { handlebars: createViewEngine() }, root: VIEWS_ROOT, production: true });
  installRequestContext(app, web, { names, secure, timeouts, messages });
  const routes = installGuard(app, web);
  app.decorate('routeTable', routes);
  // The server's own time for the response (Server-Timing, shown by browsers' network panels; bench/console.ts reads it).
  // Signed-in users only: a visitor's sign-in attempts get no precise timing of the password check.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.consoleUser) reply.header('server-timing', serverTiming(reply.elapsedTime));
    return payload;
  });
  registerWebMetrics(app, web, { metrics: options.metrics ?? createMetricsRegistry(), token: options.metricsToken ?? null, readiness: options.readiness ?? {} });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'web request');
  });

  // Assigned below, before any request: public URLs get the public side's Indonesian error pages.
  let publicPages: PublicPages | null = null;
  app.setErrorHandler(async (error: FastifyError | HttpError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error, url: request.url.split('?')[0] }, 'web request failed');
    if (!isConsoleUrl(request.url) && publicPages && !isMachineUrl(request.url)) return publicPages.sendError(reply, status);
    if (!isConsoleUrl(request.url)) return reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
    const key = error instanceof HttpError ? error.messageKey : 'code' in error && String(error.code).startsWith('FST_CSRF') ? 'error.csrf' : messageForStatus(status);
    return renderPage(request, reply, 'views/error.hbs', { title: request.t('error.title'), message: request.t(key) }, status);
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (!isConsoleUrl(request.url) && publicPages && !isMachineUrl(request.url)) return publicPages.sendError(reply, 404);
    if (!isConsoleUrl(request.url)) return reply.code(404).send({ error: 'not found' });
    return renderPage(request, reply, 'views/error.hbs', { title: request.t('error.title'), message: request.t('error.404') }, 404);
  });

  registerHealth(app, web, options.readiness);
  registerAssets(app);
  registerAuthRoutes(app, web, { names, secure, timeouts, lockout: options.lockout ?? DEFAULT_LOCKOUT, loginRatePerMinute: options.loginRatePerMinute ?? 20 });
  for (const page of pages) await page.register(app, web);
  publicPages = registerPublicPages(app, web);
  registerFeeds(app, web);
  await app.ready();
  return app;
}

/** `app;dur=12.3`: milliseconds from the request's arrival to its response being ready to send. */
export function serverTiming(elapsedMs: number): string {
  return `app;dur=${elapsedMs.toFixed(1)}`;
}

function messageForStatus(status: number): string {
  if (status === 403 || status === 404 || status === 429 || status === 400) return `error.${status}`;
  return status >= 500 ? 'error.500' : 'error.400';
}

export interface RunningWebServer {
  /** `http://host:port` as it listens. */
  readonly address: string;
  close(): Promise<void>;
}

/** Builds the server and listens on `settings.host:port`. */
export async function startWebServer(options: WebServerOptions & { settings: WebSettings }): Promise<RunningWebServer> {
  const app = await buildWebServer(options);
  const address = await app.listen({ host: options.settings.host, port: options.settings.port });
  return { address, close: () => app.close() };
}
