/**
 * Alerts tell staff that something needs them. For now they go to the log and
 * the ledger's runtime status (shown by `status`); more sinks come later.
 */
import type { LedgerPost } from '../store/types';

export type AlertKind = 'expired' | 'dead' | 'auth' | 'token-expiry' | 'unclear-outcome' | 'render-failed' | 'config-invalid' | 'reconcile-undecided' | 'daily-cap' | 'unapproved';

export interface Alert {
  kind: AlertKind;
  message: string;
  post?: LedgerPost;
  /** The office the alert is about, when it has no post (many offices: a broken office's config). */
  officeId?: string;
  /** The channel the alert is about, when it has no post (an account check, a driver near its daily cap): its office gets it too. */
  channelId?: string;
}
