/**
 * The loop around the scheduler: tick, then sleep until the next event. The
 * same loop runs live (wall clock, 30 s chunks) and in `simulate` (a virtual
 * clock that jumps, no chunking).
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { nextWakeAt } from './next-wake';
import type { Scheduler } from './scheduler';
import { isDatabaseUnreachable, outageBackoffMs, outageMessage } from '../store/outage';

const STALL_BACKOFF_MS = 5_000;

export interface LoopOptions {
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  /** Aborting stops the loop after the tick in flight finishes. */
  signal: AbortSignal;
  /** Stop once the clock reaches this instant (simulate). */
  until?: Date;
  maxChunkMs: number;
  renderAheadMs: () => number;
  /** Periodic re-plan: when it is next due, and how to run it. */
  replan?: { nextAt(now: Date): Date | null; run(now: Date): Promise<void> };
  /** Names the database in outage messages ("PostgreSQL at host:port/db"). */
  databaseLabel?: string;
  /** Wakes the loop early (a config reload re-planned). */
  wakeSignal?: () => AbortSignal;
  /** Called after every round that reached the ledger: the loop is alive and its database answers (`health`). */
  alive?: (now: Date) => void;
}

export async function runScheduleLoop(options: LoopOptions): Promise<void> {
  const { clock, signal } = options;
  let nextReplan = options.replan?.nextAt(clock.now()) ?? null;
  /** Consecutive iterations that failed because the database was unreachable. */
  let outage = 0;
  while (!signal.aborted) {
    const now = clock.now();
    if (options.until && now >= options.until) break;
    let wakeAt: Date;
    try {
      wakeAt = await iterate(options, now, nextReplan, (next) => (nextReplan = next));
      options.alive?.(clock.now());
      if (outage > 0) options.logger.info(`${options.databaseLabel ?? 'the database'} is reachable again: scheduling resumes`);
      outage = 0;
    } catch (error) {
      // Nothing here may end the bot. A lost database (restart, network) is waited
      // out with backoff; anything else (disk full, a bug) is logged and tried again.
      const afterFailure = clock.now();
      if (isDatabaseUnreachable(error)) {
        outage += 1;
        const waitMs = outageBackoffMs(outage);
        options.logger.error(outageMessage(options.databaseLabel ?? 'the database', error, waitMs));
        wakeAt = new Date(afterFailure.getTime() + waitMs);
      } else {
        options.logger.error({ err: error }, 'scheduler step failed; trying again shortly');
        wakeAt = new Date(afterFailure.getTime() + STALL_BACKOFF_MS);
      }
    }
    if (options.until && wakeAt > options.until) wakeAt = options.until;
    const waitMs = wakeAt.getTime() - clock.now().getTime();
    if (waitMs > 0) {
      const wake = options.wakeSignal?.();
      await clock.sleep(waitMs, wake ? AbortSignal.any([signal, wake]) : signal);
    }
  }
}

/** One round: re-plan if due, tick, and work out when to wake. Throws what the store throws. */
async function iterate(options: LoopOptions, now: Date, nextReplan: Date | null, setNextReplan: (next: Date | null) => void): Promise<Date> {
  const { scheduler, clock } = options;
  if (options.replan && nextReplan && now >= nextReplan) {
    await options.replan.run(now);
    nextReplan = options.replan.nextAt(clock.now());
    setNextReplan(nextReplan);
  }
  let progress = 0;
  try {
    progress = await scheduler.tick();
  } catch (error) {
    if (isDatabaseUnreachable(error)) throw error;
    // A failing tick (database busy, disk full) must not end the bot: log and try again next wake.
    options.logger.error({ err: error }, 'scheduler tick failed');
  }
  const events = await scheduler.nextEvents();
  const afterTick = clock.now();
  let wakeAt = nextWakeAt({
    now: afterTick,
    nextDue: events.nextDue,
    nextToRender: events.nextToRender,
    renderAheadMs: options.renderAheadMs(),
    nextReplan,
    maxChunkMs: options.maxChunkMs,
  });
  // Something is due but nothing moved (a post that cannot render waits for
  // its deadline or a fix): back off instead of spinning.
  if (progress === 0 && wakeAt.getTime() <= afterTick.getTime()) wakeAt = new Date(afterTick.getTime() + STALL_BACKOFF_MS);
  return wakeAt;
}
