/**
 * What the scheduler tells about each publish attempt as it records it, for
 * /metrics (metrics/bot-metrics.ts counts it; nothing here knows Prometheus).
 * `platform` is the channel's driver: `x`, `instagram`, or `outbox` (a dry run).
 */
import type { PublishErrorKind } from '../channels/publish-error';

/**
 * Why an attempt did not publish: a driver's PublishError kind, or what the
 * scheduler found before or around the call.
 */
export type PublishFailureKind =
  | PublishErrorKind
  /** The deadline passed while the post waited for its turn on the channel: never called. */
  | 'deadline-passed'
  /** Its card was on no instance and not in the database: rendered again. */
  | 'card-missing'
  /** Another instance took the post over (this one's lease ran out). */
  | 'lease-lost'
  /** The database did not answer the checkpoint before sending: nothing was sent. */
  | 'database-unreachable'
  /** The post's channel is no longer configured. */
  | 'no-channel';

/** First attempt, or a later one (a retry, or a send after reconciliation found nothing). */
export type AttemptOrdinal = 'first' | 'retry';

export interface PublishObserver {
  /** An attempt's outcome is recorded: `failure` null when it published. */
  attemptFinished(platform: string, failure: PublishFailureKind | null): void;
  /** The request that creates the post is about to go out (the driver's `sending` checkpoint), `lagSeconds` after the post was due. */
  sending(platform: string, lagSeconds: number, attempt: AttemptOrdinal): void;
  /** The post is on the platform, `lagSeconds` after it was due. */
  published(platform: string, lagSeconds: number, attempt: AttemptOrdinal): void;
}
