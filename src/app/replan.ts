/**
 * Re-plans the horizon and syncs it into the ledger. The plan deliberately
 * reaches back a day so pending posts that are overdue but before their
 * deadline stay in the plan and are not cancelled; the ledger itself refuses to
 * insert anything whose due time has passed (no spamming history).
 *
 * The same transaction plans the corrections and cancellations owed for posts
 * already published (DESIGN.md, protocol 6). Both the live bot and `simulate`
 * come through here, so both do it.
 *
 * Many offices may plan over different horizons (`settings.horizonDays` of an
 * office): offices of one horizon are planned and synced together, each group
 * over its own window, so an office planning 14 days ahead never has its posts
 * beyond day 14 cancelled by a window of 35.
 */
import { horizonDaysFor } from '../config/office-settings';
import type { Config, OfficeConfig } from '../config/types';
import { planCorrections, type PublishedHistory } from '../plan/corrections';
import type { Store } from '../store/open';
import { syncPlan } from '../store/ledger';
import { previewSync, type SyncPreview } from '../store/sync-plan';
import type { SyncResult } from '../store/types';
import { planAll } from './plan-all';

const LOOKBACK_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Plans `config` from `now` over its horizon into `store`, corrections included.
 * With `offices`, only those offices' ledger posts are cancelled or corrected.
 */
export async function replanInto(store: Store, config: Config, now: Date, options: { offices?: readonly string[] } = {}): Promise<SyncResult> {
  const groups = byHorizon(config);
  if (groups.size <= 1) return replanGroup(store, config, now, [...groups.keys()][0] ?? config.settings.horizonDays, options.offices);
  let total: SyncResult | null = null;
  for (const [days, offices] of groups) {
    const ids = offices.map((office) => office.id).filter((id) => !options.offices || options.offices.includes(id));
    const result = await replanGroup(store, { ...config, offices }, now, days, ids);
    total = total ? addResults(total, result) : result;
  }
  return total!;
}

async function replanGroup(store: Store, config: Config, now: Date, days: number, offices: readonly string[] | undefined): Promise<SyncResult> {
  const { posts, range, options } = groupPlan(config, now, days, offices);
  return syncPlan(store, posts, range, now, options);
}

/**
 * What `replanInto` would do with `config`, written nowhere: the console's
 * change preview (issue 9) plans an edited config against the ledger as it is.
 */
export async function previewReplan(store: Store, config: Config, now: Date, options: { offices?: readonly string[] } = {}): Promise<SyncPreview> {
  const parts: SyncPreview[] = [];
  for (const [days, offices] of byHorizon(config)) {
    const ids = offices.map((office) => office.id).filter((id) => !options.offices || options.offices.includes(id));
    const group = groupPlan({ ...config, offices }, now, days, ids);
    parts.push(await previewSync(store, group.posts, group.range, now, group.options));
  }
  return {
    inserted: parts.flatMap((p) => p.inserted),
    changed: parts.flatMap((p) => p.changed),
    rescheduled: parts.flatMap((p) => p.rescheduled),
    removed: parts.flatMap((p) => p.removed),
    changedAfterPublish: parts.flatMap((p) => p.changedAfterPublish),
    corrections: { planned: parts.flatMap((p) => p.corrections.planned), cancelled: parts.flatMap((p) => p.corrections.cancelled) },
  };
}

function groupPlan(config: Config, now: Date, days: number, offices: readonly string[] | undefined) {
  const range = { from: new Date(now.getTime() - LOOKBACK_MS), to: new Date(now.getTime() + days * DAY_MS) };
  const { posts } = planAll(config, range);
  return { posts, range, options: { corrections: (histories: PublishedHistory[]) => planCorrections({ config, histories, now }), ...(offices ? { offices } : {}) } };
}

/** The offices by planning horizon (days), in office order. */
function byHorizon(config: Config): Map<number, OfficeConfig[]> {
  const groups = new Map<number, OfficeConfig[]>();
  for (const office of config.offices) {
    const days = horizonDaysFor(office, config.settings);
    groups.set(days, [...(groups.get(days) ?? []), office]);
  }
  return groups;
}

function addResults(a: SyncResult, b: SyncResult): SyncResult {
  return {
    inserted: a.inserted + b.inserted,
    superseded: a.superseded + b.superseded,
    cancelled: a.cancelled + b.cancelled,
    unchanged: a.unchanged + b.unchanged,
    skippedPast: a.skippedPast + b.skippedPast,
    ...(a.rescheduled === undefined && b.rescheduled === undefined ? {} : { rescheduled: (a.rescheduled ?? 0) + (b.rescheduled ?? 0) }),
    changedAfterPublish: [...a.changedAfterPublish, ...b.changedAfterPublish],
    ...(a.correctionsPlanned === undefined && b.correctionsPlanned === undefined ? {} : { correctionsPlanned: (a.correctionsPlanned ?? 0) + (b.correctionsPlanned ?? 0) }),
  };
}
