/**
 * What the ledger and the running bots know about one office (or all): the
 * reads behind `status`, shared with the staff console so both show the same
 * posts, alerts and account reports.
 */
import type { Store } from '../store/open';
import { countByState, listPosts } from '../store/ledger';
import { getRuntimeStatus } from '../store/runtime-status';
import type { LedgerPost, PostState } from '../store/types';
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from './account-watch';
import { ALERTS_KEY, type StoredAlert } from './alert-sink';
import { CONFIG_STATUS_KEY, INSTANCE_STATUS_KEY } from './bot';

/** Posts still to go out (or going out right now); `unknown` ones are failures until reconciled. */
export const UPCOMING_STATES: readonly PostState[] = ['planned', 'ready', 'retrying', 'claimed'];
/** Posts that went wrong and are shown to staff. */
export const FAILURE_STATES: readonly PostState[] = ['expired', 'dead', 'unknown'];

/** Pending posts overdue by up to this long are still listed as upcoming (they may go out before their deadline). */
export const UPCOMING_LOOKBACK_MS = 86_400_000;

export interface StatusSnapshot {
  states: Record<PostState, number>;
  /** Due from a day before `now`, earliest first. */
  upcoming: LedgerPost[];
  /** Published, latest due first. */
  recent: LedgerPost[];
  /** Expired, dead or unknown, latest due first. */
  failures: LedgerPost[];
  /** The bot's ConfigStatus record (app/bot.ts), as stored. */
  config: unknown;
  /** The bot's InstanceStatus record, as stored. */
  instance: unknown;
  /** Every alert stored (at most the last 100), oldest first. */
  alerts: StoredAlert[];
  accounts: StoredAccountReport[];
}

export interface SnapshotLimits {
  upcoming: number;
  recent: number;
  failures: number;
}

/** `status`'s lengths of each list. */
export const STATUS_LIMITS: SnapshotLimits = { upcoming: 15, recent: 10, failures: 10 };

export async function readStatusSnapshot(store: Store, options: { officeId?: string; now: Date; limits?: SnapshotLimits }): Promise<StatusSnapshot> {
  const office = options.officeId === undefined ? {} : { officeId: options.officeId };
  const limits = options.limits ?? STATUS_LIMITS;
  const [states, upcoming, recent, failures, config, instance, alerts, accounts] = await Promise.all([
    countByState(store, office),
    listPosts(store, { ...office, states: [...UPCOMING_STATES], from: new Date(options.now.getTime() - UPCOMING_LOOKBACK_MS), limit: limits.upcoming, order: 'asc' }),
    listPosts(store, { ...office, states: ['published'], limit: limits.recent, order: 'desc' }),
    listPosts(store, { ...office, states: [...FAILURE_STATES], limit: limits.failures, order: 'desc' }),
    getRuntimeStatus(store, CONFIG_STATUS_KEY),
    getRuntimeStatus(store, INSTANCE_STATUS_KEY),
    getRuntimeStatus(store, ALERTS_KEY),
    getRuntimeStatus(store, ACCOUNTS_STATUS_KEY),
  ]);
  return {
    states,
    upcoming,
    recent,
    failures,
    config,
    instance,
    alerts: (alerts as StoredAlert[] | null) ?? [],
    accounts: (accounts as StoredAccountReport[] | null) ?? [],
  };
}
