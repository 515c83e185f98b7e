/**
 * The ledger: one row per revision of a post. The current revision of a post
 * id is the one that is not `superseded`.
 */
import type { PlannedPost } from '../plan/types';

export type PostState =
  | 'planned' // in the plan, not rendered yet
  | 'ready' // rendered, waiting for its due time
  | 'claimed' // a worker holds a lease and is calling the channel
  | 'published'
  | 'retrying' // a clear transient failure; tried again at next_attempt_at
  | 'unknown' // outcome unclear; must be reconciled before any retry
  | 'expired' // its deadline passed before it could go out
  | 'superseded' // facts changed before publishing; a newer revision replaces it
  | 'cancelled' // its release or rule was removed before publishing
  | 'dead' // permanent error
  | 'skipped'; // staff decided it never goes out (store/post-actions.ts); re-planning leaves it skipped

export const PENDING_STATES: readonly PostState[] = ['planned', 'ready', 'retrying'];
export const TERMINAL_STATES: readonly PostState[] = ['published', 'expired', 'superseded', 'cancelled', 'dead', 'skipped'];

/** A planned post as the ledger keeps it: facts as JSON, plus its revision, state and results. */
export interface LedgerPost extends Omit<PlannedPost, 'facts' | 'approveBy'> {
  revision: number;
  /** JSON of PostFacts. */
  factsJson: string;
  state: PostState;
  attempts: number;
  nextAttemptAt: Date | null;
  /** JSON of RenderedPost once rendered. */
  renderedJson: string | null;
  remoteId: string | null;
  remoteUrl: string | null;
  publishedAt: Date | null;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The approval cut-off when the post needs a staff approval (store/approvals.ts); null: it needs none. */
  approveBy: Date | null;
  /** Digest of the rendered content an approval binds to (content-hash.ts); null until rendered. */
  contentHash: string | null;
}

export interface SyncResult {
  inserted: number;
  superseded: number;
  cancelled: number;
  unchanged: number;
  /** Pending posts whose due time has passed when first seen: never inserted (no spamming history). */
  skippedPast: number;
  /** Pending posts whose due time or deadline moved (facts unchanged): updated in place. */
  rescheduled?: number;
  /**
   * Posts already published, being sent or of unclear outcome whose facts
   * changed: left as they are, reported on every sync so a correction can be planned.
   */
  changedAfterPublish: LedgerPost[];
  /** Corrections and cancellations of published posts planned by this sync (when asked to plan them). */
  correctionsPlanned?: number;
}

export type { Store, StoreDialect } from './open';
