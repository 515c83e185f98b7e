/**
 * The live bot's heartbeat: every few seconds it renews its own row and the
 * leases of the posts it is sending (store/instances.ts), and releases the
 * claims of instances whose heartbeat went stale. Runs beside the schedule
 * loop, on the same clock; a database outage only skips beats. Its row is
 * also what `health` reads on PostgreSQL; on SQLite (one instance, no beat)
 * `health` reads the liveness mark the schedule loop leaves on the lock file.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { beat, releaseDeadInstances, type InstanceInfo } from '../store/instances';
import type { Store } from '../store/open';
import { isDatabaseUnreachable } from '../store/outage';

export const HEARTBEAT_MS = 2_000;
/**
 * Three missed beats and a little: a dead (or frozen) instance's claims move
 * within ~7–9 s. A false verdict (a live instance stalled that long) costs no
 * double post: its sending claims go `unknown` and are read back (reconcile.ts).
 */
export const STALE_AFTER_MS = 3 * HEARTBEAT_MS + 1_000;

export interface HeartbeatOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  instance: InstanceInfo;
  leaseMs: number;
  signal: AbortSignal;
  /** Called when a dead instance's claims moved (wake the schedule loop). */
  onReleased: () => void;
  intervalMs?: number;
  staleMs?: number;
}

/**
 * SQLite: how often the schedule loop marks its instance alive (the data-dir
 * lock file's mtime, store/lock.ts). The loop wakes at least every 30 s anyway,
 * so marking on some of those wake-ups costs no wake-up of its own.
 */
export const LIVENESS_INTERVAL_MS = 60_000;

/** `mark`, called at most once per `intervalMs` of the times it is given (the first call marks). */
export function throttleLiveness(mark: (now: Date) => void, intervalMs: number = LIVENESS_INTERVAL_MS): (now: Date) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (now) => {
    if (now.getTime() - last < intervalMs) return;
    last = now.getTime();
    mark(now);
  };
}

export async function runHeartbeat(options: HeartbeatOptions): Promise<void> {
  const { store, clock, logger, instance, signal } = options;
  const intervalMs = options.intervalMs ?? HEARTBEAT_MS;
  const staleMs = options.staleMs ?? STALE_AFTER_MS;
  /**
   * Since when this instance's beats reach the database. Others are judged only
   * after it has been connected for a whole stale window: after a database
   * outage every instance's last beat is old, and the first one back must not
   * take the others (just as cut off as it was) for dead.
   */
  let connectedSince: number | null = null;
  while (!signal.aborted) {
    try {
      await beat(store, instance, clock.now(), options.leaseMs);
      connectedSince ??= clock.now().getTime();
      const dead = clock.now().getTime() - connectedSince >= staleMs ? await releaseDeadInstances(store, instance.id, clock.now(), staleMs) : [];
      for (const each of dead) {
        logger.warn(
          { instance: each.id, silentMs: each.silentMs, retried: each.retried, unknown: each.unknown.map((post) => post.id) },
          `instance ${each.id} stopped heart-beating ${Math.round(each.silentMs / 1000)} s ago: ${each.retried} of its claims are due again at once, ${each.unknown.length} went unknown (reconciled by read-back)`,
        );
      }
      if (dead.some((each) => each.retried + each.unknown.length > 0)) options.onReleased();
    } catch (error) {
      // The schedule loop reports an outage; a beat is just skipped.
      if (isDatabaseUnreachable(error)) connectedSince = null;
      else logger.error({ err: error }, 'heartbeat failed');
    }
    await clock.sleep(intervalMs, signal);
  }
}
