/**
 * Re-plans the horizon and syncs it into the ledger. The plan deliberately
 * reaches back a day so pending posts that are overdue but before their
 * deadline stay in the plan and are not cancelled; the ledger itself refuses to
 * insert anything whose due time has passed (no spamming history).
 *
 * The same transaction plans the corrections and cancellations owed for posts
 * already published (DESIGN.md, protocol 6). Both the live bot and `simulate`
 * come through here, so both do it.
 */
import type { Config } from '../config/types';
import { planCorrections } from '../plan/corrections';
import type { Store } from '../store/open';
import { syncPlan } from '../store/ledger';
import type { SyncResult } from '../store/types';
import { planAll } from './plan-all';

const LOOKBACK_MS = 24 * 3_600_000;

/**
 * Plans `config` from `now` over its horizon into `store`, corrections included.
 * With `offices`, only those offices' ledger posts are cancelled or corrected.
 */
export async function replanInto(store: Store, config: Config, now: Date, options: { offices?: readonly string[] } = {}): Promise<SyncResult> {
  const range = { from: new Date(now.getTime() - LOOKBACK_MS), to: new Date(now.getTime() + config.settings.horizonDays * 86_400_000) };
  const { posts } = planAll(config, range);
  return syncPlan(store, posts, range, now, { corrections: (histories) => planCorrections({ config, histories, now }), ...(options.offices ? { offices: options.offices } : {}) });
}
