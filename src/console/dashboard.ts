/**
 * The staff console's dashboard of one office: the next posts, what went out,
 * and what needs staff. Reads the ledger, the config revisions and what the
 * running bots stored (account checks); writes nothing.
 */
import { TOKEN_WARNING_MS } from '../channels/instagram/verify-account';
import { formatProblem } from '../errors';
import type { OfficeConfig } from '../config/types';
import { localizeInstants } from '../render/helpers/staff-time';
import { readStatusSnapshot, UPCOMING_STATES } from '../app/status-snapshot';
import type { StoredAccountReport } from '../app/account-watch';
import { getChannelToken } from '../store/channel-tokens';
import { getCurrentRevision, listRevisions } from '../store/config-revisions';
import { listPosts } from '../store/ledger';
import type { Store } from '../store/open';
import type { LedgerPost, PostState } from '../store/types';
import type { PostKind } from '../plan/types';
import { officeOf, type ConsoleOffice } from './office-input';
import { sortTasks, taskText, type StaffTask, type StaffTaskKind } from './staff-tasks';
import { dailyCapUsage, monthOf, xCostThisMonth, type DailyCapView, type XCostView } from './usage';

/** Platforms whose tokens expire and are kept in the token vault (Meta's 60-day tokens): their expiry is a staff task. */
const EXPIRING_TOKEN_PLATFORMS: ReadonlySet<string> = new Set(['instagram', 'threads']);
import { byChannelOrder, channelRef, ledgerPostView, staffTime, type ChannelPostView, type ConsoleLang, type StaffTime } from './view-parts';

const DAY_MS = 86_400_000;

export interface DashboardOptions {
  now: Date;
  lang?: ConsoleLang;
  /** Next posts shown (each with all its channels); default 10. */
  nextLimit?: number;
  /** Published posts shown; default 10. */
  recentLimit?: number;
  /** Failed and expired posts due this many days back still need staff; default 7. */
  attentionDays?: number;
  /** Days ahead looked at for daily caps; default 7. */
  capLookaheadDays?: number;
}

/** One announcement (or digest) at one due time, on every channel it goes to. */
export interface NextPostView {
  /** `rule|subject|due ms`: stable while the post is. */
  id: string;
  dueAt: StaffTime;
  /** Milliseconds from `now` to the due time (negative: overdue, still before its deadline). */
  countdownMs: number;
  ruleId: string;
  kind: PostKind;
  releaseId: string | null;
  /** The release id or `digest:FROM..TO`. */
  subject: string;
  channels: ChannelPostView[];
}

export interface DashboardView {
  officeId: string;
  officeName: string;
  zone: string;
  lang: ConsoleLang;
  now: StaffTime;
  next: NextPostView[];
  /** Published, latest first, each with the link to the live post when there is one. */
  recent: ChannelPostView[];
  /** Most urgent first. */
  needsStaff: StaffTask[];
  dailyCaps: DailyCapView[];
  /** Null when the office posts to no X channel. */
  xCost: XCostView | null;
  /** Rows of the office in each ledger state (superseded revisions included). */
  counts: Record<PostState, number>;
}

export async function buildDashboard(store: Store, input: ConsoleOffice, options: DashboardOptions): Promise<DashboardView> {
  const office = officeOf(input);
  const { now } = options;
  const lang = options.lang ?? 'id';
  const zone = office.timezone;
  const nextLimit = options.nextLimit ?? 10;
  const officeId = office.id;
  const month = monthOf(now, zone);
  const capTo = new Date(now.getTime() + (options.capLookaheadDays ?? 7) * DAY_MS);
  const lookFrom = new Date(Math.min(month.start.getTime(), now.getTime() - DAY_MS) - DAY_MS);
  const attentionFrom = new Date(now.getTime() - (options.attentionDays ?? 7) * DAY_MS);

  // Each next post goes to several channels: enough rows for `nextLimit` of them.
  const upcomingRows = (nextLimit + 1) * Math.max(1, office.channels.length);
  const [snapshot, published, pending, failed, unknown, current, revisions, tokens] = await Promise.all([
    readStatusSnapshot(store, { officeId, now, limits: { upcoming: upcomingRows, recent: options.recentLimit ?? 10, failures: 0 } }),
    listPosts(store, { officeId, states: ['published'], from: lookFrom }),
    listPosts(store, { officeId, states: [...UPCOMING_STATES, 'unknown'], from: new Date(now.getTime() - DAY_MS), to: new Date(Math.max(capTo.getTime(), month.end.getTime())) }),
    listPosts(store, { officeId, states: ['dead', 'expired'], from: attentionFrom, order: 'desc' }),
    listPosts(store, { officeId, states: ['unknown'], order: 'desc' }),
    getCurrentRevision(store, officeId),
    listRevisions(store, { officeId, limit: 20 }),
    Promise.all(office.channels.filter((channel) => EXPIRING_TOKEN_PLATFORMS.has(channel.platform)).map(async (channel) => ({ channel, row: await getChannelToken(store, channel.id) }))),
  ]);

  const postView = (post: LedgerPost): ChannelPostView => ledgerPostView(office, post, { zone, now, lang });

  const tasks: StaffTask[] = [];
  const task = (kind: StaffTaskKind, severity: StaffTask['severity'], params: Record<string, string>, extra: Omit<StaffTask, 'kind' | 'severity' | 'title' | 'action'>): void => {
    tasks.push({ kind, severity, ...taskText(kind, params, lang), ...extra });
  };
  for (const post of [...unknown, ...failed]) {
    const kind: StaffTaskKind = post.state === 'unknown' ? 'post-unknown' : post.state === 'dead' ? 'post-dead' : 'post-expired';
    const view = postView(post);
    task(kind, post.state === 'unknown' ? 'warning' : 'error', { rule: post.ruleId, channel: view.label, due: view.dueAt.text }, {
      details: view.lastError ? [view.lastError] : [],
      postId: post.id,
      channelId: post.channelId,
      at: view.dueAt,
    });
  }
  configTasks(current, revisions, { zone, now, lang }).forEach((each) => tasks.push(each));
  accountTasks(office, snapshot.accounts, tokens, { zone, now, lang }).forEach((each) => tasks.push(each));

  const dailyCaps = dailyCapUsage(
    office,
    published.filter((post) => (post.publishedAt ?? post.dueAt).getTime() > now.getTime() - DAY_MS),
    pending.filter((post) => post.dueAt < capTo),
    zone,
    now,
  );
  for (const cap of dailyCaps) {
    if (cap.level === 'ok' || !cap.from) continue;
    task(cap.level === 'over' ? 'daily-cap-over' : 'daily-cap-near', cap.level === 'over' ? 'error' : 'warning', { channel: cap.label, count: String(cap.busiest), cap: String(cap.cap), at: cap.from.text }, {
      details: [],
      channelId: cap.channelId,
      at: cap.from,
    });
  }
  const xCost = xCostThisMonth(office, { published, pending: pending.filter((post) => post.state !== 'unknown') }, { zone, now, lang, ...(input.templates ? { templates: input.templates } : {}) });
  if (xCost && xCost.postsWithUrl > 0) {
    task('x-link-cost', 'warning', { count: String(xCost.postsWithUrl), perUrl: xCost.perPostWithUrl.toFixed(2), perPost: xCost.perPost.toFixed(3) }, { details: [] });
  }

  return {
    officeId,
    officeName: office.name,
    zone,
    lang,
    now: staffTime(now, zone, now),
    next: groupNext(office, snapshot.upcoming.map(postView), snapshot.upcoming, now, snapshot.upcoming.length === upcomingRows).slice(0, nextLimit),
    recent: snapshot.recent.map(postView),
    needsStaff: sortTasks(tasks),
    dailyCaps,
    xCost,
    counts: snapshot.states,
  };
}

/** Posts of one rule about one subject due at one moment are one announcement on several channels. */
function groupNext(office: OfficeConfig, views: ChannelPostView[], posts: readonly LedgerPost[], now: Date, cut: boolean): NextPostView[] {
  const groups = new Map<string, NextPostView>();
  posts.forEach((post, index) => {
    const id = `${post.ruleId}|${post.subject}|${post.dueAt.getTime()}`;
    let group = groups.get(id);
    if (!group) {
      group = { id, dueAt: views[index]!.dueAt, countdownMs: post.dueAt.getTime() - now.getTime(), ruleId: post.ruleId, kind: post.kind, releaseId: post.releaseId, subject: post.subject, channels: [] };
      groups.set(id, group);
    }
    group.channels.push(views[index]!);
  });
  // A query that hit its limit may have cut the last announcement short of some of its channels: never show it half.
  const list = [...groups.values()];
  if (cut && list.length > 1) list.pop();
  list.forEach((group) => group.channels.sort(byChannelOrder(office)));
  return list;
}

type RevisionSummary = Awaited<ReturnType<typeof listRevisions>>[number];

/** The newest edit rejected since the current revision, and the current revision's warnings. */
function configTasks(current: Awaited<ReturnType<typeof getCurrentRevision>>, revisions: RevisionSummary[], env: { zone: string; now: Date; lang: ConsoleLang }): StaffTask[] {
  const tasks: StaffTask[] = [];
  const rejected = revisions.find((revision) => !revision.valid && (current === undefined || revision.id > current.id));
  if (rejected) {
    const errors = rejected.problems.filter((problem) => problem.severity === 'error');
    const at = staffTime(rejected.createdAt, env.zone, env.now);
    const text = taskText('config-rejected', { revision: String(rejected.id), author: rejected.author, at: at.text, current: current ? String(current.id) : '-' }, env.lang);
    tasks.push({ kind: 'config-rejected', severity: 'error', ...text, details: errors.map((problem) => formatProblem(problem)), revisionId: rejected.id, at });
  }
  const warnings = current?.problems.filter((problem) => problem.severity === 'warning') ?? [];
  if (current && warnings.length > 0) {
    const text = taskText('config-warning', { revision: String(current.id), count: String(warnings.length) }, env.lang);
    tasks.push({ kind: 'config-warning', severity: 'warning', ...text, details: warnings.map((problem) => localizeInstants(formatProblem(problem), env.zone, env.now)), revisionId: current.id, at: staffTime(current.createdAt, env.zone, env.now) });
  }
  return tasks;
}

/**
 * Token expiry (the shared token row, else the last account check's report)
 * and every other problem the last account check of the office's channels found.
 */
function accountTasks(
  office: OfficeConfig,
  reports: readonly StoredAccountReport[],
  tokens: readonly { channel: OfficeConfig['channels'][number]; row: Awaited<ReturnType<typeof getChannelToken>> }[],
  env: { zone: string; now: Date; lang: ConsoleLang },
): StaffTask[] {
  const tasks: StaffTask[] = [];
  const reportOf = new Map(reports.map((report) => [report.channelId, report]));
  for (const { channel, row } of tokens) {
    const expiresAt = row?.expiresAt ?? (reportOf.get(channel.id)?.tokenExpiresAt ? new Date(reportOf.get(channel.id)!.tokenExpiresAt!) : null);
    if (!expiresAt) continue;
    const left = expiresAt.getTime() - env.now.getTime();
    if (left > TOKEN_WARNING_MS) continue;
    const ref = channelRef(office, channel.id);
    const at = staffTime(expiresAt, env.zone, env.now);
    const kind: StaffTaskKind = left <= 0 ? 'token-expired' : 'token-expiring';
    const text = taskText(kind, { channel: ref.label, at: at.text, days: String(Math.ceil(left / DAY_MS)), variable: channel.credentials.accessToken ?? 'IG_ACCESS_TOKEN' }, env.lang);
    tasks.push({ kind, severity: left <= 0 ? 'error' : 'warning', ...text, details: [], channelId: channel.id, at });
  }
  for (const channel of office.channels) {
    const report = reportOf.get(channel.id);
    if (!report || report.problems.length === 0) continue;
    const at = staffTime(new Date(report.checkedAt), env.zone, env.now);
    const text = taskText('account-problem', { channel: channelRef(office, channel.id).label, at: at.text }, env.lang);
    tasks.push({ kind: 'account-problem', severity: 'warning', ...text, details: report.problems.map((line) => localizeInstants(line, env.zone, env.now)), channelId: channel.id, at });
  }
  return tasks;
}
