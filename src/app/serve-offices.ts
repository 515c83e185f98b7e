/**
 * The offices `serve` shows in its console, kept current the way `run` keeps
 * the offices it schedules (app/bot.ts), so an office added at runtime shows
 * without a restart and a removed one goes:
 *
 * - from config files: the same watcher (config-watcher.ts) and per-office
 *   content hashes (config-content.ts) as the bot; only the offices whose
 *   folders changed are loaded again (all of them when a shared file did). An
 *   office whose edit does not load keeps showing as it was, as the bot keeps
 *   its last good plan; one whose folder is gone is dropped.
 * - without files, from the database: every office with a current config
 *   revision, found as the bot follows revisions (follow-revisions.ts: a poll
 *   every FOLLOW_INTERVAL_MS, and on PostgreSQL LISTEN/NOTIFY at once), each new
 *   revision loaded as the console loads it (revision-files.ts: a private
 *   temporary directory, never the `revisions/` folders a bot on this data
 *   directory writes).
 */
import type { Clock } from '../clock';
import { formatProblem } from '../errors';
import type { Logger } from '../logger';
import { listCurrentIds, getRevision } from '../store/config-revisions';
import type { Store } from '../store/open';
import { isDatabaseUnreachable } from '../store/outage';
import { listenForRevisions } from '../store/revision-listener';
import { summarizeOffice, type OfficeSummary } from '../web/offices';
import type { ConfigSource } from '../web/office-config';
import { changedOffices, contentByOffice, readConfigContent, type ConfigContent } from './config-content';
import { watchConfig, type ConfigWatcher } from './config-watcher';
import { FOLLOW_INTERVAL_MS } from './follow-revisions';
import { loadDeployment } from './load-all';
import { checkRevisionFiles } from './revision-files';
import { resolveTemplatesDir } from '../config/load';

export interface ServedOfficeList {
  /** The offices shown now, sorted by id (called at every request). */
  list(): readonly OfficeSummary[];
  /** Looks again now; resolves when the list is up to date (the timers and events call it too). */
  refresh(): Promise<void>;
  /** Stops watching; waits for a look in progress. */
  close(): Promise<void>;
}

const byId = (a: OfficeSummary, b: OfficeSummary): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Runs `look` one at a time: asks while one is waiting to run are that same
 * look, not one each. A failed look is logged; the next ask tries again.
 */
function oneAtATime(look: () => Promise<void>, logger: Logger): { ask: () => Promise<void>; idle: () => Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | null = null;
  const ask = (): Promise<void> => {
    waiting ??= last.then(async () => {
      waiting = null;
      try {
        await look();
      } catch (error) {
        if (isDatabaseUnreachable(error)) logger.debug({ err: error }, 'could not look for new offices: the database is unreachable');
        else logger.error({ err: error }, 'could not look for new offices; the next look tries again');
      }
    });
    last = waiting;
    return waiting;
  };
  return { ask, idle: () => last };
}

/** Keeps the list sorted and says when the set of offices changed. */
function officeSet(initial: readonly OfficeSummary[], logger: Logger): { list: () => readonly OfficeSummary[]; current: () => Map<string, OfficeSummary>; replace: (next: Map<string, OfficeSummary>) => void } {
  let offices = new Map(initial.map((office) => [office.id, office] as const));
  let list: readonly OfficeSummary[] = [...offices.values()].sort(byId);
  return {
    list: () => list,
    current: () => new Map(offices),
    replace(next) {
      const before = list.map((office) => office.id).join(',');
      offices = next;
      list = [...next.values()].sort(byId);
      if (list.map((office) => office.id).join(',') !== before) logger.info({ offices: list.map((office) => office.id) }, 'the console now shows these offices');
    },
  };
}

export interface FileOfficesOptions {
  source: ConfigSource;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** The offices loaded at start, and the content they were read from (read before loading them). */
  initial: readonly OfficeSummary[];
  initialContent: ConfigContent;
  /** Watch the directories (default true); without, only `refresh` looks. */
  watch?: boolean;
  watchDebounceMs?: number;
}

/** The directories whose files make the offices: the config and the templates (what `serve` hashes at start). */
export function officeContentDirs(source: ConfigSource): string[] {
  return [source.configDir, resolveTemplatesDir(source.configDir, source.templatesDir)];
}

/** The offices of the config files, re-read when they change. */
export function followFileOffices(options: FileOfficesOptions): ServedOfficeList & { ready: Promise<void> } {
  const { source, logger } = options;
  const shown = officeSet(options.initial, logger);
  let lastHash = options.initialContent.hash;
  let lastParts = contentByOffice(options.initialContent, source.configDir);

  const look = async (): Promise<void> => {
    const content = readConfigContent(officeContentDirs(source));
    if (content.hash === lastHash) return;
    const parts = contentByOffice(content, source.configDir);
    // Shared files unchanged: only the office folders that changed (added, edited, removed) are read.
    const changed = changedOffices(lastParts, parts);
    const deployment = loadDeployment(source.configDir, {
      now: options.clock.now(),
      ...(source.templatesDir ? { templatesDir: source.templatesDir } : {}),
      ...(changed.all ? {} : { only: changed.ids }),
    });
    lastHash = content.hash;
    lastParts = parts;
    if (deployment.shared.some((p) => p.severity === 'error')) {
      logger.warn(`the shared config files have errors; the console keeps showing its offices:\n${deployment.shared.map((p) => formatProblem(p)).join('\n')}`);
      return;
    }
    // One office too broken to tell its id: keep what is shown, as the bot keeps its last good config.
    if (!deployment.many && !deployment.offices[0]?.loaded) return;
    const next = shown.current();
    const read = new Set(deployment.offices.map((office) => office.id));
    // Gone: of the offices read this time (every one, or the changed ones), those whose folder is not there.
    for (const id of [...next.keys()]) if ((changed.all || changed.ids.includes(id)) && !read.has(id)) next.delete(id);
    for (const office of deployment.offices) {
      const config = office.loaded?.config.offices[0];
      if (config) next.set(office.id, summarizeOffice(config));
      else logger.warn({ office: office.id }, `office ${office.id}: its config has errors; the console ${next.has(office.id) ? 'shows it as it was' : 'does not show it'} until they are fixed`);
    }
    shown.replace(next);
  };
  const looks = oneAtATime(look, logger);
  const watcher: ConfigWatcher | null =
    options.watch === false
      ? null
      : watchConfig(officeContentDirs(source), () => void looks.ask(), { logger, ...(options.watchDebounceMs === undefined ? {} : { debounceMs: options.watchDebounceMs }) });
  // Until the watcher's first scan is done an edit may go unseen: look once more after it.
  const ready = (watcher?.ready ?? Promise.resolve()).then(() => looks.ask());
  return {
    list: shown.list,
    refresh: looks.ask,
    ready,
    async close() {
      await watcher?.close();
      await looks.idle();
    },
  };
}

export interface DatabaseOfficesOptions {
  store: Store;
  source: ConfigSource;
  clock: Clock;
  logger: Logger;
  /** The offices shown at start, and the revision each runs (office id → revision id). */
  initial: readonly OfficeSummary[];
  initialRevisions: ReadonlyMap<string, number>;
  /** How often to look for new current revisions (default FOLLOW_INTERVAL_MS). */
  intervalMs?: number;
}

/** The offices with a current config revision in the database, followed as the bot follows them. */
export function followDatabaseOffices(options: DatabaseOfficesOptions): ServedOfficeList {
  const { store, source, clock, logger } = options;
  const shown = officeSet(options.initial, logger);
  /** The revision last looked at per office, loaded or not: a broken one is reported once, not at every poll. */
  const seen = new Map(options.initialRevisions);

  const look = async (): Promise<void> => {
    const current = await listCurrentIds(store);
    const next = shown.current();
    let changed = false;
    for (const id of [...next.keys()]) {
      if (!current.has(id)) {
        next.delete(id);
        changed = true;
      }
    }
    for (const [officeId, revisionId] of current) {
      if (seen.get(officeId) === revisionId) continue;
      const revision = await getRevision(store, revisionId);
      if (!revision) continue;
      seen.set(officeId, revisionId);
      const checked = checkRevisionFiles(revision.files, { sourceDir: source.configDir, now: clock.now(), officeId, ...(source.templatesDir ? { templatesDir: source.templatesDir } : {}) });
      const config = checked.loaded?.config.offices.find((office) => office.id === officeId);
      if (config) {
        next.set(officeId, summarizeOffice(config));
        changed = true;
        continue;
      }
      const lines = checked.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p));
      logger.error({ office: officeId, revision: revisionId }, `config revision ${revisionId} of office ${officeId} does not load; the console ${next.has(officeId) ? 'shows the office as it was' : 'does not show it'}:\n${lines.join('\n')}`);
    }
    if (changed) shown.replace(next);
  };
  const looks = oneAtATime(look, logger);
  const timer = setInterval(() => void looks.ask(), options.intervalMs ?? FOLLOW_INTERVAL_MS);
  // PostgreSQL: a NOTIFY at each new current revision makes the new office show at once; polling stays as the fallback.
  const stopListening = new AbortController();
  const listening = listenForRevisions({ store, clock, logger, signal: stopListening.signal, onNotice: () => void looks.ask() });
  return {
    list: shown.list,
    refresh: looks.ask,
    async close() {
      clearInterval(timer);
      stopListening.abort();
      await listening;
      await looks.idle();
    },
  };
}
