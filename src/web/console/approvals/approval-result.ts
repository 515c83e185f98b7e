/**
 * What an approval form post did, carried to the page it redirects to (post →
 * redirect → get) in the query: counts, and each refused post as `ID.KIND`.
 * Only ids and refusal kinds travel, never text: the page words them from the
 * post as it is, and a hand-made query can show nothing but those words.
 */
import { APPROVAL_REFUSALS, type ApprovalRefusal, type ApproveResult, type RevokeResult } from '../../../console/approval-actions';

export const POST_ID = /^[A-Za-z0-9_-]{1,100}$/;

export interface ApprovalResultQuery {
  approved?: string;
  already?: string;
  refused?: string;
  revoked?: string;
  revokeRefused?: string;
}

export interface ApprovalResult {
  approved: number;
  already: number;
  refused: { postId: string; refusal: ApprovalRefusal }[];
  /** A revocation: done, or refused for this reason. */
  revoke: { postId: string; refusal: ApprovalRefusal | null } | null;
}

export function approveResultQuery(results: readonly ApproveResult[]): string {
  const params = new URLSearchParams();
  params.set('approved', String(results.filter((each) => each.outcome === 'approved').length));
  const already = results.filter((each) => each.outcome === 'already-approved').length;
  if (already > 0) params.set('already', String(already));
  const refused = results.flatMap((each) => (each.outcome === 'refused' ? [`${each.postId}.${each.refusal}`] : []));
  if (refused.length > 0) params.set('refused', refused.join(','));
  return params.toString();
}

export function revokeResultQuery(postId: string, result: RevokeResult): string {
  const params = new URLSearchParams();
  if (result.outcome === 'revoked') params.set('revoked', postId);
  else params.set('revokeRefused', `${postId}.${result.refusal}`);
  return params.toString();
}

/** Null when the query carries no result; anything malformed is left out. */
export function readApprovalResult(query: ApprovalResultQuery): ApprovalResult | null {
  if (query.approved === undefined && query.revoked === undefined && query.revokeRefused === undefined) return null;
  const count = (value: string | undefined): number => (value !== undefined && /^\d{1,5}$/.test(value) ? Number(value) : 0);
  const refused = (query.refused ?? '').split(',').flatMap((entry) => {
    const parsed = parseEntry(entry);
    return parsed ? [parsed] : [];
  });
  const revokeRefused = query.revokeRefused === undefined ? null : parseEntry(query.revokeRefused);
  const revoke = revokeRefused ? { postId: revokeRefused.postId, refusal: revokeRefused.refusal } : query.revoked !== undefined && POST_ID.test(query.revoked) ? { postId: query.revoked, refusal: null } : null;
  return { approved: count(query.approved), already: count(query.already), refused: refused.slice(0, 500), revoke };
}

function parseEntry(entry: string): { postId: string; refusal: ApprovalRefusal } | null {
  const dot = entry.lastIndexOf('.');
  if (dot < 1) return null;
  const postId = entry.slice(0, dot);
  const refusal = entry.slice(dot + 1) as ApprovalRefusal;
  return POST_ID.test(postId) && APPROVAL_REFUSALS.includes(refusal) ? { postId, refusal } : null;
}
