/**
 * Where alerts go: the log (always) and the ledger's runtime status, which
 * `status` shows; optionally e-mail and a Telegram chat (`settings.alerts`),
 * delivered in the background. The same problem is reported once, until it
 * changes: once across restarts and across every instance on the database
 * (store/alert-state.ts), which also share each sink's rate limit and summary.
 */
import { createAlertDelivery, type AlertDelivery, type DeliveredStore } from '../alerts/alert-delivery';
import type { OfficeLabel } from '../alerts/alert-notice';
import { createAlertSenders } from '../alerts/create-senders';
import { DEFAULT_RETRY_DELAYS_MS, type DeliveryPolicy, type SendWindow } from '../alerts/delivery-queue';
import type { Clock } from '../clock';
import type { AlertSettings } from '../config/types';
import { postLogger, type Logger } from '../logger';
import type { Alert } from '../schedule/alerts';
import type { Store } from '../store/open';
import { officeOfChannel } from '../config/load-offices';
import { claimAlertDelivery, holdAlert, oldestSendLeavesAt, takeAlertSend, takeAlertSummary } from '../store/alert-state';
import { updateRuntimeStatus } from '../store/runtime-status';

export interface StoredAlert {
  kind: string;
  message: string;
  postId: string | null;
  at: string;
}

export const ALERTS_KEY = 'alerts';
/** The delivery scope of the global recipients (`settings.alerts`); an office's own is `office:<id>`. */
export const GLOBAL_ALERT_SCOPE = 'global';
const KEEP = 100;

export interface AlertSink {
  (alert: Alert): void;
  /** Resolves when every alert so far is stored. */
  flush(): Promise<void>;
  /** Flushes, then gives e-mail/Telegram deliveries in flight a few seconds and stops them. */
  close(): Promise<void>;
}

/** An alert without a post names the office and channel it is about, when it has them. */
function alertPlace(alert: Alert): { office?: string; channel?: string } {
  const office = alert.officeId ?? officeOfChannel(alert.channelId);
  return { ...(office === undefined ? {} : { office }), ...(alert.channelId === undefined ? {} : { channel: alert.channelId }) };
}

export function createAlertSink(deps: {
  logger: Logger;
  store: Store;
  now: () => Date;
  delivery?: AlertDelivery;
  /** Told of each alert the sink lets through (once per problem): /metrics counts them. */
  onRaised?: (alert: Alert) => void;
}): AlertSink {
  const seen = new Set<string>();
  let pending: Promise<void> = Promise.resolve();

  const sink = ((alert: Alert) => {
    const key = `${alert.kind}|${alert.post?.id ?? ''}|${alert.post?.revision ?? ''}|${alert.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    // About a post: the post's fields (office, post, channel), like every other line about it.
    (alert.post ? postLogger(deps.logger, alert.post) : deps.logger).error({ alert: alert.kind, ...(alert.post ? {} : alertPlace(alert)) }, alert.message);
    deps.onRaised?.(alert);
    // Before the store: a full disk must not also silence the e-mail about it.
    // About a post, an office or one of its channels (`<office>/<id>`): that office's recipients get it too.
    const officeId = alert.officeId ?? alert.post?.officeId ?? officeOfChannel(alert.channelId);
    deps.delivery?.notify({ ...alert, ...(officeId === undefined ? {} : { officeId }) });
    const stored: StoredAlert = { kind: alert.kind, message: alert.message, postId: alert.post?.id ?? null, at: deps.now().toISOString() };
    pending = pending
      .then(() =>
        // Several instances may raise the same alert: `status` lists it once.
        updateRuntimeStatus<StoredAlert[]>(deps.store, ALERTS_KEY, (previous) =>
          previous?.some((p) => p.kind === stored.kind && p.postId === stored.postId && p.message === stored.message) ? undefined : [...(previous ?? []), stored].slice(-KEEP),
        ),
      )
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not store alert'));
  }) as AlertSink;
  sink.flush = () => pending;
  sink.close = async () => {
    await pending;
    await deps.delivery?.close();
  };
  return sink;
}

export interface ConfiguredAlertSinkDeps {
  logger: Logger;
  store: Store;
  clock: Clock;
  settings: AlertSettings | undefined;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  /** Name and zone of the office (`officeId`), or of the whole deployment when absent. */
  office: (officeId?: string) => OfficeLabel;
  /**
   * Many offices: each office's own recipients (`settings.alerts` of its herald.yaml).
   * An alert about an office goes to its recipients and to the global ones (`settings`).
   */
  officeSettings?: ReadonlyMap<string, AlertSettings>;
  /** Told of each alert the sink lets through (once per problem). */
  onRaised?: (alert: Alert) => void;
}

/**
 * The live bot's sink: log, status, and the sinks `settings.alerts` configures.
 * A sink whose secret is not set stays off and says so, as a config-invalid alert.
 */
export function createConfiguredAlertSink(deps: ConfiguredAlertSinkDeps): AlertSink {
  const problems: string[] = [];
  const build = (settings: AlertSettings | undefined, scope: string): AlertDelivery | undefined => {
    const setup = createAlertSenders(settings, { env: deps.env, fetch: deps.fetch });
    problems.push(...setup.problems);
    if (setup.senders.length === 0 || !settings) return undefined;
    const policy: DeliveryPolicy = {
      maxPerWindow: settings.rateLimit.max,
      windowMs: settings.rateLimit.windowMinutes * 60_000,
      retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
      maxQueued: 100,
    };
    return createAlertDelivery({
      senders: setup.senders,
      policy,
      clock: deps.clock,
      logger: deps.logger,
      office: deps.office,
      store: createDeliveredStore(deps.store, scope),
      window: (sender) => createSharedWindow(deps.store, `${scope}|${sender}`, policy),
    });
  };
  const global = build(deps.settings, GLOBAL_ALERT_SCOPE);
  // Each office's own delivery keeps its own dedupe memory and rate limit.
  const perOffice = new Map<string, AlertDelivery>();
  for (const [officeId, settings] of deps.officeSettings ?? []) {
    const delivery = build(settings, `office:${officeId}`);
    if (delivery) perOffice.set(officeId, delivery);
  }
  const delivery = routeAlerts(global, perOffice);
  const sink = createAlertSink({ logger: deps.logger, store: deps.store, now: () => deps.clock.now(), ...(delivery ? { delivery } : {}), ...(deps.onRaised ? { onRaised: deps.onRaised } : {}) });
  for (const problem of problems) sink({ kind: 'config-invalid', message: problem });
  return sink;
}

/** The global delivery gets every alert; an office's delivery the alerts about that office. */
function routeAlerts(global: AlertDelivery | undefined, perOffice: ReadonlyMap<string, AlertDelivery>): AlertDelivery | undefined {
  if (perOffice.size === 0) return global;
  const all = [...(global ? [global] : []), ...perOffice.values()];
  return {
    notify(alert) {
      global?.notify(alert);
      if (alert.officeId !== undefined) perOffice.get(alert.officeId)?.notify(alert);
    },
    idle: async () => void (await Promise.all(all.map((delivery) => delivery.idle()))),
    close: async (graceMs) => void (await Promise.all(all.map((delivery) => delivery.close(graceMs)))),
  };
}

/** The dedupe memory of one delivery scope, in the ledger database, shared by every instance. */
export function createDeliveredStore(store: Store, scope: string = GLOBAL_ALERT_SCOPE): DeliveredStore {
  return {
    claim: (problem, digest, now, remindAfterMs) => claimAlertDelivery(store, { scope, problem, digest }, now, remindAfterMs),
  };
}

/** One sink's rate-limit window (`<scope>|<sink>`), in the ledger database, shared by every instance. */
export function createSharedWindow(store: Store, scope: string, policy: Pick<DeliveryPolicy, 'maxPerWindow' | 'windowMs'>): SendWindow {
  return {
    take: (now) => takeAlertSend(store, scope, now, policy),
    hold: (now) => holdAlert(store, scope, now),
    oldestLeavesAt: (now) => oldestSendLeavesAt(store, scope, now, policy),
    takeSummary: (now, canSend) => takeAlertSummary(store, scope, now, { ...policy, canSend }),
  };
}
