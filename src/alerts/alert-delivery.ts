/**
 * Fans alerts out to the configured sinks, once per problem: the same kind,
 * post and message is delivered once until the message changes (or a day has
 * passed: a problem still there tomorrow is worth one reminder). What was
 * delivered can be kept in the database (`DeliveredStore`), so a bot that
 * crashes and restarts in a loop does not mail the same alert on every start,
 * and several instances raising the same alert deliver it once.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { composeNotice, type AlertFacts, type OfficeLabel } from './alert-notice';
import type { AlertSender } from './alert-sender';
import { createDeliveryQueue, type DeliveryPolicy, type DeliveryQueue, type SendWindow } from './delivery-queue';

/**
 * The dedupe memory shared by every instance and restart (the ledger
 * database, app/alert-sink.ts).
 */
export interface DeliveredStore {
  /**
   * Whether this caller delivers `problem` (`kind|postId`) now: true when no
   * one delivered it with the same message `digest` within `remindAfterMs`;
   * atomic, so of two instances asking at once one gets true.
   */
  claim(problem: string, digest: string, now: Date, remindAfterMs: number): Promise<boolean>;
}

export interface AlertDelivery {
  /** Hands an alert to every sink unless it was delivered already; returns at once. */
  notify(alert: AlertFacts & { officeId?: string }): void;
  /** Resolves when every sink has nothing queued or in flight. */
  idle(): Promise<void>;
  /** Gives deliveries in flight `graceMs` (default 5 s), then stops every sink. */
  close(graceMs?: number): Promise<void>;
}

export interface AlertDeliveryDeps {
  senders: readonly AlertSender[];
  policy: DeliveryPolicy;
  clock: Clock;
  logger: Logger;
  /** The office alerts speak for (name, zone); `officeId` is the post's office when the alert has a post. */
  office: (officeId?: string) => OfficeLabel;
  store?: DeliveredStore;
  /** Each sink's rate-limit window by sender name (default: this process's own). */
  window?: (senderName: string) => SendWindow;
  /** Deliver an unchanged problem again after this long (default 24 h). */
  remindAfterMs?: number;
  random?: () => number;
}

const REMEMBER_MAX = 500;

/** One delivery queue per sender behind a shared dedupe; with no senders, `notify` does nothing. */
export function createAlertDelivery(deps: AlertDeliveryDeps): AlertDelivery {
  const remindAfterMs = deps.remindAfterMs ?? 24 * 3_600_000;
  const queues: DeliveryQueue[] = deps.senders.map((sender) =>
    createDeliveryQueue({
      sender,
      policy: deps.policy,
      clock: deps.clock,
      logger: deps.logger,
      office: () => deps.office(),
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.window ? { window: deps.window(sender.name) } : {}),
    }),
  );
  /** This process's own memory: the whole memory without a store, the fallback while the store does not answer. */
  const memory = new Map<string, { digest: string; at: string }>();
  // Alerts are decided one at a time, in order.
  let ready: Promise<void> = Promise.resolve();

  const isNew = (key: string, digest: string, now: Date): boolean => {
    const last = memory.get(key);
    if (last && last.digest === digest && now.getTime() - Date.parse(last.at) < remindAfterMs) return false;
    memory.delete(key); // re-insert: the Map's order is the age order
    memory.set(key, { digest, at: now.toISOString() });
    while (memory.size > REMEMBER_MAX) memory.delete(memory.keys().next().value!);
    return true;
  };

  /** Ours to deliver: new here, and (with a store) claimed from every instance. */
  const ours = async (key: string, digest: string, now: Date): Promise<boolean> => {
    if (!isNew(key, digest, now)) return false;
    if (!deps.store) return true;
    try {
      return await deps.store.claim(key, digest, now, remindAfterMs);
    } catch (error) {
      // Better the same alert twice than an alert lost while the database is away.
      deps.logger.warn({ err: errorText(error) }, 'could not check whether another instance delivered this alert; delivering it');
      return true;
    }
  };

  return {
    notify(alert) {
      if (queues.length === 0) return;
      ready = ready.then(async () => {
        const now = deps.clock.now();
        const key = `${alert.kind}|${alert.post?.id ?? ''}`;
        if (!(await ours(key, digestOf(alert.message), now))) return;
        const notice = composeNotice(alert, deps.office(alert.officeId), now);
        for (const queue of queues) queue.offer(notice);
      });
    },
    async idle() {
      await ready;
      await Promise.all(queues.map((queue) => queue.idle()));
    },
    async close(graceMs = 5_000) {
      await ready;
      await Promise.all(queues.map((queue) => queue.close(graceMs)));
    },
  };
}

function digestOf(message: string): string {
  return crypto.createHash('sha256').update(message).digest('hex').slice(0, 16);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
