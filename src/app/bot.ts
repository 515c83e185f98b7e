/**
 * The long-running bot (`run`): the composition root for live publishing.
 * It owns the only real timers: the schedule loop, the cron timers (croner,
 * the same reading of cron as the planner's) for the periodic re-plan and
 * account checks, and the config watcher.
 */
import type { ChannelDeps } from '../channels/channel';
import type { Clock } from '../clock';
import { ConfigError, formatProblem } from '../errors';
import type { Logger } from '../logger';
import { createScheduler, type Runtime } from '../schedule/scheduler';
import { runScheduleLoop } from '../schedule/run-loop';
import { startMediaServer, type MediaServer } from '../media-server/media-server';
import { acquireDataDirLock } from '../store/lock';
import { openStore, type Store } from '../store/open';
import { releaseAllLeases, resetRendered } from '../store/ledger';
import { setRuntimeStatus } from '../store/runtime-status';
import { startCronTimer } from '../plan/cron';
import { verifyAccounts } from './account-watch';
import { createConfiguredAlertSink, type AlertSink } from './alert-sink';
import { watchConfig } from './config-watcher';
import { loadAll, type Loaded } from './load-all';
import { replanInto } from './replan';
import { buildRuntime } from './runtime';

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
}

export const CONFIG_STATUS_KEY = 'config';
const ACCOUNT_CHECK_CRON = '17 */6 * * *';
export const INSTANCE_STATUS_KEY = 'instance';

export async function runBot(options: BotOptions): Promise<void> {
  const { clock, logger } = options;
  const first = loadAll(options.configDir, { now: clock.now(), ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
  first.problems.filter((p) => p.severity === 'warning').forEach((p) => logger.warn(formatProblem(p, process.cwd())));
  if (!first.loaded) throw new ConfigError(first.problems);

  // One process per SQLite data directory; Postgres instances coordinate through claims instead.
  const lock = options.databaseUrl ? null : acquireDataDirLock(options.dataDir, { pid: process.pid, command: 'run' });
  let store: Store | null = null;
  try {
    store = await openStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir });
    await serve(store, first.loaded, options);
  } finally {
    await store?.close();
    lock?.release();
  }
}

async function serve(store: Store, firstLoaded: Loaded, options: BotOptions): Promise<void> {
  const { clock, logger } = options;
  const owner = `${process.pid}@${clock.now().getTime().toString(36)}`;
  // Instagram fetches images from us: the media server runs for the bot's whole life.
  // (A changed mediaServer setting needs a restart; the address is not hot-swapped.)
  const mediaSettings = firstLoaded.config.settings.mediaServer;
  const mediaServer: MediaServer | null = mediaSettings
    ? await startMediaServer({ rootDir: options.dataDir, stateDir: options.dataDir, host: mediaSettings.host, port: mediaSettings.port, publicBaseUrl: mediaSettings.publicBaseUrl })
    : null;
  // Alert sinks (e-mail, Telegram) are built once: a changed settings.alerts needs a restart.
  const offices = firstLoaded.config.offices;
  const alert = createConfiguredAlertSink({
    logger,
    store,
    clock,
    settings: firstLoaded.config.settings.alerts,
    env: options.env,
    fetch: options.fetch ?? fetch,
    officeName: (officeId) => offices.find((office) => office.id === officeId)?.name ?? (offices.map((office) => office.name).join(', ') || 'quota-herald'),
  });
  const channelDeps: ChannelDeps = {
    clock,
    logger,
    outboxDir: options.dataDir,
    env: options.env,
    fetch: options.fetch ?? fetch,
    stateDir: options.dataDir,
    ...(mediaServer ? { publicMediaUrl: (file: string) => mediaServer.publicUrl(file) } : {}),
    // Drivers report what staff must act on soon (an account near its daily cap).
    alert: (kind, message) => alert({ kind, message }),
  };
  if (mediaServer) logger.info({ listen: mediaServer.address }, 'media server listening');
  try {
    await serveWith(store, firstLoaded, options, owner, channelDeps, alert);
  } finally {
    await mediaServer?.close();
  }
}

async function serveWith(store: Store, firstLoaded: Loaded, options: BotOptions, owner: string, channelDeps: ChannelDeps, alert: AlertSink): Promise<void> {
  const { clock, logger } = options;
  let runtime: Runtime = buildRuntime(firstLoaded, channelDeps, 1);

  if (!options.databaseUrl) {
    // We hold the data-dir lock, so any claim still open belongs to a process
    // that died mid-call: its outcome is unclear right now, not after the lease.
    // The reconciler reads the account back before anything is sent again.
    for (const post of await releaseAllLeases(store, clock.now())) {
      logger.warn({ postId: post.id, channel: post.channelId }, 'was being published when the previous run stopped: outcome unclear, reconciling');
    }
  }

  const replan = async (reason: string): Promise<void> => {
    const result = await replanInto(store, runtime.config, clock.now());
    await setRuntimeStatus(store, INSTANCE_STATUS_KEY, { pid: process.pid, owner, heartbeatAt: clock.now().toISOString() });
    logger.info({ reason, ...result, changedAfterPublish: result.changedAfterPublish?.length ?? 0 }, 're-planned');
  };
  await setRuntimeStatus(store, CONFIG_STATUS_KEY, { ok: true, loadedAt: clock.now().toISOString(), problems: [] });
  await replan('start');

  let wake = new AbortController();
  const reload = async (): Promise<void> => {
    const outcome = loadAll(options.configDir, { now: clock.now(), ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}) });
    if (!outcome.loaded) {
      const lines = outcome.problems.map((p) => formatProblem(p, process.cwd()));
      await setRuntimeStatus(store, CONFIG_STATUS_KEY, { ok: false, checkedAt: clock.now().toISOString(), problems: lines });
      alert({ kind: 'config-invalid', message: `the config edit has ${lines.length} problem(s); the last good schedule keeps running until they are fixed:\n${lines.join('\n')}` });
      return;
    }
    runtime = buildRuntime(outcome.loaded, channelDeps, runtime.generation + 1);
    await setRuntimeStatus(store, CONFIG_STATUS_KEY, { ok: true, loadedAt: clock.now().toISOString(), problems: outcome.problems.map((p) => formatProblem(p, process.cwd())) });
    await resetRendered(store, clock.now());
    await replan('config changed');
    wake.abort();
  };

  // Reloads and cron re-plans run one at a time, never overlapping a tick's writes badly:
  // the ledger is transactional, and this chain keeps their own order.
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (job: () => Promise<void>): void => {
    chain = chain.then(job).catch((error: unknown) => logger.error({ err: error }, 'background job failed'));
  };

  const watcher = options.watch === false ? null : watchConfig([options.configDir, runtime.config.templatesDir], () => enqueue(reload), { logger });
  const firstOffice = runtime.config.offices[0];
  const replanTask = startCronTimer(runtime.config.settings.replanCron, firstOffice?.timezone ?? 'UTC', () => enqueue(() => replan('periodic')));

  // Tokens expire and get revoked: check the accounts at start and four times a day.
  const checkAccounts = (): Promise<void> => verifyAccounts(runtime.channels, { store, clock, logger, alert }).then(() => undefined);
  enqueue(checkAccounts);
  const accountTask = startCronTimer(ACCOUNT_CHECK_CRON, firstOffice?.timezone ?? 'UTC', () => enqueue(checkAccounts));

  const scheduler = createScheduler({ store, clock, logger, runtime: () => runtime, owner, mediaRoot: options.dataDir, alert });
  logger.info({ configDir: options.configDir, dataDir: options.dataDir, channels: [...runtime.channels.keys()] }, 'quota-herald running');
  try {
    await runScheduleLoop({
      scheduler,
      clock,
      logger,
      signal: options.signal,
      maxChunkMs: 30_000,
      renderAheadMs: () => runtime.config.settings.renderAheadMinutes * 60_000,
      wakeSignal: () => {
        if (wake.signal.aborted) wake = new AbortController();
        return wake.signal;
      },
    });
  } finally {
    replanTask.stop();
    accountTask.stop();
    watcher?.close();
    await chain;
    await alert.close();
    logger.info('quota-herald stopped');
  }
}
