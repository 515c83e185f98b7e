/**
 * One sink's outbox of notices: delivered one at a time, in order, in the
 * background. A failed delivery is retried a few times with backoff; a sink
 * past its rate limit holds the rest back and later sends one summary. Nothing
 * here ever throws to the caller or waits on the caller's time: publishing must
 * not notice a dead mail server.
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
}

/** A queue for one sender; deliveries start on the first `offer` and run until `close`. */
export function createDeliveryQueue(deps: DeliveryQueueDeps): DeliveryQueue {
  const { sender, policy, clock } = deps;
  const random = deps.random ?? Math.random;
  const log = deps.logger.child({ sink: sender.name });
  const scrub = (text: string): string => redactSecrets(text, sender.secrets);
  const stop = new AbortController();
  const queue: AlertNotice[] = [];
  /** When each notice of the current window was let through. */
  const sent: number[] = [];
  let heldBack = 0;
  let summaryArmed = false;
  let running: Promise<void> | null = null;

  const roomNow = (): boolean => {
    const now = clock.now().getTime();
    while (sent.length > 0 && sent[0]! <= now - policy.windowMs) sent.shift();
    return sent.length < policy.maxPerWindow;
  };

  const enqueue = (notice: AlertNotice): void => {
    sent.push(clock.now().getTime());
    queue.push(notice);
    running ??= pump().finally(() => {
      running = null;
    });
  };

  const armSummary = (): void => {
    if (summaryArmed || stop.signal.aborted) return;
    summaryArmed = true;
    // Wake when the oldest notice of the window leaves it: then there is room for the summary.
    const wait = sent.length > 0 ? sent[0]! + policy.windowMs - clock.now().getTime() : policy.windowMs;
    void clock.sleep(Math.max(0, wait), stop.signal).then(() => {
      summaryArmed = false;
      if (stop.signal.aborted || heldBack === 0) return;
      if (!roomNow() || queue.length >= policy.maxQueued) return armSummary();
      const count = heldBack;
      heldBack = 0;
      log.warn({ heldBack: count }, 'alerts held back by the rate limit: sending one summary');
      enqueue(composeSummary(count, deps.office(), clock.now()));
    });
  };

  async function pump(): Promise<void> {
    for (let notice = queue.shift(); notice && !stop.signal.aborted; notice = queue.shift()) {
      await deliver(notice);
    }
  }

  async function deliver(notice: AlertNotice): Promise<void> {
    const context = { alert: notice.kind, postId: notice.postId ?? undefined };
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
      if (!roomNow() || queue.length >= policy.maxQueued) {
        heldBack++;
        armSummary();
        return;
      }
      enqueue(notice);
    },
    async idle() {
      while (running) await running;
    },
    async close(graceMs) {
      if (running) {
        const grace = new AbortController();
        await Promise.race([running, clock.sleep(graceMs, grace.signal)]);
        grace.abort();
      }
      stop.abort();
      const dropped = queue.length + heldBack;
      if (dropped > 0) log.warn({ dropped }, `alerts not delivered by ${sender.name}: the bot is stopping; see \`quota-herald status\``);
      queue.length = 0;
      await running;
      sender.close();
    },
  };
}
