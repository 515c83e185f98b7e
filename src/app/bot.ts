/**
 * The long-running bot (`run`): the composition root for live publishing.
 * It owns the only real timers: the schedule loop, the cron timers (croner,
 * the same reading of cron as the planner's) for the periodic re-plan and
 * account checks, and the config watcher.
 */
import os from 'node:os';
import { createCardReader } from '../channels/card-bytes';
import type { ChannelDeps } from '../channels/channel';
import type { Clock } from '../clock';
import { resolveTemplatesDir } from '../config/load';
import { AppError, ConfigError, formatProblem, type Problem } from '../errors';
import type { Logger } from '../logger';
import { createScheduler, type Runtime } from '../schedule/scheduler';
import { runScheduleLoop } from '../schedule/run-loop';
import { formatStaffTime } from '../render/helpers/staff-time';
import { startMediaServer, type MediaServer } from '../media-server/media-server';
import { acquireDataDirLock } from '../store/lock';
import { openStore, type Store } from '../store/open';
import { describeDatabaseUrl, retryWhileUnreachable } from '../store/outage';
import { registerInstance, unregisterInstance } from '../store/instances';
import { claimJobRun, finishJobRun, occurrenceKey, runOncePerPeriod } from '../store/job-runs';
import { runHeartbeat } from './instance-heartbeat';
import { releaseAllLeases, resetRendered } from '../store/ledger';
import { setRuntimeStatus } from '../store/runtime-status';
import { startCronTimer } from '../plan/cron';
import { verifyAccounts } from './account-watch';
import { createConfiguredAlertSink, type AlertSink } from './alert-sink';
import { watchConfig } from './config-watcher';
import { createFileRevisionRecorder, type FileRecordOutcome } from './file-revisions';
import { FOLLOW_INTERVAL_MS, loadRevision, REVISION_REPLAN_JOB, revisionReplanKey } from './follow-revisions';
import { getCurrentRevision } from '../store/config-revisions';
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
}

/**
 * What `status` shows under `config`: the last load, and the content the running plan was built from.
 * `replannedOffices` (many offices): the offices the last reload re-planned, when it was not all of them.
 */
export type ConfigStatus =
  | { ok: true; loadedAt: string; problems: string[]; content: StoredContent; replannedOffices?: string[] }
  | { ok: false; checkedAt: string; problems: string[]; content: StoredContent; rejectedHash: string; brokenOffices?: string[]; replannedOffices?: string[] };

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
  // Hashed BEFORE loading: an edit racing the load shows up as a different hash next time.
  const firstContent = readConfigContent([options.configDir, resolveTemplatesDir(options.configDir, options.templatesDir)]);
  const deployment = loadDeployment(options.configDir, { now: clock.now(), ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
  const first: { loaded: Loaded | null; problems: Problem[]; offices?: Map<string, Loaded> } = deployment.many ? startOffices(deployment, logger) : deployment.offices[0]!;
  first.problems.filter((p) => p.severity === 'warning').forEach((p) => logger.warn(formatProblem(p, process.cwd())));
  if (!first.loaded) throw new ConfigError(first.problems);

  // One process per SQLite data directory; Postgres instances coordinate through claims instead.
  const zone = first.loaded.config.offices[0]?.timezone ?? 'UTC';
  const lock = options.databaseUrl
    ? null
    : acquireDataDirLock(options.dataDir, { pid: process.pid, command: 'run', showTime: (instant) => formatStaffTime(instant, zone, clock.now()) });
  let store: Store | null = null;
  try {
    // A database that is down at start (PostgreSQL restarting, the network not up yet)
    // is waited for with backoff: the bot never exits for it.
    const storeOptions = options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir };
    store = await retryWhileUnreachable(() => openStore(storeOptions), {
      what: options.databaseUrl ? describeDatabaseUrl(options.databaseUrl) : 'the SQLite ledger',
      clock,
      logger,
      signal: options.signal,
    });
    if (!store) return; // stopped while waiting
    await serve(store, { ...first.loaded, content: firstContent, ...(first.offices ? { offices: first.offices } : {}) }, options);
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

async function serve(store: Store, firstLoaded: LoadedContent, options: BotOptions): Promise<void> {
  const { clock, logger } = options;
  const owner = `${process.pid}@${clock.now().getTime().toString(36)}`;
  // Refreshed tokens: in the database, sealed, one refresh for every instance (a malformed key stops the start here).
  const tokenVault = createTokenVault({ store, env: options.env, dataDir: options.dataDir, owner, logger });
  // Instagram fetches images from us: the media server runs for the bot's whole life.
  // (A changed mediaServer setting needs a restart; the address is not hot-swapped.)
  const mediaSettings = firstLoaded.config.settings.mediaServer;
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
  const alert = createConfiguredAlertSink({
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
    alert: (kind, message) => alert({ kind, message }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  };
  if (mediaServer) logger.info({ listen: mediaServer.address }, 'media server listening');
  try {
    await serveWith(store, firstLoaded, options, owner, channelDeps, alert);
  } finally {
    await mediaServer?.close();
  }
}

/** A loaded config with the on-disk content it was read from (and, for many offices, each office's). */
type LoadedContent = Loaded & { content: ConfigContent; offices?: Map<string, Loaded> };

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

async function serveWith(store: Store, firstLoaded: LoadedContent, options: BotOptions, owner: string, channelDeps: ChannelDeps, alert: AlertSink): Promise<void> {
  const { clock, logger } = options;
  /** Many offices: each office's last good config (null in the one-office layout). */
  let offices: Map<string, Loaded> | null = firstLoaded.offices ?? null;
  let runtime: Runtime = offices ? startRuntime(offices, channelDeps, logger) : buildRuntime(firstLoaded, channelDeps, 1);
  /** The content the running plan was built from. */
  let running: ConfigContent = firstLoaded.content;
  /** The content last read, good or bad: a bad edit is reported once, not at every event. */
  let lastRead: string = firstLoaded.content.hash;
  /**
   * Many offices: the content last read, per office folder and shared. A reload
   * loads and re-plans only the offices whose files changed since (all of them
   * when a shared file did): a one-office edit must not re-plan the other 199.
   */
  let lastReadParts: Map<string, string> | null = offices ? contentByOffice(firstLoaded.content, options.configDir) : null;
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
      logger.warn({ postId: post.id, channel: post.channelId }, 'was being published when the previous run stopped: outcome unclear, reconciling');
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
  const okStatus = (problems: string[]): ConfigStatus => ({ ok: true, loadedAt: clock.now().toISOString(), problems, content: storedContent(running) });
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
  const revisions = createFileRevisionRecorder(store, { configDir: options.configDir, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}), logger });
  /** This instance re-planned for the revisions it recorded: the others following them need not. */
  const markRevisionsPlanned = async (recorded: Map<string, FileRecordOutcome>): Promise<void> => {
    for (const [officeId, outcome] of recorded) {
      const revisionId = revisions.runningRevision(officeId);
      if (outcome !== 'current' || revisionId == null) continue;
      const run = { job: REVISION_REPLAN_JOB, periodKey: revisionReplanKey(officeId, revisionId), owner };
      await claimJobRun(store, run, clock.now()).then(() => finishJobRun(store, run, clock.now()), (error: unknown) => logger.warn({ err: error }, 'could not mark the revision re-planned'));
    }
  };
  await markRevisionsPlanned(await revisions.record('loaded at start', clock.now()));

  let wake = new AbortController();
  /**
   * Re-reads the files; reloads and re-plans only when their content changed
   * since the last read. Returns whether it re-planned.
   */
  const reloadIfChanged = async (reason: string): Promise<boolean> => {
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
    await markRevisionsPlanned(recorded);
    lastReadParts = deployment.many ? parts : null;
    const reject = async (lines: string[]): Promise<false> => {
      const status: ConfigStatus = { ok: false, checkedAt: clock.now().toISOString(), problems: lines, content: storedContent(running), rejectedHash: content.hash };
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
    await resetRendered(store, clock.now());
    await replan(reason);
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
      for (const id of brokenIds) officeFindings.set(id, { broken: true, lines: lines.filter((line) => line.startsWith(`[${id}] `)) });
      const findings = [...officeFindings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, finding]) => ({ id, ...finding }));
      const broken = findings.filter((finding) => finding.broken);
      const status: ConfigStatus = broken.length > 0
        ? { ok: false, checkedAt: clock.now().toISOString(), problems: broken.flatMap((f) => f.lines), content: storedContent(running), rejectedHash: read.hash, brokenOffices: broken.map((f) => f.id) }
        : okStatus(findings.flatMap((f) => f.lines));
      // Only the offices that changed and are served: a broken one keeps its last good plan as it is.
      const replanned = only ? only.filter((id) => built.offices.has(id) && !brokenIds.includes(id)) : null;
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

  /**
   * A newer current revision made elsewhere (an import, a revert, another instance):
   * run it, and re-plan once for the cluster. One office only for now: with many
   * offices each instance keeps following its own files.
   */
  const followCurrent = async (): Promise<void> => {
    if (offices) return;
    const officeId = runtime.config.offices[0]?.id;
    if (!officeId) return;
    const current = await getCurrentRevision(store, officeId);
    if (!current || current.id === revisions.runningRevision(officeId)) return;
    revisions.follow(officeId, current.id, current.contentHash);
    const outcome = loadRevision(current, { dataDir: options.dataDir, configDir: options.configDir, ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}), now: clock.now() });
    if (!outcome.loaded) {
      logger.error({ office: officeId, revision: current.id }, `config revision ${current.id} is current but does not load here; the last good config keeps running:\n${outcome.problems.map((p) => formatProblem(p)).join('\n')}`);
      return;
    }
    try {
      runtime = buildRuntime(outcome.loaded, channelDeps, runtime.generation + 1);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      logger.error({ office: officeId, revision: current.id }, `config revision ${current.id} cannot run here (${error.message}); the last good config keeps running`);
      return;
    }
    logger.info({ office: officeId, revision: current.id, author: current.author }, `now running config revision ${current.id} of office ${officeId} (by ${current.author})`);
    const run = { job: REVISION_REPLAN_JOB, periodKey: revisionReplanKey(officeId, current.id), owner };
    const ran = await runOncePerPeriod(store, run, () => clock.now(), async () => {
      await resetRendered(store, clock.now());
      await replan(`config revision ${current.id}`);
    });
    if (!ran) logger.debug({ revision: current.id }, 'revision re-plan: another instance runs it');
    wake.abort();
  };
  const followTimer = setInterval(() => enqueue(followCurrent), FOLLOW_INTERVAL_MS);

  const watcher =
    options.watch === false
      ? null
      : watchConfig(contentDirs(), () => enqueue(() => reloadIfChanged('config changed')), { logger, ...(options.watchDebounceMs === undefined ? {} : { debounceMs: options.watchDebounceMs }) });
  const firstOffice = runtime.config.offices[0];
  // The safety net: a lost file event is caught here, within one period.
  const replanTask = startCronTimer(runtime.config.settings.replanCron, firstOffice?.timezone ?? 'UTC', (scheduledAt) =>
    enqueue(async () => {
      // Each instance re-reads its own files; the periodic re-plan itself runs once per period across the cluster.
      if (await reloadIfChanged('config changed (found by the periodic re-read)')) return;
      const ran = await runOncePerPeriod(store, { job: 'replan', periodKey: occurrenceKey(scheduledAt), owner }, () => clock.now(), () => replan('periodic'));
      if (!ran) logger.debug('periodic re-plan: another instance runs it this period');
    }),
  );

  // Tokens expire and get revoked: check the accounts at start and four times a
  // day, beside the chain (a silent platform must not hold up reloads), one check at a time.
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
  checkAccounts();
  // At start every instance checks (it proves its own credentials); after that once per period for the cluster.
  const accountTask = startCronTimer(ACCOUNT_CHECK_CRON, firstOffice?.timezone ?? 'UTC', (scheduledAt) => {
    claimJobRun(store, { job: 'account-check', periodKey: occurrenceKey(scheduledAt), owner }, clock.now()).then(
      (mine) => (mine ? checkAccounts() : logger.debug('account check: another instance runs it this period')),
      (error: unknown) => logger.error({ err: error }, 'could not coordinate the account check'),
    );
  });

  if (watcher) {
    // Until chokidar's first scan is done an edit may go unseen: read once more after it.
    await watcher.ready;
    enqueue(() => reloadIfChanged('config changed while starting'));
  }

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
  const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner, mediaRoot: options.dataDir, alert, leaseMs: LEASE_MS });
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
    clearInterval(followTimer);
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
