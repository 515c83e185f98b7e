/**
 * Fans alerts out to the configured sinks, once per problem: the same kind,
 * post and message is delivered once until the message changes (or a day has
 * passed: a problem still there tomorrow is worth one reminder). What was
 * delivered can be remembered across restarts, so a bot that crashes and
 * restarts in a loop does not mail the same alert on every start.
 */
import crypto from 'node:crypto';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { composeNotice, type AlertFacts, type OfficeLabel } from './alert-notice';
import type { AlertSender } from './alert-sender';
import { createDeliveryQueue, type DeliveryPolicy, type DeliveryQueue } from './delivery-queue';

/** Problem key (`kind|postId`) → digest of the last message delivered and when. */
export type DeliveredMemory = Record<string, { digest: string; at: string }>;

/** Where the dedupe memory outlives the process (the ledger's runtime status). */
export interface DeliveredStore {
  load(): Promise<DeliveredMemory | null>;
  save(memory: DeliveredMemory): Promise<void>;
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
    }),
  );
  const memory = new Map<string, { digest: string; at: string }>();
  // Alerts raised before the memory is loaded wait for it, in order.
  let ready: Promise<void> = (deps.store?.load() ?? Promise.resolve(null))
    .then((loaded) => Object.entries(loaded ?? {}).forEach(([key, value]) => memory.set(key, value)))
    .catch((error: unknown) => deps.logger.warn({ err: errorText(error) }, 'could not read which alerts were delivered; some may be sent again'));
  let saving: Promise<void> = Promise.resolve();

  const isNew = (key: string, digest: string, now: Date): boolean => {
    const last = memory.get(key);
    if (last && last.digest === digest && now.getTime() - Date.parse(last.at) < remindAfterMs) return false;
    memory.delete(key); // re-insert: the Map's order is the age order
    memory.set(key, { digest, at: now.toISOString() });
    while (memory.size > REMEMBER_MAX) memory.delete(memory.keys().next().value!);
    return true;
  };

  const remember = (): void => {
    if (!deps.store) return;
    const snapshot = Object.fromEntries(memory);
    const store = deps.store;
    saving = saving
      .then(() => store.save(snapshot))
      .catch((error: unknown) => deps.logger.warn({ err: errorText(error) }, 'could not record which alerts were delivered'));
  };

  return {
    notify(alert) {
      if (queues.length === 0) return;
      ready = ready.then(() => {
        const now = deps.clock.now();
        const key = `${alert.kind}|${alert.post?.id ?? ''}`;
        if (!isNew(key, digestOf(alert.message), now)) return;
        remember();
        const notice = composeNotice(alert, deps.office(alert.officeId), now);
        for (const queue of queues) queue.offer(notice);
      });
    },
    async idle() {
      await ready;
      await Promise.all(queues.map((queue) => queue.idle()));
      await saving;
    },
    async close(graceMs = 5_000) {
      await ready;
      await Promise.all(queues.map((queue) => queue.close(graceMs)));
      await saving;
    },
  };
}

function digestOf(message: string): string {
  return crypto.createHash('sha256').update(message).digest('hex').slice(0, 16);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
