/**
 * Gauges read from the ledger at scrape time. They say the same on every
 * instance of one database (`run` and `serve` alike): dashboards and alerts
 * take `max by (...)` of them, never `sum` (docs/operations.md).
 *
 * A scrape must never cost the bot its database: every figure comes from a
 * few indexed statements (store/ledger-metrics.ts), one for all offices. When
 * the database does not answer, the gauges are left empty for that scrape and
 * `quota_herald_ledger_up` says 0: a stale count looks healthy.
 */
import { Gauge } from 'prom-client';
import type { Clock } from '../clock';
import { officeOfChannel } from '../config/load-offices';
import type { Logger } from '../logger';
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from '../app/account-watch';
import { listCurrentIds } from '../store/config-revisions';
import { ALL_STATES } from '../store/ledger';
import { countDueUnsent, countPostsByOfficeAndState, listTokenExpiries, type PostCountRow } from '../store/ledger-metrics';
import type { Store } from '../store/open';
import { getRuntimeStatus } from '../store/runtime-status';
import { METRIC_PREFIX, sharedRead, type MetricsRegistry } from './registry';

/** `quota_herald_posts_recent`: posts due this long ago or later (the console's attention window, 7 days). */
export const RECENT_POSTS_MS = 7 * 86_400_000;
/** A post due longer ago than this and still unclaimed counts as due-unsent. */
export const DUE_UNSENT_GRACE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface LedgerGaugeDeps {
  store: Store;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** The offices served now: each gets a zero for every state it has no post in. */
  offices?: () => readonly { id: string }[];
}

interface LedgerSnapshot {
  posts: PostCountRow[];
  dueUnsent: number;
  revisions: Map<string, number>;
  /** Channel id → when its token expires. */
  tokens: Map<string, Date>;
}

export function registerLedgerGauges(metrics: MetricsRegistry, deps: LedgerGaugeDeps): void {
  const registers = [metrics.registry];
  let failing = false;
  const read = sharedRead(async (): Promise<LedgerSnapshot | null> => {
    const now = deps.clock.now();
    try {
      const [posts, dueUnsent, revisions, tokens] = await Promise.all([
        countPostsByOfficeAndState(deps.store, new Date(now.getTime() - RECENT_POSTS_MS)),
        countDueUnsent(deps.store, now, DUE_UNSENT_GRACE_MS),
        listCurrentIds(deps.store),
        tokenExpiries(deps.store),
      ]);
      if (failing) deps.logger.info('metrics: the ledger answers again');
      failing = false;
      return { posts, dueUnsent, revisions, tokens };
    } catch (error) {
      // Once per outage: Prometheus scrapes every few seconds, and the schedule loop reports the outage itself.
      if (!failing) deps.logger.warn({ err: error }, 'metrics: the ledger does not answer; its gauges are left out of the scrape until it does');
      failing = true;
      return null;
    }
  });

  new Gauge({
    name: `${METRIC_PREFIX}ledger_up`,
    help: 'Whether the ledger answered the queries of this scrape (1) or not (0: the ledger gauges are missing from it).',
    registers,
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });

  const servedOffices = (): string[] => deps.offices?.().map((office) => office.id) ?? [];
  new Gauge({
    name: `${METRIC_PREFIX}posts`,
    help: 'Ledger rows per office and state (superseded revisions included).',
    labelNames: ['office', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      const snapshot = await read();
      if (!snapshot) return;
      // Every state of every office, zero when empty: a panel shows 0, not "no data". One set per series (each set hashes its labels).
      const counts = new Map(snapshot.posts.map((row) => [`${row.officeId}\n${row.state}`, row.count] as const));
      const offices = new Set([...servedOffices(), ...snapshot.posts.map((row) => row.officeId)]);
      for (const office of offices) for (const state of ALL_STATES) this.set({ office, state }, counts.get(`${office}\n${state}`) ?? 0);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}posts_recent`,
    help: 'Ledger rows per office and state due in the last 7 days or later, where there are any (what needs staff: alert on dead and unknown here).',
    labelNames: ['office', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      // Only the pairs that have some: a series per office and state twice over would double the scrape for zeros.
      for (const row of (await read())?.posts ?? []) if (row.recent > 0) this.set({ office: row.officeId, state: row.state }, row.recent);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}posts_due_unsent`,
    help: 'Posts due (or due for a retry) more than 60 s ago that no instance has claimed: nothing is publishing them.',
    registers,
    async collect() {
      this.reset();
      const snapshot = await read();
      if (snapshot) this.set(snapshot.dueUnsent);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}config_revision`,
    help: 'The current config revision id of each office (it changes with every accepted edit).',
    labelNames: ['office'] as const,
    registers,
    async collect() {
      this.reset();
      const snapshot = await read();
      for (const [office, revision] of snapshot?.revisions ?? []) this.set({ office }, revision);
    },
  });

  new Gauge({
    name: `${METRIC_PREFIX}token_days_left`,
    help: 'Days until the access token of each channel expires (negative: expired); channels whose token does not expire (X) have none.',
    labelNames: ['office', 'channel'] as const,
    registers,
    async collect() {
      this.reset();
      const snapshot = await read();
      if (!snapshot) return;
      const now = deps.clock.now().getTime();
      // One office: its channels are named without the office (`instagram`).
      const served = servedOffices();
      const soleOffice = served.length === 1 ? served[0]! : '';
      for (const [channel, expiresAt] of snapshot.tokens) {
        this.set({ office: officeOfChannel(channel) ?? soleOffice, channel }, Math.round(((expiresAt.getTime() - now) / DAY_MS) * 100) / 100);
      }
    },
  });
}

/**
 * Each channel's token expiry: the shared token row (Instagram's refreshed
 * token), else what the last account check reported (the token from `.env`).
 */
async function tokenExpiries(store: Store): Promise<Map<string, Date>> {
  const [rows, reports] = await Promise.all([listTokenExpiries(store), getRuntimeStatus<StoredAccountReport[]>(store, ACCOUNTS_STATUS_KEY)]);
  const expiries = new Map<string, Date>();
  for (const report of reports ?? []) if (report.tokenExpiresAt) expiries.set(report.channelId, new Date(report.tokenExpiresAt));
  for (const [channel, expiresAt] of rows) expiries.set(channel, expiresAt);
  return expiries;
}
