/**
 * Which posts need a staff approval, and by when (`settings.approval`): the
 * cut-off is `hoursBefore` before the post is due. Pure, like the planner.
 */
import type { OfficeConfig } from '../config/types';
import type { PlannedPost } from './types';

const HOUR_MS = 3_600_000;

/** When `post` must be approved by, or null when its office and rule need no approval. */
export function approvalCutoff(office: Pick<OfficeConfig, 'approval'>, post: Pick<PlannedPost, 'ruleId' | 'dueAt'>): Date | null {
  const approval = office.approval;
  if (!approval) return null;
  if (approval.rules !== null && !approval.rules.includes(post.ruleId)) return null;
  return new Date(post.dueAt.getTime() - approval.hoursBefore * HOUR_MS);
}

/** `post` with its approval cut-off when it needs one (the field is left out otherwise). */
export function withApprovalCutoff(office: Pick<OfficeConfig, 'approval'>, post: PlannedPost): PlannedPost {
  const approveBy = approvalCutoff(office, post);
  return approveBy ? { ...post, approveBy } : post;
}
