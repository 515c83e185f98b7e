/**
 * One sink's outbox of notices: delivered one at a time, in order, in the
 * background. A failed delivery is retried a few times with backoff; a sink
 * past its rate limit holds the rest back and later sends one summary. Nothing
 * here ever throws to the caller or waits on the caller's time: publishing must
 * not notice a dead mail server.
 *
 * The rate-limit window is this process's own, or one shared by every
 * instance on the database (`SendWindow`, app/alert-sink.ts): then the
 * instances together send at most `maxPerWindow` per window, and one summary.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { composeSummary, type AlertNotice, type OfficeLabel } from './alert-notice';
import { AlertDeliveryError, type AlertSender } from './alert-sender';
import { redactSecrets } from './redact';

export interface DeliveryPolicy {
  /** Notices a sink may send per window (the summary included). */
  maxPerWindow: number;
  windowMs: number;
  /** Waits before the 2nd, 3rd, … try; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Notices waiting beyond this are counted into the summary instead (a sink down for hours). */
  maxQueued: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000];

/** A sink's sliding rate-limit window and its count of notices held back. */
export interface SendWindow {
  /** A place for one notice at `now`: true (recorded as sent) when the window has room; else false, and counted as held back. */
  take(now: Date): Promise<boolean>;
  /** Counts one notice held back without asking for a place (the queue is too long). */
  hold(now: Date): Promise<void>;
  /** When the oldest send of the window leaves it; null when the window is empty. */
  oldestLeavesAt(now: Date): Promise<Date | null>;
  /**
   * Places one summary of the held-back notices: their count (the summary
   * recorded as a send, the count cleared) when there is room and `canSend`;
   * else 0, with `retry` true while notices are still held back.
   */
  takeSummary(now: Date, canSend: boolean): Promise<{ count: number; retry: boolean }>;
}

/** This process's own window; `held()`: the notices held back now (lost when the process stops). */
export function createLocalWindow(policy: Pick<DeliveryPolicy, 'maxPerWindow' | 'windowMs'>): SendWindow & { held(): number } {
  /** When each notice of the current window was let through. */
  const sent: number[] = [];
  let held = 0;
  const prune = (now: number): void => {
    while (sent.length > 0 && sent[0]! <= now - policy.windowMs) sent.shift();
  };
  return {
    held: () => held,
    take(now) {
      prune(now.getTime());
      if (sent.length >= policy.maxPerWindow) {
        held += 1;
        return Promise.resolve(false);
      }
      sent.push(now.getTime());
      return Promise.resolve(true);
    },
    hold() {
      held += 1;
      return Promise.resolve();
    },
    oldestLeavesAt(now) {
      prune(now.getTime());
      return Promise.resolve(sent.length > 0 ? new Date(sent[0]! + policy.windowMs) : null);
    },
    takeSummary(now, canSend) {
      if (held === 0) return Promise.resolve({ count: 0, retry: false });
      prune(now.getTime());
      if (!canSend || sent.length >= policy.maxPerWindow) return Promise.resolve({ count: 0, retry: true });
      sent.push(now.getTime());
      const count = held;
      held = 0;
      return Promise.resolve({ count, retry: false });
    },
  };
}

export interface DeliveryQueue {
  /** Queues `notice` (or counts it for the summary); returns at once. */
  offer(notice: AlertNotice): void;
  /** Resolves when nothing is queued or being sent (tests, shutdown). */
  idle(): Promise<void>;
  /** Waits up to `graceMs` for deliveries in flight, then drops the rest and closes the sender. */
  close(graceMs: number): Promise<void>;
}

export interface DeliveryQueueDeps {
  sender: AlertSender;
  policy: DeliveryPolicy;
  clock: Clock;
  logger: Logger;
  /** The office the summary notice speaks for. */
  office: () => OfficeLabel;
  /** 0 ≤ x < 1, for jitter (default Math.random). */
  random?: () => number;
  /** The rate-limit window (default: this process's own). */
  window?: SendWindow;
}

/** A queue for one sender; deliveries start on the first `offer` and run until `close`. */
export function createDeliveryQueue(deps: DeliveryQueueDeps): DeliveryQueue {
  const { sender, policy, clock } = deps;
  const random = deps.random ?? Math.random;
  const log = deps.logger.child({ sink: sender.name });
  const scrub = (text: string): string => redactSecrets(text, sender.secrets);
  const stop = new AbortController();
  const local = deps.window ? null : createLocalWindow(policy);
  const window: SendWindow = deps.window ?? local!;
  const queue: AlertNotice[] = [];
  let summaryArmed = false;
  let running: Promise<void> | null = null;
  /** Offers and summary decisions, in order (the window may be in the database). */
  let decisions: Promise<void> = Promise.resolve();
  const decide = (step: () => Promise<void>): void => {
    decisions = decisions.then(step).catch((error: unknown) => log.warn({ reason: scrub(errorText(error)) }, 'alert rate limit could not be applied'));
  };

  const enqueue = (notice: AlertNotice): void => {
    queue.push(notice);
    running ??= pump().finally(() => {
      running = null;
    });
  };

  const armSummary = async (): Promise<void> => {
    if (summaryArmed || stop.signal.aborted) return;
    summaryArmed = true;
    // Wake when the oldest notice of the window leaves it: then there is room for the summary.
    const leaves = await window.oldestLeavesAt(clock.now()).catch(() => null);
    const wait = leaves ? leaves.getTime() - clock.now().getTime() : policy.windowMs;
    void clock.sleep(Math.max(0, wait), stop.signal).then(() => decide(summaryDue));
  };

  async function summaryDue(): Promise<void> {
    summaryArmed = false;
    if (stop.signal.aborted) return;
    let summary: { count: number; retry: boolean };
    try {
      summary = await window.takeSummary(clock.now(), queue.length < policy.maxQueued);
    } catch (error) {
      // The shared window is away for now: the held-back notices stay counted; try again later.
      log.warn({ reason: scrub(errorText(error)) }, 'could not send the summary of held-back alerts; trying again later');
      return armSummary();
    }
    const { count, retry } = summary;
    if (count > 0) {
      log.warn({ heldBack: count }, 'alerts held back by the rate limit: sending one summary');
      enqueue(composeSummary(count, deps.office(), clock.now()));
    } else if (retry) {
      await armSummary();
    }
  }

  async function pump(): Promise<void> {
    for (let notice = queue.shift(); notice && !stop.signal.aborted; notice = queue.shift()) {
      await deliver(notice);
    }
  }

  async function deliver(notice: AlertNotice): Promise<void> {
    // A notice about a post: the post's log fields (office, post, channel), as every line about it has.
    const context = { alert: notice.kind, ...(notice.postFields ?? (notice.postId === null ? {} : { post: notice.postId })) };
    for (let attempt = 1; ; attempt++) {
      try {
        await sender.send(notice, stop.signal);
        log.info({ ...context, attempt }, 'alert delivered');
        return;
      } catch (error) {
        const failure = error instanceof AlertDeliveryError ? error : new AlertDeliveryError(String(error), { permanent: false });
        const reason = scrub(failure.message);
        if (stop.signal.aborted) {
          log.warn({ ...context, attempt }, 'alert not delivered: the bot is stopping');
          return;
        }
        const delay = policy.retryDelaysMs[attempt - 1];
        if (failure.options.permanent || delay === undefined) {
          log.error({ ...context, attempt, reason }, `alert not delivered by ${sender.name}; it stays in \`quota-herald status\``);
          return;
        }
        // Full backoff halved by jitter: several instances never hammer a mail server in step.
        const wait = failure.options.retryAfterMs ?? Math.round(delay * (0.5 + random() / 2));
        log.warn({ ...context, attempt, retryInMs: wait, reason }, `alert delivery by ${sender.name} failed; trying again`);
        await clock.sleep(wait, stop.signal);
      }
    }
  }

  return {
    offer(notice) {
      if (stop.signal.aborted) return;
      decide(async () => {
        if (stop.signal.aborted) return;
        const now = clock.now();
        try {
          if (queue.length >= policy.maxQueued) await window.hold(now);
          else if (await window.take(now)) return enqueue(notice);
        } catch (error) {
          // The shared window cannot be read (the database is away): better one alert too many than none.
          log.warn({ alert: notice.kind, reason: scrub(errorText(error)) }, 'alert rate limit could not be checked; delivering anyway');
          return enqueue(notice);
        }
        await armSummary();
      });
    },
    async idle() {
      for (;;) {
        const pending = decisions;
        await pending;
        if (running) await running;
        if (pending === decisions && !running) return;
      }
    },
    async close(graceMs) {
      // Offers still being decided are queued first: close delivers what was raised before it.
      await decisions;
      if (running) {
        const grace = new AbortController();
        await Promise.race([running, clock.sleep(graceMs, grace.signal)]);
        grace.abort();
      }
      stop.abort();
      await decisions;
      // Held back in a shared window, they stay counted there for another instance's summary.
      const dropped = queue.length + (local?.held() ?? 0);
      if (dropped > 0) log.warn({ dropped }, `alerts not delivered by ${sender.name}: the bot is stopping; see \`quota-herald status\``);
      queue.length = 0;
      await running;
      sender.close();
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
