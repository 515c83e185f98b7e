/**
 * The one interface every alert sink implements, and its error. A sender only
 * delivers; dedupe, rate limits and retries live in the delivery queue, the
 * same for all sinks.
 */
import type { AlertNotice } from './alert-notice';

/** Delivers notices to one place (an SMTP server, a Telegram chat). */
export interface AlertSender {
  /** Short name for logs and status: `email`, `telegram`. */
  readonly name: string;
  /** Secret values this sender holds, so the queue can scrub them from every log line. */
  readonly secrets: readonly string[];
  /** Sends one notice; rejects with an `AlertDeliveryError`. Aborting `signal` gives up. */
  send(notice: AlertNotice, signal: AbortSignal): Promise<void>;
  /** Releases connections; called once, when the bot stops. */
  close(): void;
}

/** A failed delivery: whether another try can help, and when the server wants it. */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { permanent: boolean; retryAfterMs?: number },
  ) {
    super(message);
    this.name = 'AlertDeliveryError';
  }
}
