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
    revision: post.revision,
    officeId: post.officeId,
    channelId: post.channelId,
    kind: post.kind,
    ruleId: post.ruleId,
    releaseId: post.releaseId,
    scheduledAt: post.dueAt,
    deadline: post.deadline,
    post: JSON.parse(post.renderedJson) as RenderedPost,
    facts: JSON.parse(post.factsJson) as PostFacts,
    mediaRoot,
  };
}

/**
 * Where a post revision's media live, relative to the media root: under its
 * office's own folder (`media/<office>/<post>/r<revision>`), so one office's
 * cards can be listed, copied or removed without touching the others'. Cards
 * rendered before this rule (`media/<post>/r<revision>`) keep their paths: the
 * rendering records the path it wrote, and every reader (the card reader, the
 * media server, the card bytes in the database) goes by that record.
 */
export function mediaDirFor(post: Pick<LedgerPost, 'id' | 'revision' | 'officeId'>): string {
  return `media/${post.officeId}/${post.id}/r${post.revision}`;
}
