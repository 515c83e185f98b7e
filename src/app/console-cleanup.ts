/**
 * The console's housekeeping: sessions past their end, failed sign-ins older
 * than the lock-out window, and audit entries older than
 * settings.web.auditRetentionDays are deleted once an hour, by one instance
 * of the cluster (store/job-runs.ts, like the periodic re-plan). `run` and
 * `serve` both start it: a deployment of `serve` instances beside one `run`
 * cleans up whichever of them claims the hour first.
 *
 * Nothing here is urgent: an expired session is refused at its next request
 * whether or not its row is gone, and the lock-out counts only the window.
 * So deletes go in short batches, each its own statement, never one long
 * write that holds SQLite's lock (or PostgreSQL row locks) while sign-ins
 * and the schedule loop wait; and a run whose instance died is not taken
 * over (the next hour's run deletes what it left).
 */
import type { Clock } from '../clock';
import type { WebSettings } from '../config/types';
import type { Logger } from '../logger';
import { startCronTimer } from '../plan/cron';
import { pruneAudit } from '../store/audit-log';
import { occurrenceKey, runOncePerPeriod } from '../store/job-runs';
import { DEFAULT_LOCKOUT, pruneLoginFailures } from '../store/login-failures';
import type { Store } from '../store/open';
import { isDatabaseUnreachable } from '../store/outage';
import { DEFAULT_SESSION_TIMEOUTS, deleteExpiredSessions, type SessionTimeouts } from '../store/sessions';

export const CONSOLE_CLEANUP_JOB = 'console-cleanup';
/** Hourly, off the hour (the re-plan and account checks take the round minutes). */
export const CONSOLE_CLEANUP_CRON = '41 * * * *';
/** Rows per delete statement: a few milliseconds of lock on either engine. */
export const CLEANUP_BATCH_SIZE = 500;
const DAY_MS = 86_400_000;

/** How long each kind of console row is kept. */
export interface ConsoleRetention {
  sessions: SessionTimeouts;
  loginFailureWindowMs: number;
  auditRetentionDays: number;
}

/** The retention the web server works with: its session timeouts and lock-out window, the audit days of settings.web. */
export function consoleRetention(web: Pick<WebSettings, 'auditRetentionDays'>): ConsoleRetention {
  return { sessions: DEFAULT_SESSION_TIMEOUTS, loginFailureWindowMs: DEFAULT_LOCKOUT.windowMs, auditRetentionDays: web.auditRetentionDays };
}

export interface CleanupCounts {
  sessions: number;
  loginFailures: number;
  auditEntries: number;
}

/** Deletes everything past its retention at `now`, batch by batch; returns how many rows of each kind went. */
export async function cleanConsoleData(store: Store, now: Date, retention: ConsoleRetention, batchSize: number = CLEANUP_BATCH_SIZE): Promise<CleanupCounts> {
  const auditBefore = new Date(now.getTime() - retention.auditRetentionDays * DAY_MS);
  return {
    sessions: await inBatches(batchSize, (limit) => deleteExpiredSessions(store, now, retention.sessions, limit)),
    loginFailures: await inBatches(batchSize, (limit) => pruneLoginFailures(store, now, retention.loginFailureWindowMs, limit)),
    auditEntries: await inBatches(batchSize, (limit) => pruneAudit(store, auditBefore, limit)),
  };
}

/** Calls `deleteBatch` until a batch comes back short; the total deleted. */
async function inBatches(batchSize: number, deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

export interface ConsoleCleanupOptions {
  store: Store;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** This instance, as job_runs records who ran a period. */
  owner: string;
  retention: ConsoleRetention;
  batchSize?: number;
}

/**
 * The clean-up of the period that starts at `scheduledAt`, if this instance is
 * the first to claim it: the counts it deleted, or null when another instance has it.
 */
export async function runConsoleCleanup(options: ConsoleCleanupOptions, scheduledAt: Date): Promise<CleanupCounts | null> {
  const { store, clock, logger } = options;
  const done: { counts?: CleanupCounts } = {};
  const run = { job: CONSOLE_CLEANUP_JOB, periodKey: occurrenceKey(scheduledAt), owner: options.owner };
  const ran = await runOncePerPeriod(
    store,
    run,
    () => clock.now(),
    async () => {
      done.counts = await cleanConsoleData(store, clock.now(), options.retention, options.batchSize);
    },
    { takeOver: false },
  );
  if (!ran || !done.counts) {
    logger.debug({ job: CONSOLE_CLEANUP_JOB, period: run.periodKey }, 'console clean-up: another instance runs it this period');
    return null;
  }
  const { sessions, loginFailures, auditEntries } = done.counts;
  // An hour with nothing to delete is not worth a line of the bot's log.
  const level = sessions + loginFailures + auditEntries > 0 ? 'info' : 'debug';
  logger[level]({ job: CONSOLE_CLEANUP_JOB, period: run.periodKey, ...done.counts }, 'console clean-up: expired sessions, old failed sign-ins and audit entries deleted');
  return done.counts;
}

export interface ConsoleCleanupTimer {
  /** Stops the timer and waits for a clean-up in progress. */
  stop(): Promise<void>;
}

/** Runs the clean-up at every occurrence of `cron` (default hourly) in `zone`, once per occurrence for the cluster. */
export function startConsoleCleanup(options: ConsoleCleanupOptions & { zone: string; cron?: string }): ConsoleCleanupTimer {
  let running: Promise<void> = Promise.resolve();
  const timer = startCronTimer(options.cron ?? CONSOLE_CLEANUP_CRON, options.zone, (scheduledAt) => {
    running = runConsoleCleanup(options, scheduledAt).then(
      () => undefined,
      (error: unknown) => {
        // An outage is reported by whoever owns it (the schedule loop, the health checks); the next hour tries again.
        if (isDatabaseUnreachable(error)) options.logger.debug({ err: error }, 'console clean-up skipped: the database is unreachable');
        else options.logger.error({ err: error }, 'console clean-up failed; the next period tries again');
      },
    );
  });
  return {
    async stop() {
      timer.stop();
      await running;
    },
  };
}
