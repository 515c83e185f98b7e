/**
 * What a page module gets and gives. A page group (dashboard, calendar,
 * approvals, …) is one `ConsolePage`; web/server.ts registers each in turn:
 *
 *   export const calendarPage: ConsolePage = {
 *     name: 'calendar',
 *     messages: { id: { 'calendar.title': 'Kalender' }, en: { 'calendar.title': 'Calendar' } },
 *     register(app, web) {
 *       app.get('/admin/o/:office/calendar', { config: { access: requireRole('viewer') } }, async (request, reply) =>
 *         renderPage(request, reply, 'console/calendar/calendar.hbs', { title: request.t('calendar.title'), rows: … }));
 *     },
 *   };
 */
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store } from '../store/open';
import type { Messages } from './i18n';
import type { OfficeSummary } from './offices';
import type { ConfigSource, OfficeConfigLoader } from './office-config';
import type { PublicCache } from './public-cache';
import type { PublicVersions } from './public-version';

/** Everything a page needs from the running process; nothing else is global. */
export interface WebContext {
  store: Store;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** The offices served now (may change on a reload), sorted by id. */
  offices(): readonly OfficeSummary[];
  /** Where the config files and templates are (revisions load against them). */
  source: ConfigSource;
  /** An office's current config revision, loaded and cached (web/office-config.ts). */
  officeConfig: OfficeConfigLoader;
  /** A scratch directory for cards rendered on demand (previews); below the data directory. */
  scratchDir: string;
  /** Rendered public pages and feeds, kept per office and version (web/public-cache.ts). */
  publicCache: PublicCache;
  /** What an office's public responses depend on, read at most once a second (web/public-version.ts). */
  publicVersions: PublicVersions;
}

export interface ConsolePage {
  name: string;
  /** Words of the page's views, merged into the console's dictionary (web/i18n.ts). */
  messages?: Messages;
  /** Registers the page's routes; each declares `config.access` (web/access.ts). */
  register(app: FastifyInstance, web: WebContext): void | Promise<void>;
}
