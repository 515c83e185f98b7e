/**
 * The long-running bot (`run`): the composition root for live publishing.
 * It owns the only real timers: the schedule loop, the cron timers (croner,
 * the same reading of cron as the planner's) for the periodic re-plan and
 * account checks, and the config watcher.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCardReader } from '../channels/card-bytes';
import type { ChannelDeps } from '../channels/channel';
import type { Clock } from '../clock';
import { resolveTemplatesDir } from '../config/load';
import type { OfficeConfig } from '../config/types';
import { AppError, ConfigError, formatProblem, type Problem } from '../errors';
import { postLogger, type Logger } from '../logger';
import { createScheduler, type Runtime } from '../schedule/scheduler';
import type { PublishObserver } from '../schedule/publish-observer';
import { registerBotMetrics, type RunningChannel } from '../metrics/bot-metrics';
import { createMetricsRegistry } from '../metrics/registry';
import { runScheduleLoop } from '../schedule/run-loop';
import { formatStaffTime } from '../render/helpers/staff-time';
import { startMediaServer, type MediaServer } from '../media-server/media-server';
import { liveOfficeSummaries } from '../web/offices';
import { resolveWebSettings } from '../web/web-settings';
import { acquireDataDirLock } from '../store/lock';
import { openStore, SQLITE_FILE, type Store } from '../store/open';
import { describeDatabaseUrl, isDatabaseUnreachable, retryWhileUnreachable } from '../store/outage';
import { listenForRevisions } from '../store/revision-listener';
import { hasConfigFiles } from '../config/load-offices';
import { registerInstance, unregisterInstance } from '../store/instances';
import { claimJobRun, finishJobRun, occurrenceKey, runOncePerPeriod } from '../store/job-runs';
import { runHeartbeat, throttleLiveness } from './instance-heartbeat';
import { releaseAllLeases, resetRendered } from '../store/ledger';
import { setRuntimeStatus } from '../store/runtime-status';
import { startCronTimer } from '../plan/cron';
import { verifyAccounts } from './account-watch';
import { createConfiguredAlertSink, type AlertSink } from './alert-sink';
import { consoleRetention, startConsoleCleanup } from './console-cleanup';
import { watchConfig } from './config-watcher';
import { createFileRevisionRecorder, type FileRecordOutcome } from './file-revisions';
import { FOLLOW_INTERVAL_MS, loadRevision, REVISION_REPLAN_JOB, revisionReplanKey } from './follow-revisions';
import { getRevision, listCurrentIds, type ConfigRevision } from '../store/config-revisions';
import { nothingToRun, preferNewerRevisions, startFromDatabase, type StartConfig } from './start-config';
import { changedOffices, contentByOffice, readConfigContent, SHARED_PART, type ConfigContent } from './config-content';
import { loadDeployment, type DeploymentOutcome, type Loaded } from './load-all';
import { buildOfficesRuntime, combineOfficeSet, updateOfficeSet } from './office-set';
import { replanInto } from './replan';
import { buildRuntime } from './runtime';
import { createTokenVault } from './token-vault';

export interface BotOptions {
  configDir: string;
  dataDir: string;
  databaseUrl?: string;
  templatesDir?: string;
  clock: Clock;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
  /** Abort to stop: the post in flight finishes, then everything closes. */
  signal: AbortSignal;
  /** Re-plan when files change (default true). */
  watch?: boolean;
  /** How long edits must settle before they are read (default 300 ms). */
  watchDebounceMs?: number;
  /** Every platform request gives up after this long (default 30 s). */
  requestTimeoutMs?: number;
  /** One channel's whole account check gives up after this long (default 2 min). */
  accountCheckTimeoutMs?: number;
  /** false: no web server (`run --no-web`, a `serve` beside it answers; tests running many bots on one machine); default: settings.web. */
  web?: boolean;
  /** How often to look for a new current config revision (default FOLLOW_INTERVAL_MS; PostgreSQL is also told at once by NOTIFY). */
  followIntervalMs?: number;
  /** When the console clean-up runs (default CONSOLE_CLEANUP_CRON: hourly). */
  consoleCleanupCron?: string;
}

/**
 * What `status` shows under `config`: the last load, and the content the running plan was built from.
 * `replannedOffices` (many offices): the offices the last reload re-planned, when it was not all of them.
 * With no config files (run from the database) `content` is empty and `revisions` says what runs.
 */
export type ConfigStatus = (
  | { ok: true; loadedAt: string; problems: string[]; content: StoredContent; replannedOffices?: string[] }
  | { ok: false; checkedAt: string; problems: string[]; content: StoredContent; rejectedHash: string; brokenOffices?: string[]; replannedOffices?: string[] }
) & {
  /** The config revision each office runs (office id → revision id), when known. */
  revisions?: Record<string, number>;
};

/** A ConfigContent as JSON (ISO times). */
export interface StoredContent {
  hash: string;
  files: { file: string; modifiedAt: string }[];
}

export const CONFIG_STATUS_KEY = 'config';
const ACCOUNT_CHECK_CRON = '17 */6 * * *';
/** A claim's lease; renewed by the heartbeat while its holder lives, so it only matters when no instance is left to notice. */
const LEASE_MS = 120_000;
export const INSTANCE_STATUS_KEY = 'instance';

/** The running bot, as `status` shows it (a record from an older version lacks `zone`). */
export interface InstanceStatus {
  pid: number;
  owner: string;
  heartbeatAt: string;
  /** IANA zone of the (first) office of the running config. */
  zone: string;
}

export async function runBot(options: BotOptions): Promise<void> {
  const { clock, logger } = options;
  // No config directory (or an empty one): the offices run from their current revisions in the database.
  const fromFiles = hasConfigFiles(options.configDir);
  // Hashed BEFORE loading: an edit racing the load shows up as a different hash next time.
  const firstContent = readConfigContent(fromFiles ? [options.configDir, resolveTemplatesDir(options.configDir, options.templatesDir)] : []);
  let first: { loaded: Loaded; offices?: Map<string, Loaded> } | null = null;
  if (fromFiles) {
    const deployment = loadDeployment(options.configDir, { now: clock.now(), ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
    const loaded: { loaded: Loaded | null; problems: Problem[]; offices?: Map<string, Loaded> } = deployment.many ? startOffices(deployment, logger) : deployment.offices[0]!;
    loaded.problems.filter((p) => p.severity === 'warning').forEach((p) => logger.warn(formatProblem(p, process.cwd())));
    if (!loaded.loaded) throw new ConfigError(loaded.problems);
    first = { loaded: loaded.loaded, ...(loaded.offices ? { offices: loaded.offices } : {}) };
  } else if (!options.databaseUrl && !fs.existsSync(path.join(options.dataDir, SQLITE_FILE))) {
    // No ledger either: say so before creating an empty one.
    throw nothingToRun(options.configDir, `there is no SQLite ledger ${path.join(options.dataDir, SQLITE_FILE)} with config revisions`);
  }

  // One process per SQLite data directory; Postgres instances coordinate through claims instead.
  const zone = first?.loaded.config.offices[0]?.timezone ?? 'UTC';
  const lock = options.databaseUrl
    ? null
    : acquireDataDirLock(options.dataDir, { pid: process.pid, command: 'run', startedAt: clock.now(), showTime: (instant) => formatStaffTime(instant, zone, clock.now()) });
  let store: Store | null = null;
  try {
    // A database that is down at start (PostgreSQL restarting, the network not up yet)
    // is waited for with backoff: the bot never exits for it.
    const storeOptions = options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir };
    const what = options.databaseUrl ? describeDatabaseUrl(options.databaseUrl) : 'the SQLite ledger';
    store = await retryWhileUnreachable(() => openStore(storeOptions), { what, clock, logger, signal: options.signal });
    if (!store) return; // stopped while waiting
    const opened = store;
    // Files or the database's current revision, office by office (app/start-config.ts says which wins).
    const startOptions = { configDir: options.configDir, dataDir: options.dataDir, now: clock.now(), logger, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) };
    const start = await retryWhileUnreachable(() => (first ? preferNewerRevisions(opened, first, firstContent, startOptions) : startFromDatabase(opened, startOptions)), {
      what: store.label,
      clock,
      logger,
      signal: options.signal,
    });
    if (!start) return;
    // SQLite: the schedule loop marks the lock file alive for `health` (PostgreSQL: the instance heartbeat).
    const alive = lock ? throttleLiveness((now) => lock.touch(now)) : undefined;
    await serve(store, { ...start.loaded, content: firstContent, start, ...(first ? { fromFiles: first.loaded } : {}) }, options, alive);
  } finally {
    await store?.close();
    lock?.release();
  }
}

/**
 * Many offices at start: a broken office is reported and skipped, the others
 * run. Only when no office loads (or the shared files are broken) is there
 * nothing to run.
 */
function startOffices(deployment: DeploymentOutcome, logger: Logger): { loaded: Loaded | null; problems: Problem[]; offices?: Map<string, Loaded> } {
  const update = updateOfficeSet(new Map(), deployment);
  if (update.sharedErrors.length > 0) return { loaded: null, problems: update.sharedErrors };
  for (const office of update.broken) {
    office.problems.forEach((p) => logger.error({ office: office.id }, formatProblem(p, process.cwd())));
    logger.error({ office: office.id }, `office ${office.id} is not served: its config has errors (above); the other offices run`);
  }
  const warnings = [...deployment.shared, ...deployment.offices.filter((office) => office.loaded).flatMap((office) => office.problems)];
  const loaded = combineOfficeSet(update.offices);
  if (!loaded) return { loaded: null, problems: [...deployment.shared, ...deployment.offices.flatMap((office) => office.problems)] };
  return { loaded, problems: warnings, offices: update.offices };
}

async function serve(store: Store, firstLoaded: LoadedContent, options: BotOptions, alive?: (now: Date) => void): Promise<void> {
  const { clock, logger } = options;
  const owner = `${process.pid}@${clock.now().getTime().toString(36)}`;
  // Refreshed tokens: in the database, sealed, one refresh for every instance (a malformed key stops the start here).
  const tokenVault = createTokenVault({ store, env: options.env, dataDir: options.dataDir, owner, logger });
  // Instagram fetches images from us: the media server runs for the bot's whole life.
  // (A changed mediaServer setting needs a restart; the address is not hot-swapped.)
  // Where this instance listens is this machine's business: from its own files when it has
  // them, even when an office runs a revision recorded from another machine's files.
  const mediaSettings = (firstLoaded.fromFiles ?? firstLoaded).config.settings.mediaServer;
  const mediaServer: MediaServer | null = mediaSettings
    ? await startMediaServer({
        rootDir: options.dataDir,
        stateDir: options.dataDir,
        host: mediaSettings.host,
        port: mediaSettings.port,
        publicBaseUrl: mediaSettings.publicBaseUrl,
        // Any card any instance rendered, from the ledger (behind a load balancer).
        store,
        env: options.env,
      })
    : null;
  // Alert sinks (e-mail, Telegram) are built once: a changed settings.alerts needs a restart.
  const offices = firstLoaded.config.offices;
  // The console lists the offices the bot serves now, /metrics their channels: serveWith points
  // `served` at its running config, so an office a reload or a followed revision adds shows at
  // the next page view or scrape, and one whose folder is removed goes.
  const served: ServedOffices = { offices: () => offices, channels: () => [] };
  // /metrics of this bot (metrics/): its web server adds the ledger gauges and its own latency.
  const metrics = createMetricsRegistry();
  const botMetrics = registerBotMetrics(metrics, { store, clock, logger, channels: () => served.channels() });
  const alert = createConfiguredAlertSink({
    onRaised: (raised) => botMetrics.alertRaised(raised.kind),
    logger,
    store,
    clock,
    settings: firstLoaded.config.settings.alerts,
    // Many offices: each office's own recipients too (like the global ones, read at start).
    officeSettings: new Map(offices.flatMap((office) => (office.alerts ? [[office.id, office.alerts] as const] : []))),
    env: options.env,
    fetch: options.fetch ?? fetch,
    office: (officeId) => {
      const office = offices.find((candidate) => candidate.id === officeId);
      return { name: office?.name ?? (offices.map((each) => each.name).join(', ') || 'quota-herald'), zone: (office ?? offices[0])?.timezone ?? 'UTC' };
    },
  });
  const channelDeps: ChannelDeps = {
    clock,
    logger,
    outboxDir: options.dataDir,
    env: options.env,
    fetch: options.fetch ?? fetch,
    stateDir: options.dataDir,
    tokenVault,
    // Cards from this disk, else from the ledger: another instance may have rendered the post.
    readCard: createCardReader(store),
    ...(mediaServer ? { publicMediaUrl: (file: string) => mediaServer.publicUrl(file) } : {}),
    // Drivers report what staff must act on soon (an account near its daily cap).
    alert: (kind, message, channelId) => alert({ kind, message, ...(channelId === undefined ? {} : { channelId }) }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  };
  if (mediaServer) logger.info({ listen: mediaServer.address }, 'media server listening');
  // What does not publish comes second: the console and health checks (web/), and the account
  // checks, start after the first scheduling round (or 10 s, if the database is away), so a
  // restarted bot publishes what is due before it spends a second loading the web server.
  const webOffices = liveOfficeSummaries(() => served.offices());
  let firstRoundDone: () => void = () => undefined;
  const firstRound = new Promise<void>((resolve) => (firstRoundDone = resolve));
  const stopWaiting = new AbortController();
  const afterFirstRound = Promise.race([firstRound, clock.sleep(10_000, stopWaiting.signal)]);
  const web =
    options.web === false
      ? Promise.resolve(null)
      : afterFirstRound.then(async () => {
          if (stopWaiting.signal.aborted) return null;
          const { startWebServerBesideBot } = await import('../web/beside-bot');
          return startWebServerBesideBot({
            store,
            logger,
            clock,
            settings: resolveWebSettings((firstLoaded.fromFiles ?? firstLoaded).config.settings),
            offices: webOffices,
            source: { configDir: options.configDir, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) },
            scratchDir: path.join(options.dataDir, 'console'),
            env: options.env,
            metrics,
            // After SIGTERM the post in flight finishes before the web server closes: /readyz says `draining` meanwhile.
            readiness: { draining: () => options.signal.aborted },
          });
        });
  const aliveAfterRound = (now: Date): void => {
    alive?.(now);
    firstRoundDone();
  };
  try {
    await serveWith(store, firstLoaded, options, owner, channelDeps, alert, served, afterFirstRound, aliveAfterRound, botMetrics.publish);
  } finally {
    stopWaiting.abort();
    await (await web)?.close();
    await mediaServer?.close();
  }
}

/**
 * A loaded config with the on-disk content it was read from, what each office starts from
 * (files or a revision), and the config the files alone say (absent without files).
 */
type LoadedContent = Loaded & { content: ConfigContent; start: StartConfig; fromFiles?: Loaded };

const storedContent = (content: ConfigContent): StoredContent => ({
  hash: content.hash,
  files: content.files.map((f) => ({ file: f.file, modifiedAt: f.modifiedAt.toISOString() })),
});

/** Many offices at start: an office whose channels cannot be built is reported and skipped. */
function startRuntime(offices: Map<string, Loaded>, deps: ChannelDeps, logger: Logger): Runtime {
  const built = buildOfficesRuntime(offices, new Map(), deps, 1);
  for (const office of built.failed) logger.error({ office: office.id }, `office ${office.id} is not served: ${office.message}`);
  offices.clear();
  built.offices.forEach((loaded, id) => offices.set(id, loaded));
  if (!built.runtime) throw new AppError('config-invalid', built.failed.map((office) => `office ${office.id}: ${office.message}`).join('\n'));
  return built.runtime;
}

/** The offices the bot serves now and their channels, for the console and /metrics (serveWith sets them to read its running config). */
interface ServedOffices {
  offices: () => readonly OfficeConfig[];
  channels: () => readonly RunningChannel[];
}

/** The channels of the running config as /metrics labels them: the driver is the platform (`outbox`: a dry run). */
function runningChannels(runtime: Runtime): RunningChannel[] {
  return runtime.config.offices.flatMap((office) =>
    office.channels.map((config) => {
      const channel = runtime.channels.get(config.id);
      return { office: office.id, channel: config.id, platform: channel?.driver ?? config.driver, dailyCap: channel?.limits.dailyCap };
    }),
  );
}

async function serveWith(
  store: Store,
  firstLoaded: LoadedContent,
  options: BotOptions,
  owner: string,
  channelDeps: ChannelDeps,
  alert: AlertSink,
  served: ServedOffices,
  afterFirstRound: Promise<void>,
  alive: ((now: Date) => void) | undefined,
  observer: PublishObserver,
): Promise<void> {
  const { clock, logger } = options;
  /** No config files: every office runs its current revision, and files are never read. */
  const fromDatabase = firstLoaded.start.fromDatabase;
  /** Many offices (or run from the database): each office's last good config (null in the one-office layout). */
  let offices: Map<string, Loaded> | null = firstLoaded.start.offices ?? null;
  let runtime: Runtime = offices ? startRuntime(offices, channelDeps, logger) : buildRuntime(firstLoaded, channelDeps, 1);
  // Every swap of `runtime` (a reload, a followed revision) is what the console and /metrics show next.
  served.offices = () => runtime.config.offices;
  served.channels = () => runningChannels(runtime);
  /** The content the running plan was built from. */
  let running: ConfigContent = firstLoaded.content;
  /** The content last read, good or bad: a bad edit is reported once, not at every event. */
  let lastRead: string = firstLoaded.content.hash;
  /**
   * Many offices: the content last read, per office folder and shared. A reload
   * loads and re-plans only the offices whose files changed since (all of them
   * when a shared file did): a one-office edit must not re-plan the other 199.
   */
  let lastReadParts: Map<string, string> | null = offices && !fromDatabase ? contentByOffice(firstLoaded.content, options.configDir) : null;
  /** Many offices: each office's problems as its last load found them (errors when `broken`, else warnings). */
  const officeFindings = new Map<string, { broken: boolean; lines: string[] }>();
  // An office left out at start (its errors are in the log) is still broken until its files change.
  for (const id of lastReadParts?.keys() ?? []) {
    if (id !== SHARED_PART && offices && !offices.has(id)) officeFindings.set(id, { broken: true, lines: [`[${id}] not served since start: its config had errors (see the log at start)`] });
  }
  const contentDirs = (): string[] => [options.configDir, runtime.config.templatesDir];

  if (!options.databaseUrl) {
    // We hold the data-dir lock, so any claim still open belongs to a process
    // that died mid-call: its outcome is unclear right now, not after the lease.
    // The reconciler reads the account back before anything is sent again.
    for (const post of await releaseAllLeases(store, clock.now())) {
      postLogger(logger, post).warn('was being published when the previous run stopped: outcome unclear, reconciling');
    }
  }

  /** Re-plans every office served, or only `only` (many offices: the offices an edit touched). */
  const replan = async (reason: string, only?: readonly string[]): Promise<void> => {
    const config = only ? { ...runtime.config, offices: runtime.config.offices.filter((office) => only.includes(office.id)) } : runtime.config;
    // Many offices: only the offices planned have their posts cancelled or corrected.
    const result = await replanInto(store, config, clock.now(), only ? { offices: only } : offices ? { offices: [...offices.keys()] } : {});
    // The zone lets `status` show office time even while the config on disk cannot be read.
    const instance: InstanceStatus = { pid: process.pid, owner, heartbeatAt: clock.now().toISOString(), zone: runtime.config.offices[0]?.timezone ?? 'UTC' };
    await setRuntimeStatus(store, INSTANCE_STATUS_KEY, instance);
    logger.info({ reason, ...(only ? { offices: only } : {}), ...result, changedAfterPublish: result.changedAfterPublish?.length ?? 0 }, only ? `re-planned ${only.length} office(s): ${only.join(', ')}` : 're-planned');
  };
  const revisions = createFileRevisionRecorder(store, { configDir: options.configDir, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}), logger });
  // An office that runs its files is recorded from the revision that was current when that was decided:
  // had another instance recorded different files meanwhile, this recording is refused, not written over it.
  for (const [officeId, currentId] of firstLoaded.start.filesParents) revisions.seed(officeId, { filesHash: '', filesRevisionId: currentId, running: currentId });
  for (const { revision, files } of [...firstLoaded.start.fromRevisions, ...firstLoaded.start.unloadable]) {
    if (files) revisions.seed(revision.officeId, { filesHash: files.hash, filesRevisionId: files.revisionId, running: revision.id });
    else revisions.follow(revision.officeId, revision.id, revision.contentHash);
  }
  /** The revisions each office runs, for `status` (absent before any is known). */
  const revisionsRunning = (): Pick<ConfigStatus, 'revisions'> => {
    const all = revisions.runningAll();
    return Object.keys(all).length > 0 ? { revisions: all } : {};
  };
  const okStatus = (problems: string[]): ConfigStatus => ({ ok: true, loadedAt: clock.now().toISOString(), problems, content: storedContent(running), ...revisionsRunning() });
  /** Many offices: the status from each office's findings; any broken office makes it not ok. */
  const officesStatus = (rejectedHash: string): ConfigStatus => {
    const findings = [...officeFindings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, finding]) => ({ id, ...finding }));
    const broken = findings.filter((finding) => finding.broken);
    if (broken.length === 0) return okStatus(findings.flatMap((f) => f.lines));
    return { ok: false, checkedAt: clock.now().toISOString(), problems: broken.flatMap((f) => f.lines), content: storedContent(running), rejectedHash, brokenOffices: broken.map((f) => f.id), ...revisionsRunning() };
  };
  const started = await retryWhileUnreachable(
    async () => {
      await setRuntimeStatus(store, CONFIG_STATUS_KEY, okStatus([]));
      await replan('start');
      return true;
    },
    { what: store.label, clock, logger, signal: options.signal },
  );
  if (!started) {
    await alert.close();
    return;
  }
  /**
   * The re-plan of each revision runs once for the cluster (job_runs): of the offices whose
   * files were just recorded as (or found equal to) their current revision, claims that
   * revision's re-plan for this instance, and returns the offices another instance has
   * already claimed — the same content, re-planned there (two instances reading one shared
   * config directory, or one that followed this revision first).
   */
  const claimRevisionReplans = async (recorded: ReadonlyMap<string, FileRecordOutcome>): Promise<Set<string>> => {
    const elsewhere = new Set<string>();
    for (const [officeId, outcome] of recorded) {
      const revisionId = revisions.runningRevision(officeId);
      if ((outcome !== 'current' && outcome !== 'unchanged') || revisionId == null) continue;
      const run = { job: REVISION_REPLAN_JOB, periodKey: revisionReplanKey(officeId, revisionId), owner };
      try {
        if (await claimJobRun(store, run, clock.now())) await finishJobRun(store, run, clock.now());
        else elsewhere.add(officeId);
      } catch (error) {
        logger.warn({ err: error, office: officeId }, 'could not claim the re-plan of the revision; re-planning here');
      }
    }
    return elsewhere;
  };
  // At start every office was re-planned above: the revisions this instance runs count as re-planned.
  const atStart = fromDatabase ? new Map<string, FileRecordOutcome>() : await revisions.record('loaded at start', clock.now());
  /**
   * Offices planned at start from files another instance's revision replaced meanwhile (instances
   * starting together): when this instance follows that revision it re-plans them itself, even
   * though the revision's re-plan was claimed elsewhere (before this start plan overwrote it).
   */
  const plannedStale = new Set([...atStart].filter(([, outcome]) => outcome === 'refused').map(([officeId]) => officeId));
  for (const { revision } of firstLoaded.start.fromRevisions) atStart.set(revision.officeId, 'current');
  await claimRevisionReplans(atStart);
  // Now with the revisions recorded from the files.
  await setRuntimeStatus(store, CONFIG_STATUS_KEY, okStatus([])).catch((error: unknown) => logger.warn({ err: error }, 'could not record the config status'));

  let wake = new AbortController();
  /**
   * Re-reads the files; reloads and re-plans only when their content changed
   * since the last read. Returns whether it re-planned.
   */
  const reloadIfChanged = async (reason: string): Promise<boolean> => {
    if (fromDatabase) return false;
    const content = readConfigContent(contentDirs());
    if (content.hash === lastRead) return false;
    const parts = contentByOffice(content, options.configDir);
    // Many offices before and now, shared files unchanged: load only the offices whose folders changed.
    const changed = offices && lastReadParts ? changedOffices(lastReadParts, parts) : ({ all: true } as const);
    const deployment = loadDeployment(options.configDir, {
      now: clock.now(),
      ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
      ...(changed.all ? {} : { only: changed.ids }),
    });
    // Only now: had the load thrown (an I/O error), the next event or period tries again.
    lastRead = content.hash;
    // Good or bad, each changed office is on record (a bad one never becomes current).
    const recorded = await revisions.record(reason, clock.now());
    const replannedElsewhere = await claimRevisionReplans(recorded);
    lastReadParts = deployment.many ? parts : null;
    const reject = async (lines: string[]): Promise<false> => {
      const status: ConfigStatus = { ok: false, checkedAt: clock.now().toISOString(), problems: lines, content: storedContent(running), rejectedHash: content.hash, ...revisionsRunning() };
      await setRuntimeStatus(store, CONFIG_STATUS_KEY, status);
      alert({ kind: 'config-invalid', message: `the config edit has ${lines.length} problem(s); the last good schedule keeps running until they are fixed:\n${lines.join('\n')}` });
      return false;
    };
    if (deployment.many) return reloadOffices(deployment, content, reject, changed.all ? null : changed.ids);
    offices = null;
    const outcome = deployment.offices[0]!;
    if (!outcome.loaded) return reject(outcome.problems.map((p) => formatProblem(p, process.cwd())));
    if (recorded.get(outcome.id) === 'refused') {
      // Another writer's revision is current: the files on disk are out of date, and running them would undo it.
      return reject([`office ${outcome.id}: the files were edited from an older revision than the current one; the current revision keeps running (\`quota-herald config log\`, \`config export DIR\`)`]);
    }
    if (recorded.get(outcome.id) === 'merged') {
      // Merged with another writer's newer revision: run the merge (now current), not the files that lack the other change.
      await followCurrent();
      return true;
    }
    let next: Runtime;
    try {
      next = buildRuntime(outcome.loaded, channelDeps, runtime.generation + 1);
    } catch (error) {
      // A channel that cannot be built (a credential variable not set): the old channels keep running.
      if (error instanceof AppError) return reject([error.message]);
      throw error;
    }
    runtime = next;
    running = content;
    await setRuntimeStatus(store, CONFIG_STATUS_KEY, okStatus(outcome.problems.map((p) => formatProblem(p, process.cwd()))));
    if (replannedElsewhere.has(outcome.id)) {
      logger.info({ reason, office: outcome.id }, `config changed to revision ${revisions.runningRevision(outcome.id)}, which another instance re-planned`);
    } else {
      await resetRendered(store, clock.now());
      await replan(reason);
    }
    wake.abort();
    return true;

    /**
     * Many offices: every office that loads is swapped in; one that does not
     * keeps its last good config and plan (and is reported); the shared files
     * broken keep everything as it was.
     */
    async function reloadOffices(loadedNow: DeploymentOutcome, read: ConfigContent, rejectAll: (lines: string[]) => Promise<false>, only: string[] | null): Promise<boolean> {
      const previous = offices ?? new Map<string, Loaded>();
      const update = updateOfficeSet(previous, loadedNow);
      if (update.sharedErrors.length > 0) return rejectAll(update.sharedErrors.map((p) => formatProblem(p, process.cwd())));
      // Files edited from an out-of-date revision (another writer's is current): running them would undo it.
      const refused = loadedNow.offices.filter((office) => recorded.get(office.id) === 'refused').map((office) => office.id);
      for (const id of refused) {
        const kept = previous.get(id);
        if (kept) update.offices.set(id, kept);
        else update.offices.delete(id);
        update.broken = update.broken.filter((office) => office.id !== id);
      }
      // Only some offices were loaded: the others keep the config they run (an office
      // in `only` whose folder is gone is dropped, as a full reload would drop it).
      if (only) update.offices = keepUnchanged(previous, update.offices, only);
      const freshest = loadedNow.offices.find((office) => office.loaded)?.loaded ?? undefined;
      const built = buildOfficesRuntime(update.offices, offices ?? new Map(), channelDeps, runtime.generation + 1, freshest);
      const lines = [
        ...update.broken.flatMap((office) => office.problems.map((p) => `[${office.id}] ${formatProblem(p, process.cwd())}`)),
        ...built.failed.map((office) => `[${office.id}] ${office.message}`),
      ];
      if (!built.runtime) return rejectAll(lines);
      const brokenIds = [...new Set([...update.broken.map((office) => office.id), ...built.failed.map((office) => office.id)])];
      for (const id of brokenIds) {
        const officeLines = lines.filter((line) => line.startsWith(`[${id}] `));
        const kept = built.offices.has(id) ? 'its last good schedule keeps running' : 'it is not served';
        alert({ kind: 'config-invalid', officeId: id, message: `office ${id}: the config edit has ${officeLines.length} problem(s); ${kept} until they are fixed; the other offices are re-planned:\n${officeLines.join('\n')}` });
      }
      offices = built.offices;
      runtime = built.runtime;
      running = read;
      // Per office, what this load found; an office not loaded this time keeps what its last load found.
      if (!only) officeFindings.clear();
      only?.forEach((id) => officeFindings.delete(id));
      for (const office of loadedNow.offices) {
        const officeLines = office.loaded ? office.problems.map((p) => `[${office.id}] ${formatProblem(p, process.cwd())}`) : [];
        officeFindings.set(office.id, { broken: false, lines: officeLines });
      }
      for (const id of refused) {
        officeFindings.set(id, { broken: false, lines: [`[${id}] the files were edited from an older revision than the current one; revision ${revisions.runningRevision(id) ?? '?'} keeps running (\`quota-herald config export DIR --office ${id}\`)`] });
      }
      for (const id of brokenIds) officeFindings.set(id, { broken: true, lines: lines.filter((line) => line.startsWith(`[${id}] `)) });
      const status = officesStatus(read.hash);
      // Only the offices that changed and are served: a broken one keeps its last good plan as it is,
      // an out-of-date one the revision it runs, and one another instance re-planned for this revision is done.
      const skipped = (id: string): boolean => brokenIds.includes(id) || refused.includes(id) || replannedElsewhere.has(id);
      const partial = only !== null || refused.length > 0 || replannedElsewhere.size > 0;
      const replanned = partial ? (only ?? [...built.offices.keys()]).filter((id) => built.offices.has(id) && !skipped(id)) : null;
      await setRuntimeStatus(store, CONFIG_STATUS_KEY, replanned ? { ...status, replannedOffices: replanned } : status);
      if (replanned && replanned.length === 0) {
        logger.info({ reason }, 'config changed, but no office to re-plan');
      } else {
        // Cards may show the edited facts or templates: render again, but only the re-planned offices' cards.
        await resetRendered(store, clock.now(), replanned ?? undefined);
        await replan(reason, replanned ?? undefined);
      }
      wake.abort();
      return true;
    }
  };

  // Reloads and cron re-plans run one at a time, never overlapping a tick's writes badly:
  // the ledger is transactional, and this chain keeps their own order. Nothing
  // that waits on a platform belongs on it (account checks run beside it).
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<unknown>): void => {
    chain = chain.then(job).then(
      () => undefined,
      (error: unknown) => logger.error({ err: error }, 'background job failed'),
    );
  };

  /** Re-plans, once for the cluster, the offices that now run `followed`: each revision's re-plan goes to the first instance to claim it. */
  const replanRevisions = async (followed: readonly ConfigRevision[]): Promise<string[]> => {
    const mine: { run: { job: string; periodKey: string; owner: string } | null; officeId: string }[] = [];
    for (const revision of followed) {
      const run = { job: REVISION_REPLAN_JOB, periodKey: revisionReplanKey(revision.officeId, revision.id), owner };
      if (await claimJobRun(store, run, clock.now())) mine.push({ run, officeId: revision.officeId });
      else if (plannedStale.delete(revision.officeId)) mine.push({ run: null, officeId: revision.officeId });
      else logger.debug({ office: revision.officeId, revision: revision.id }, 'revision re-plan: another instance runs it');
    }
    if (mine.length === 0) return [];
    const ids = mine.map((each) => each.officeId);
    const only = offices ? ids : undefined;
    // Cards may show what the revision changed: render again, only the re-planned offices' cards.
    await resetRendered(store, clock.now(), only);
    await replan(`config revision ${followed.map((revision) => `${revision.officeId}@${revision.id}`).join(', ')}`, only);
    for (const { run } of mine) if (run) await finishJobRun(store, run, clock.now());
    return ids;
  };

  /**
   * A newer current revision made elsewhere (an import, a revert, another instance's
   * files, next the console): each office it concerns switches to it, and is re-planned
   * once for the cluster. The offices followed: the one of the one-office layout; with
   * many offices, those whose folders this instance reads; run from the database, every
   * office with a current revision (an office imported meanwhile starts being served).
   */
  const followCurrent = async (): Promise<void> => {
    const follows = (officeId: string): boolean => (fromDatabase ? true : offices ? (lastReadParts?.has(officeId) ?? false) && officeId !== SHARED_PART : officeId === runtime.config.offices[0]?.id);
    // From files, an office with no revision on record is one whose recording failed: how its files relate
    // to the current revision is unknown, and running the revision could undo a newer edit (the next reload records it).
    const known = (officeId: string): boolean => fromDatabase || revisions.runningRevision(officeId) !== undefined;
    const changed = [...(await listCurrentIds(store))].filter(([officeId, revisionId]) => follows(officeId) && known(officeId) && revisionId !== revisions.runningRevision(officeId));
    const switched = new Map<string, { loaded: Loaded; revision: ConfigRevision; warnings: string[] }>();
    for (const [officeId, revisionId] of changed) {
      const revision = await getRevision(store, revisionId);
      if (!revision) continue;
      // Followed even when it cannot run here: tried once, not at every poll.
      revisions.follow(officeId, revision.id, revision.contentHash);
      const outcome = loadRevision(revision, { dataDir: options.dataDir, configDir: options.configDir, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}), now: clock.now() });
      if (!outcome.loaded) {
        const lines = outcome.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p));
        logger.error({ office: officeId, revision: revision.id }, `config revision ${revision.id} of office ${officeId} is current but does not load here; ${offices?.has(officeId) === false ? 'the office is not served' : 'the last good config keeps running'}:\n${lines.join('\n')}`);
        continue;
      }
      switched.set(officeId, { loaded: outcome.loaded, revision, warnings: outcome.problems.map((p) => `[${officeId}] ${formatProblem(p)}`) });
    }
    if (switched.size === 0) return;
    const cannotRun = (revision: ConfigRevision, why: string, kept: boolean): void =>
      logger.error({ office: revision.officeId, revision: revision.id }, `config revision ${revision.id} of office ${revision.officeId} cannot run here (${why}); ${kept ? 'the last good config keeps running' : 'the office is not served'}`);
    if (!offices) {
      const { loaded, revision } = [...switched.values()][0]!;
      try {
        runtime = buildRuntime(loaded, channelDeps, runtime.generation + 1);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        cannotRun(revision, error.message, true);
        return;
      }
      logger.info({ office: revision.officeId, revision: revision.id, author: revision.author }, `now running config revision ${revision.id} of office ${revision.officeId} (by ${revision.author})`);
      await replanRevisions([revision]);
      await setRuntimeStatus(store, CONFIG_STATUS_KEY, okStatus(switched.get(revision.officeId)!.warnings));
      wake.abort();
      return;
    }
    // Many offices: only the switched offices are loaded and re-planned; the others keep running as they are.
    const previous = offices;
    const loadedNow = new Map([...switched].map(([id, each]) => [id, each.loaded] as const));
    const built = buildOfficesRuntime(keepUnchanged(previous, loadedNow, [...switched.keys()]), previous, channelDeps, runtime.generation + 1, [...loadedNow.values()].at(-1));
    for (const failed of built.failed) {
      const revision = switched.get(failed.id)?.revision;
      if (revision) cannotRun(revision, failed.message, failed.keptLastGood);
      else logger.error({ office: failed.id }, `office ${failed.id} ${failed.keptLastGood ? 'keeps its last good config' : 'is not served'}: ${failed.message}`);
    }
    if (!built.runtime) return;
    offices = built.offices;
    runtime = built.runtime;
    const followed = [...switched.values()].filter((each) => built.offices.get(each.revision.officeId) === each.loaded);
    for (const { revision, warnings } of followed) {
      logger.info({ office: revision.officeId, revision: revision.id, author: revision.author }, `now running config revision ${revision.id} of office ${revision.officeId} (by ${revision.author})`);
      officeFindings.set(revision.officeId, { broken: false, lines: warnings });
    }
    const replanned = await replanRevisions(followed.map((each) => each.revision));
    await setRuntimeStatus(store, CONFIG_STATUS_KEY, { ...officesStatus(running.hash), ...(replanned.length > 0 ? { replannedOffices: replanned } : {}) });
    wake.abort();
  };
  /** Polls and notices ask for a look at the current revisions; asks while one is queued are the same ask. */
  let followQueued = false;
  const requestFollow = (): void => {
    if (followQueued) return;
    followQueued = true;
    enqueue(async () => {
      followQueued = false;
      try {
        await followCurrent();
      } catch (error) {
        if (!isDatabaseUnreachable(error)) throw error;
        // The outage is reported by the schedule loop; the next poll or notice looks again.
        logger.debug({ err: error }, 'could not look for a new config revision: the database is unreachable');
      }
    });
  };
  const followTimer = setInterval(requestFollow, options.followIntervalMs ?? FOLLOW_INTERVAL_MS);
  if (plannedStale.size > 0) requestFollow();
  // PostgreSQL: a NOTIFY at each new current revision makes the switch immediate; polling stays as the fallback.
  const stopListening = new AbortController();
  const listening = listenForRevisions({
    store,
    clock,
    logger,
    signal: stopListening.signal,
    onNotice: (notice) => {
      if (notice) logger.debug({ office: notice.officeId, revision: notice.revisionId }, 'config revision notice');
      requestFollow();
    },
  });

  const watcher =
    options.watch === false
      ? null
      : fromDatabase
        ? null
        : watchConfig(contentDirs(), () => enqueue(() => reloadIfChanged('config changed')), { logger, ...(options.watchDebounceMs === undefined ? {} : { debounceMs: options.watchDebounceMs }) });
  const firstOffice = runtime.config.offices[0];
  // The safety net: a lost file event is caught here, within one period.
  const replanTask = startCronTimer(runtime.config.settings.replanCron, firstOffice?.timezone ?? 'UTC', (scheduledAt) =>
    enqueue(async () => {
      // Each instance re-reads its own files; the periodic re-plan itself runs once per period across the cluster.
      if (await reloadIfChanged('config changed (found by the periodic re-read)')) return;
      const period = occurrenceKey(scheduledAt);
      const ran = await runOncePerPeriod(store, { job: 'replan', periodKey: period, owner }, () => clock.now(), async () => {
        // The kill test counts these lines: one per period across the cluster.
        logger.info({ job: 'replan', period }, 'periodic re-plan: this instance runs it');
        await replan('periodic');
      });
      if (!ran) logger.debug('periodic re-plan: another instance runs it this period');
    }),
  );

  // Tokens expire and get revoked: check the accounts at start (after the first scheduling
  // round: a check never holds up a due post) and four times a day, beside the chain (a
  // silent platform must not hold up reloads), one check at a time.
  const stopChecks = new AbortController();
  let accountCheck: Promise<void> | null = null;
  const checkAccounts = (): void => {
    if (accountCheck) {
      logger.warn('the previous account check is still running; skipping this one');
      return;
    }
    accountCheck = verifyAccounts(runtime.channels, {
      store,
      clock,
      logger,
      alert,
      signal: stopChecks.signal,
      ...(options.accountCheckTimeoutMs === undefined ? {} : { timeoutMs: options.accountCheckTimeoutMs }),
    })
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error }, 'account check failed'),
      )
      .finally(() => {
        accountCheck = null;
      });
  };
  void afterFirstRound.then(() => {
    if (!stopChecks.signal.aborted) checkAccounts();
  });
  // At start every instance checks (it proves its own credentials); after that once per period for the cluster.
  const accountTask = startCronTimer(ACCOUNT_CHECK_CRON, firstOffice?.timezone ?? 'UTC', (scheduledAt) => {
    claimJobRun(store, { job: 'account-check', periodKey: occurrenceKey(scheduledAt), owner }, clock.now()).then(
      (mine) => (mine ? checkAccounts() : logger.debug('account check: another instance runs it this period')),
      (error: unknown) => logger.error({ err: error }, 'could not coordinate the account check'),
    );
  });

  // Expired sessions, old failed sign-ins and audit entries: hourly, once for the cluster (with or without this instance's web server).
  const cleanup = startConsoleCleanup({
    store,
    clock,
    logger,
    owner,
    zone: firstOffice?.timezone ?? 'UTC',
    retention: consoleRetention(resolveWebSettings((firstLoaded.fromFiles ?? firstLoaded).config.settings)),
    ...(options.consoleCleanupCron === undefined ? {} : { cron: options.consoleCleanupCron }),
  });

  // Until chokidar's first scan is done an edit may go unseen: read once more after it. Not
  // waited for: the scan of the config and template folders runs while the loop publishes.
  void watcher?.ready.then(() => {
    if (!options.signal.aborted) enqueue(() => reloadIfChanged('config changed while starting'));
  });

  // Heartbeats are for several instances on one PostgreSQL. SQLite is one process per data
  // directory (the lock above), and start-up already released every claim a dead one held:
  // beating there would only wake an idle bot (and fsync) every few seconds.
  const instance = { id: owner, pid: process.pid, host: os.hostname() };
  const stopHeartbeat = new AbortController();
  let heartbeat: Promise<void> = Promise.resolve();
  if (store.dialect === 'postgres') {
    await registerInstance(store, instance, clock.now()).catch((error: unknown) => logger.warn({ err: error }, 'could not register this instance; the heartbeat tries again'));
    heartbeat = runHeartbeat({ store, clock, logger, instance, leaseMs: LEASE_MS, signal: stopHeartbeat.signal, onReleased: () => wake.abort() });
  }
  const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner, mediaRoot: options.dataDir, alert, leaseMs: LEASE_MS, observer });
  logger.info({ configDir: options.configDir, dataDir: options.dataDir, channels: [...runtime.channels.keys()] }, 'quota-herald running');
  try {
    await runScheduleLoop({
      scheduler,
      clock,
      logger,
      signal: options.signal,
      maxChunkMs: 30_000,
      databaseLabel: store.label,
      renderAheadMs: () => runtime.config.settings.renderAheadMinutes * 60_000,
      ...(alive ? { alive } : {}),
      wakeSignal: () => {
        if (wake.signal.aborted) wake = new AbortController();
        return wake.signal;
      },
    });
  } finally {
    stopHeartbeat.abort();
    await heartbeat;
    if (store.dialect === 'postgres') await unregisterInstance(store, owner).catch(() => undefined);
    replanTask.stop();
    accountTask.stop();
    await cleanup.stop();
    clearInterval(followTimer);
    stopListening.abort();
    await listening;
    await watcher?.close();
    stopChecks.abort();
    await accountCheck;
    await chain;
    await alert.close();
    logger.info('quota-herald stopped');
  }
}

/** `loaded` (the offices in `only`, freshly loaded) over `previous` (every other office, as it runs), sorted by id. */
function keepUnchanged(previous: ReadonlyMap<string, Loaded>, loaded: ReadonlyMap<string, Loaded>, only: readonly string[]): Map<string, Loaded> {
  const merged = new Map([...previous].filter(([id]) => !only.includes(id)));
  loaded.forEach((office, id) => merged.set(id, office));
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
