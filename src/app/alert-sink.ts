/**
 * Where alerts go: the log (always) and the ledger's runtime status, which
 * `status` shows. The same problem is reported once, until it changes.
 */
import type { Logger } from '../logger';
import type { Alert } from '../schedule/alerts';
import type { Store } from '../store/open';
import { getRuntimeStatus, setRuntimeStatus } from '../store/runtime-status';

export interface StoredAlert {
  kind: string;
  message: string;
  postId: string | null;
  at: string;
}

export const ALERTS_KEY = 'alerts';
const KEEP = 100;

export interface AlertSink {
  (alert: Alert): void;
  /** Resolves when every alert so far is stored. */
  flush(): Promise<void>;
}

export function createAlertSink(deps: { logger: Logger; store: Store; now: () => Date }): AlertSink {
  const seen = new Set<string>();
  let pending: Promise<void> = Promise.resolve();

  const sink = ((alert: Alert) => {
    const key = `${alert.kind}|${alert.post?.id ?? ''}|${alert.post?.revision ?? ''}|${alert.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    deps.logger.error({ alert: alert.kind, postId: alert.post?.id }, alert.message);
    const stored: StoredAlert = { kind: alert.kind, message: alert.message, postId: alert.post?.id ?? null, at: deps.now().toISOString() };
    pending = pending
      .then(async () => {
        const previous = ((await getRuntimeStatus(deps.store, ALERTS_KEY)) as StoredAlert[] | null) ?? [];
        await setRuntimeStatus(deps.store, ALERTS_KEY, [...previous, stored].slice(-KEEP));
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not store alert'));
  }) as AlertSink;
  sink.flush = () => pending;
  return sink;
}
