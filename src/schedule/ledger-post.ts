/** Conversions between ledger rows and what the renderer and channels take. */
import type { PublishRequest } from '../channels/channel';
import type { PlannedPost, PostFacts } from '../plan/types';
import type { RenderedPost } from '../render/types';
import type { LedgerPost } from '../store/types';

export function plannedFromLedger(post: LedgerPost): PlannedPost {
  return {
    id: post.id,
    officeId: post.officeId,
    ruleId: post.ruleId,
    channelId: post.channelId,
    kind: post.kind,
    releaseId: post.releaseId,
    subject: post.subject,
    template: post.template,
    dueAt: post.dueAt,
    deadline: post.deadline,
    fingerprint: post.fingerprint,
    facts: JSON.parse(post.factsJson) as PostFacts,
  };
}

export function requestFor(post: LedgerPost, mediaRoot: string): PublishRequest {
  if (post.renderedJson === null) throw new Error(`post ${post.id} was claimed before it was rendered`);
  return {
    postId: post.id,
    officeId: post.officeId,
    channelId: post.channelId,
    kind: post.kind,
    ruleId: post.ruleId,
    releaseId: post.releaseId,
    scheduledAt: post.dueAt,
    deadline: post.deadline,
    post: JSON.parse(post.renderedJson) as RenderedPost,
    mediaRoot,
  };
}

/** Where a post revision's media live, relative to the media root. */
export function mediaDirFor(post: Pick<LedgerPost, 'id' | 'revision' | 'channelId'>): string {
  return `media/${post.id}/r${post.revision}`;
}
