/** The post pages' data in the request's words (console/post-detail.ts, console/post-list.ts). */
import type { PostActionRefusal } from '../../../console/post-action-run';
import type { PostDetail } from '../../../console/post-detail';
import type { PostListView } from '../../../console/post-list';
import type { PostAction } from '../../../store/post-actions';
import type { Translate } from '../../i18n';

const HINTED = new Set(['claimed', 'published', 'unknown']);
const OUTCOMES = new Set(['published', 'retrying', 'dead', 'unknown', 'reconciled', 'not-found']);

export function postListData(list: PostListView, env: { officeId: string; t: Translate }): Record<string, unknown> {
  const { t } = env;
  const base = `/admin/o/${encodeURIComponent(env.officeId)}/posts`;
  return {
    filters: list.counts.map((each) => ({ ...each, href: `${base}?state=${each.state}` })),
    tableCaption: t('posts.list.caption', { states: list.counts.filter((each) => each.selected).map((each) => each.label).join(', ') }),
    rows: list.rows.map((row) => ({ ...row, href: `${base}/${row.id}` })),
    moreText: list.more ? t('posts.list.more', { count: list.rows.length }) : null,
  };
}

interface PostPageEnv {
  officeId: string;
  t: Translate;
  canAct: boolean;
  done: PostAction | null;
  refused: { action: PostAction; refusal: PostActionRefusal } | null;
}

export function postPageData(post: PostDetail, env: PostPageEnv): Record<string, unknown> {
  const { t } = env;
  const base = `/admin/o/${encodeURIComponent(env.officeId)}`;
  const postUrl = `${base}/posts/${post.id}`;
  const actions = env.canAct
    ? post.available.map((action) => ({
        action,
        url: `${postUrl}/${action}`,
        label: t(`posts.action.${action}`),
        help: t(`posts.action.${action}.help`),
        withReason: action === 'skip',
        withUrl: action === 'posted-by-hand',
        // Skipping gives a post up: not the button the eye goes to first.
        primary: action !== 'skip',
      }))
    : [];
  return {
    post,
    listUrl: `${base}/posts`,
    approvalsUrl: post.approveBy ? `${base}/approvals` : null,
    done: env.done ? t(env.done === 'not-posted' && post.state === 'expired' ? 'posts.done.not-posted-expired' : `posts.done.${env.done}`) : null,
    refused: env.refused ? t('posts.refused', { action: t(`posts.action.${env.refused.action}`), reason: refusalText(post, env.refused.refusal, t) }) : null,
    deadlineText: post.deadline ? (post.deadlinePassed ? t('posts.field.deadlinePassed', { time: post.deadline.text }) : post.deadline.text) : null,
    cards: post.cards.map((card) => ({ ...card, src: `${postUrl}/card/${card.position}${post.contentHash ? `?v=${post.contentHash}` : ''}` })),
    actions,
    noActionsText: env.canAct && actions.length === 0 ? t('posts.noActions', { state: post.stateLabel }) : null,
    editorOnly: !env.canAct,
    revisionRows: post.revisions,
    attemptRows: post.attemptLog.map((attempt) => ({ ...attempt, outcomeText: t(attempt.outcome === null ? 'posts.outcome.running' : OUTCOMES.has(attempt.outcome) ? `posts.outcome.${attempt.outcome}` : attempt.outcome) })),
    approvalRows: post.approvals.map((record) => ({ ...record, revoked: record.revokedBy ? t('posts.appr.revokedBy', { name: record.revokedBy, time: record.revokedAt?.text ?? '' }) : null })),
    actionRows: post.actions.map((record) => ({
      ...record,
      actionText: t(`posts.log.${record.action}`),
      change: t('posts.log.change.text', { from: record.fromLabel, to: record.toLabel }),
    })),
  };
}

function refusalText(post: PostDetail, refusal: PostActionRefusal, t: Translate): string {
  return t(`posts.refusal.${refusal}`, {
    revision: post.revision,
    state: post.stateLabel,
    hint: t(HINTED.has(post.state) ? `posts.hint.${post.state}` : 'posts.hint.other'),
    deadline: post.deadline?.text ?? '',
  }).trim();
}
