/**
 * Periodic work once per period across the cluster. Every instance's cron
 * timer fires; each tries to insert (job, period) and only the one whose
 * insert lands runs the job. A run whose owner died before finishing (its
 * instance row is gone: store/instances.ts removes dead instances) is taken
 * over by the next instance that asks.
 *
 * Why a table and not node-cron's run-coordinator hook (DESIGN.md): the bot's
 * timers are croner's (plan/cron.ts explains why), which has no such hook;
 * the coordinator that hook would call is this same insert-on-conflict, so it
 * lives here, beside the timers, for every job alike.
 */
import type { Store } from './open';
import { inWriteTransaction } from './transaction';

/** How a period is claimed. */
export interface ClaimOptions {
  /**
   * Default true: an unfinished run whose owner is not a registered instance is
   * taken over. false for work the next period redoes anyway (housekeeping):
   * owners that never register (`serve`, `run` on SQLite) cannot then both run
   * one period, however their timers overlap.
   */
  takeOver?: boolean;
}

/**
 * Whether `owner` should run `job` for `periodKey`: true when it inserted the
 * run, or took over an unfinished run of an instance no longer alive.
 */
export async function claimJobRun(store: Store, run: { job: string; periodKey: string; owner: string }, now: Date, options: ClaimOptions = {}): Promise<boolean> {
  const at = now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const inserted = await trx
      .insertInto('job_runs')
      .values({ job: run.job, period_key: run.periodKey, owner: run.owner, started_at: at, finished_at: null })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
    if (options.takeOver === false) return false;
    const takenOver = await trx
      .updateTable('job_runs')
      .set({ owner: run.owner, started_at: at })
      .where('job', '=', run.job)
      .where('period_key', '=', run.periodKey)
      .where('finished_at', 'is', null)
      .where('owner', '<>', run.owner)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('instances').select('instances.id').whereRef('instances.id', '=', 'job_runs.owner'))))
      .executeTakeFirst();
    return Number(takenOver.numUpdatedRows) > 0;
  });
}

/** Marks the run done, so no one takes it over. */
export async function finishJobRun(store: Store, run: { job: string; periodKey: string; owner: string }, now: Date): Promise<void> {
  await store.db
    .updateTable('job_runs')
    .set({ finished_at: now.getTime() })
    .where('job', '=', run.job)
    .where('period_key', '=', run.periodKey)
    .where('owner', '=', run.owner)
    .execute();
}

/**
 * Runs `work` if this instance wins the period; returns whether it ran.
 * The period key is the cron occurrence, to the minute (every instance's
 * timer for one occurrence fires within that minute).
 */
export async function runOncePerPeriod(store: Store, run: { job: string; periodKey: string; owner: string }, now: () => Date, work: () => Promise<void>, options: ClaimOptions = {}): Promise<boolean> {
  if (!(await claimJobRun(store, run, now(), options))) return false;
  await work();
  await finishJobRun(store, run, now());
  return true;
}

/**
 * The period key of a cron occurrence: its scheduled instant (to the second, UTC), so
 * a seconds-level cron (tests, a busy deployment) gets one run per occurrence, not per minute.
 */
export function occurrenceKey(scheduledAt: Date): string {
  return new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000).toISOString();
}

/**
 * Gives an unfinished run up (its work failed and should be tried again):
 * the row goes, so the next instance that asks claims it afresh.
 */
export async function releaseJobRun(store: Store, run: { job: string; periodKey: string; owner: string }): Promise<void> {
  await store.db
    .deleteFrom('job_runs')
    .where('job', '=', run.job)
    .where('period_key', '=', run.periodKey)
    .where('owner', '=', run.owner)
    .where('finished_at', 'is', null)
    .execute();
}

/**
 * Like claimJobRun, for work its holder may do more than once in a period (a
 * reconciliation read-back slot): true when `owner` takes the run now or
 * already holds it, finished or not.
 */
export async function holdJobRun(store: Store, run: { job: string; periodKey: string; owner: string }, now: Date): Promise<boolean> {
  if (await claimJobRun(store, run, now)) return true;
  const row = await store.db.selectFrom('job_runs').select('owner').where('job', '=', run.job).where('period_key', '=', run.periodKey).executeTakeFirst();
  return row?.owner === run.owner;
}
