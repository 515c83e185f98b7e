/**
 * One post of one office as the console's post page shows it: the current
 * revision (state, times, caption and cards, last error), every revision,
 * every attempt, the approval history and what staff did. Reads only.
 */
import type { OfficeConfig } from '../config/types';
import { localizeInstants } from '../render/helpers/staff-time';
import { getApprovalHistory } from '../store/approvals';
import { getAttempts, getPostHistory } from '../store/ledger';
import type { Store } from '../store/open';
import { getPostActions, type PostAction } from '../store/post-actions';
import type { LedgerPost, PostState } from '../store/types';
import { channelOf } from './approval-queue';
import { actionsFor } from './post-action-run';
import { renderedContent, type RenderedCardView } from './rendered-content';
import { livePostLink, stateLabel, staffTime, type ChannelRef, type ConsoleLang, type StaffTime } from './view-parts';

export interface RevisionView {
  revision: number;
  state: PostState;
  stateLabel: string;
  current: boolean;
  dueAt: StaffTime;
  createdAt: StaffTime;
  updatedAt: StaffTime;
}

export interface AttemptView {
  revision: number;
  attempt: number;
  owner: string;
  startedAt: StaffTime;
  finishedAt: StaffTime | null;
  /** Null while in flight. */
  outcome: string | null;
  error: string | null;
  remoteId: string | null;
}

export interface PostApprovalView {
  revision: number;
  approver: string;
  approvedAt: StaffTime;
  revokedBy: string | null;
  revokedAt: StaffTime | null;
  /** Approves the current revision's present content, not revoked. */
  standing: boolean;
}

export interface PostActionView {
  action: PostAction;
  actor: string;
  at: StaffTime;
  revision: number;
  fromState: PostState;
  fromLabel: string;
  toState: PostState;
  toLabel: string;
  reason: string | null;
  url: string | null;
}

export interface PostDetail extends ChannelRef {
  id: string;
  officeId: string;
  revision: number;
  /** What its rendering shows (content-hash.ts); null until rendered. */
  contentHash: string | null;
  ruleId: string;
  kind: LedgerPost['kind'];
  subject: string;
  releaseId: string | null;
  state: PostState;
  stateLabel: string;
  dueAt: StaffTime;
  deadline: StaffTime | null;
  deadlinePassed: boolean;
  approveBy: StaffTime | null;
  nextAttemptAt: StaffTime | null;
  publishedAt: StaffTime | null;
  link: string | null;
  attempts: number;
  /** Its ISO times in office time. */
  lastError: string | null;
  caption: string | null;
  cards: RenderedCardView[];
  revisions: RevisionView[];
  attemptLog: AttemptView[];
  approvals: PostApprovalView[];
  actions: PostActionView[];
  /** What its state allows now. */
  available: PostAction[];
}

/** Null when the post does not exist or is another office's (the page says "not found" either way). */
export async function buildPostDetail(store: Store, input: { officeId: string; postId: string; zone: string; office?: OfficeConfig; now: Date; lang: ConsoleLang }): Promise<PostDetail | null> {
  const history = await getPostHistory(store, input.postId);
  const post = history.find((each) => each.state !== 'superseded') ?? history.at(-1);
  if (!post || post.officeId !== input.officeId) return null;
  const [attempts, approvals, actions] = await Promise.all([getAttempts(store, post.id), getApprovalHistory(store, post.id), getPostActions(store, post.id)]);
  const { zone, now, lang } = input;
  const time = (instant: Date): StaffTime => staffTime(instant, zone, now);
  const channel = channelOf(input, post.channelId);
  const content = renderedContent(post);
  return {
    ...channel,
    id: post.id,
    officeId: post.officeId,
    revision: post.revision,
    contentHash: post.contentHash,
    ruleId: post.ruleId,
    kind: post.kind,
    subject: post.subject,
    releaseId: post.releaseId,
    state: post.state,
    stateLabel: stateLabel(post.state, lang),
    dueAt: time(post.dueAt),
    deadline: post.deadline ? time(post.deadline) : null,
    deadlinePassed: post.deadline !== null && post.deadline <= now,
    approveBy: post.approveBy ? time(post.approveBy) : null,
    nextAttemptAt: post.state === 'retrying' && post.nextAttemptAt ? time(post.nextAttemptAt) : null,
    publishedAt: post.publishedAt ? time(post.publishedAt) : null,
    link: post.state === 'published' ? livePostLink(post, channel) : null,
    attempts: post.attempts,
    lastError: post.lastError === null ? null : localizeInstants(post.lastError, zone, now),
    caption: content?.caption ?? null,
    cards: content?.cards ?? [],
    revisions: [...history].reverse().map((each) => ({
      revision: each.revision,
      state: each.state,
      stateLabel: stateLabel(each.state, lang),
      current: each === post,
      dueAt: time(each.dueAt),
      createdAt: time(each.createdAt),
      updatedAt: time(each.updatedAt),
    })),
    attemptLog: attempts.map((attempt) => ({
      revision: attempt.revision,
      attempt: attempt.attempt,
      owner: attempt.owner,
      startedAt: time(attempt.startedAt),
      finishedAt: attempt.finishedAt ? time(attempt.finishedAt) : null,
      outcome: attempt.outcome,
      error: attempt.error === null ? null : localizeInstants(attempt.error, zone, now),
      remoteId: attempt.remoteId,
    })),
    approvals: approvals.map((record) => ({
      revision: record.revision,
      approver: record.approver,
      approvedAt: time(record.approvedAt),
      revokedBy: record.revokedBy,
      revokedAt: record.revokedAt ? time(record.revokedAt) : null,
      standing: record.revokedAt === null && record.revision === post.revision && record.contentHash === post.contentHash,
    })),
    actions: actions.map((record) => ({
      action: record.action,
      actor: record.actor,
      at: time(record.at),
      revision: record.revision,
      fromState: record.fromState,
      fromLabel: stateLabel(record.fromState, lang),
      toState: record.toState,
      toLabel: stateLabel(record.toState, lang),
      reason: typeof record.detail?.reason === 'string' ? record.detail.reason : null,
      url: typeof record.detail?.url === 'string' ? record.detail.url : null,
    })),
    available: post.state === 'superseded' ? [] : actionsFor(post, now),
  };
}
