/**
 * The approval page of one office (`settings.approval`): its pending posts
 * that need approval, by week of their due time (this week first; an overdue
 * post still before its deadline counts in this week), each awaiting approval
 * or approved, with its caption, cards, cut-off and approval history. Reads
 * the ledger; writes nothing (approval-actions.ts writes).
 *
 * "Awaiting" is what the claim's own condition says (listAwaitingApproval):
 * a post shown as approved is one the bot will send.
 */
import type { OfficeConfig } from '../config/types';
import { getApprovalHistories, standingApprovalIn } from '../store/approval-history';
import { listAwaitingApproval, type ApprovalRecord } from '../store/approvals';
import { APPROVAL_RENDER_LEAD_MS, listPosts } from '../store/ledger';
import type { Store } from '../store/open';
import { PENDING_STATES, type LedgerPost } from '../store/types';
import { addDays, weekdayOf, type PlainDate } from '../time/plain-date';
import { toLocal } from '../time/zone';
import { renderedContent, type RenderedCardView } from './rendered-content';
import { channelRef, staffTime, type ChannelRef, type StaffTime } from './view-parts';

const DAY_MS = 86_400_000;
/** Looked back: an overdue post waits for approval until its deadline (usually an hour or so). */
const LOOK_BACK_MS = 7 * DAY_MS;
/** Looked ahead: past any planning horizon in use (35 days by default). */
const LOOK_AHEAD_MS = 70 * DAY_MS;

export interface ApprovalView {
  approver: string;
  approvedAt: StaffTime;
  revision: number;
  revokedBy: string | null;
  revokedAt: StaffTime | null;
  /** It approves the post's present revision and content (and is not revoked). */
  standing: boolean;
}

export interface QueuePost extends ChannelRef {
  id: string;
  revision: number;
  /** What the approver sees; null until rendered. */
  contentHash: string | null;
  ruleId: string;
  kind: LedgerPost['kind'];
  subject: string;
  dueAt: StaffTime;
  /** The cut-off: approve before this. */
  approveBy: StaffTime;
  /** The cut-off has passed: it is held (and staff alerted), still approvable until its deadline. */
  cutoffPassed: boolean;
  deadline: StaffTime | null;
  status: 'awaiting' | 'approved';
  rendered: boolean;
  /** Not rendered yet: rendered for review from about this time. */
  renderedFrom: StaffTime | null;
  caption: string | null;
  cards: RenderedCardView[];
  /** The approval it goes out with (status `approved`). */
  approval: ApprovalView | null;
  /** Awaiting, after an earlier approval: the post changed since, or the approval was revoked. */
  previous: (ApprovalView & { why: 'changed' | 'revoked' }) | null;
  history: ApprovalView[];
}

export interface ApprovalWeek {
  /** Monday and Sunday, office-local. */
  start: PlainDate;
  end: PlainDate;
  thisWeek: boolean;
  posts: QueuePost[];
  /** Awaiting and rendered: what "approve this week's set" approves. */
  approvable: QueuePost[];
  /** Awaiting, rendered or not. */
  awaitingCount: number;
}

export interface ApprovalQueue {
  weeks: ApprovalWeek[];
  awaitingCount: number;
}

export interface QueueInput {
  officeId: string;
  zone: string;
  /** The office's loaded config, for channel names; absent when its revision does not load. */
  office?: OfficeConfig;
  now: Date;
}

export async function buildApprovalQueue(store: Store, input: QueueInput): Promise<ApprovalQueue> {
  const { officeId, zone, now } = input;
  const from = new Date(now.getTime() - LOOK_BACK_MS);
  const to = new Date(now.getTime() + LOOK_AHEAD_MS);
  const [awaiting, pending] = await Promise.all([
    listAwaitingApproval(store, { officeId, from, to }),
    listPosts(store, { officeId, states: [...PENDING_STATES], from, to }),
  ]);
  const awaitingIds = new Set(awaiting.map((each) => `${each.post.id}:${each.post.revision}`));
  // Past its deadline it will expire, whatever anyone approves.
  const posts = pending.filter((post) => post.approveBy !== null && (post.deadline === null || post.deadline > now));
  const histories = await getApprovalHistories(
    store,
    posts.map((post) => post.id),
  );

  const thisWeek = weekStart(toLocal(now, zone).date);
  const weeks = new Map<PlainDate, ApprovalWeek>();
  for (const post of posts) {
    const view = queuePost(post, awaitingIds.has(`${post.id}:${post.revision}`), histories.get(post.id) ?? [], input);
    const dueWeek = weekStart(toLocal(post.dueAt, zone).date);
    const start = dueWeek < thisWeek ? thisWeek : dueWeek;
    let week = weeks.get(start);
    if (!week) {
      week = { start, end: addDays(start, 6), thisWeek: start === thisWeek, posts: [], approvable: [], awaitingCount: 0 };
      weeks.set(start, week);
    }
    week.posts.push(view);
    if (view.status === 'awaiting') {
      week.awaitingCount += 1;
      if (view.rendered) week.approvable.push(view);
    }
  }
  const list = [...weeks.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { weeks: list, awaitingCount: list.reduce((sum, week) => sum + week.awaitingCount, 0) };
}

function queuePost(post: LedgerPost, awaiting: boolean, history: readonly ApprovalRecord[], input: QueueInput): QueuePost {
  const { zone, now } = input;
  const time = (instant: Date): StaffTime => staffTime(instant, zone, now);
  const approvalView = (record: ApprovalRecord): ApprovalView => ({
    approver: record.approver,
    approvedAt: time(record.approvedAt),
    revision: record.revision,
    revokedBy: record.revokedBy,
    revokedAt: record.revokedAt ? time(record.revokedAt) : null,
    standing: record.revokedAt === null && record.revision === post.revision && record.contentHash === post.contentHash,
  });
  const content = renderedContent(post);
  const standing = standingApprovalIn(history, post);
  const last = history.at(-1);
  const approveBy = post.approveBy!;
  return {
    ...channelOf(input, post.channelId),
    id: post.id,
    revision: post.revision,
    contentHash: post.contentHash,
    ruleId: post.ruleId,
    kind: post.kind,
    subject: post.subject,
    dueAt: time(post.dueAt),
    approveBy: time(approveBy),
    cutoffPassed: approveBy <= now,
    deadline: post.deadline ? time(post.deadline) : null,
    status: awaiting || !standing ? 'awaiting' : 'approved',
    rendered: content !== null,
    renderedFrom: content === null ? time(new Date(approveBy.getTime() - APPROVAL_RENDER_LEAD_MS)) : null,
    caption: content?.caption ?? null,
    cards: content?.cards ?? [],
    approval: !awaiting && standing ? approvalView(standing) : null,
    previous: awaiting && last ? { ...approvalView(last), why: last.revokedAt === null ? 'changed' : 'revoked' } : null,
    history: history.map(approvalView),
  };
}

/** The channel as staff call it; without the office's config, its id without the office prefix. */
export function channelOf(input: { officeId: string; office?: OfficeConfig }, channelId: string): ChannelRef {
  if (input.office) return channelRef(input.office, channelId);
  const prefix = `${input.officeId}/`;
  return { channelId, label: channelId.startsWith(prefix) ? channelId.slice(prefix.length) : channelId, platform: 'generic', dryRun: false };
}

/** The Monday of `date`'s week (Indonesian calendars start on Monday). */
export function weekStart(date: PlainDate): PlainDate {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}
