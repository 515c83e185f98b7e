/**
 * The approval page's data in the request's words: the queue
 * (console/approval-queue.ts) as weeks of posts, each with its cut-off, its
 * caption and cards, its state of approval and the form values that bind an
 * approval to what is shown (`ID.REVISION.CONTENTHASH`).
 */
import type { ApprovalQueue, ApprovalView, ApprovalWeek, QueuePost } from '../../../console/approval-queue';
import { currentPost } from '../../../console/approval-actions';
import { channelOf } from '../../../console/approval-queue';
import { stateLabel, staffTime, type ConsoleLang } from '../../../console/view-parts';
import type { OfficeConfig } from '../../../config/types';
import { formatDateRange } from '../../../render/helpers/format';
import type { Store } from '../../../store/open';
import { toLocal } from '../../../time/zone';
import type { Translate } from '../../i18n';
import type { ApprovalResult } from './approval-result';

/** `ID.REVISION.CONTENTHASH`: a post as the approver saw it. */
export function shownValue(post: Pick<QueuePost, 'id' | 'revision' | 'contentHash'>): string {
  return `${post.id}.${post.revision}.${post.contentHash}`;
}

export const SHOWN_VALUE = /^([A-Za-z0-9_-]{1,100})\.(\d{1,9})\.([0-9a-f]{64})$/;

interface ViewEnv {
  officeId: string;
  zone: string;
  t: Translate;
  lang: ConsoleLang;
  canApprove: boolean;
}

export function weeksData(queue: ApprovalQueue, env: ViewEnv): Record<string, unknown>[] {
  return queue.weeks.map((week) => weekData(week, env));
}

function weekData(week: ApprovalWeek, env: ViewEnv): Record<string, unknown> {
  const { t } = env;
  const range = formatDateRange(week.start, week.end, { locale: env.lang === 'id' ? 'id' : 'en-GB', zone: 'UTC' });
  const notRendered = week.awaitingCount - week.approvable.length;
  return {
    id: `minggu-${week.start}`,
    heading: t(week.thisWeek ? 'approvals.week.this' : 'approvals.week.other', { range }),
    countText: t('approvals.week.count', { awaiting: week.awaitingCount, approved: week.posts.length - week.awaitingCount }),
    approveAll: env.canApprove && week.approvable.length > 0 ? { label: t('approvals.week.approveAll', { count: week.approvable.length }), values: week.approvable.map(shownValue) } : null,
    notRenderedText: notRendered > 0 ? t('approvals.week.notRendered', { count: notRendered }) : null,
    posts: week.posts.map((post) => postData(post, env)),
  };
}

function postData(post: QueuePost, env: ViewEnv): Record<string, unknown> {
  const { t } = env;
  const base = `/admin/o/${encodeURIComponent(env.officeId)}`;
  const dueDate = toLocal(new Date(post.dueAt.iso), env.zone).date;
  const awaiting = post.status === 'awaiting';
  return {
    id: post.id,
    anchor: `p-${post.id}`,
    revision: post.revision,
    awaiting,
    heading: t('approvals.post.heading', { rule: post.ruleId, channel: post.label }),
    subject: post.subject,
    statusLabel: t(awaiting ? 'approvals.status.awaiting' : 'approvals.status.approved'),
    dueText: t('approvals.post.due', { time: post.dueAt.text }),
    dueIso: post.dueAt.iso,
    cutoffText: awaiting && post.cutoffPassed ? t('approvals.post.cutoffPassed', { time: post.approveBy.text }) : t('approvals.post.cutoff', { time: post.approveBy.text }),
    cutoffPassed: awaiting && post.cutoffPassed,
    cutoffIso: post.approveBy.iso,
    stillText: awaiting && post.cutoffPassed && post.deadline ? t('approvals.post.stillUntil', { time: post.deadline.text }) : null,
    notRenderedText: post.renderedFrom ? t('approvals.post.notRendered', { time: post.renderedFrom.text }) : null,
    previousText: previousText(post.previous, t),
    approvedText: post.approval ? t('approvals.post.approvedBy', { name: post.approval.approver, time: post.approval.approvedAt.text }) : null,
    caption: post.caption,
    cards: post.cards.map((card) => ({
      src: `${base}/posts/${post.id}/card/${card.position}${post.contentHash ? `?v=${post.contentHash}` : ''}`,
      alt: card.alt,
      width: card.width,
      height: card.height,
    })),
    previewUrl: `${base}/preview?from=${dueDate}&to=${dueDate}`,
    detailUrl: `${base}/posts/${post.id}`,
    approveValue: env.canApprove && awaiting && post.rendered && post.contentHash ? shownValue(post) : null,
    canRevoke: env.canApprove && !awaiting,
    history: post.history.length > 0 ? { title: t('approvals.history.title', { count: post.history.length }), rows: post.history.map((record) => historyRow(record, t)) } : null,
  };
}

function previousText(previous: QueuePost['previous'], t: Translate): string | null {
  if (!previous) return null;
  if (previous.why === 'revoked') return t('approvals.post.revokedSince', { name: previous.approver, by: previous.revokedBy ?? '', time: previous.revokedAt?.text ?? '' });
  return t('approvals.post.changedSince', { name: previous.approver, time: previous.approvedAt.text });
}

function historyRow(record: ApprovalView, t: Translate): Record<string, unknown> {
  return {
    revision: record.revision,
    approver: record.approver,
    at: record.approvedAt,
    revoked: record.revokedBy ? t('approvals.history.revokedBy', { name: record.revokedBy, time: record.revokedAt?.text ?? '' }) : null,
    standing: record.standing,
  };
}

/** The result of the last form post, in words, each refused post named as staff know it. */
export async function resultData(store: Store, result: ApprovalResult | null, env: { officeId: string; zone: string; office?: OfficeConfig; now: Date; lang: ConsoleLang; t: Translate }): Promise<Record<string, unknown> | null> {
  if (!result) return null;
  const { t } = env;
  const describe = async (postId: string, refusal: string): Promise<string> => {
    const post = await currentPost(store, postId);
    const mine = post && post.officeId === env.officeId ? post : undefined;
    const name = mine
      ? t('approvals.result.post', { rule: mine.ruleId, channel: channelOf(env, mine.channelId).label, due: staffTime(mine.dueAt, env.zone, env.now).text })
      : t('approvals.result.unknownPost', { id: postId });
    return `${name}: ${t(`approvals.refusal.${refusal}`, { state: mine ? stateLabel(mine.state, env.lang) : '' })}`;
  };
  const refused = [];
  for (const entry of result.refused) refused.push(await describe(entry.postId, entry.refusal));
  const lines: string[] = [];
  if (result.revoke === null) {
    lines.push(t('approvals.result.approved', { count: result.approved }));
    if (result.already > 0) lines.push(t('approvals.result.already', { count: result.already }));
  }
  return {
    ok: lines,
    revoked: result.revoke !== null && result.revoke.refusal === null ? t('approvals.result.revoked') : null,
    revokeRefused: result.revoke?.refusal ? { title: t('approvals.result.revokeRefused'), item: await describe(result.revoke.postId, result.revoke.refusal) } : null,
    refused: refused.length > 0 ? { title: t('approvals.result.refused', { count: refused.length }), items: refused } : null,
  };
}
