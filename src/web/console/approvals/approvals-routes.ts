/**
 * `GET /admin/o/:office/approvals` (viewers see), `POST …/approvals/approve`
 * and `POST …/approvals/revoke` (approvers act). Each form post is audited,
 * then redirects back to the page with what happened (approval-result.ts).
 *
 * An approval names exactly what was shown: each post as
 * `ID.REVISION.CONTENTHASH`, so a post rendered again or re-planned after the
 * page was shown is refused, never approved unseen.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { approveShownPosts, revokeShownApproval, type ShownPost } from '../../../console/approval-actions';
import { buildApprovalQueue } from '../../../console/approval-queue';
import { officeOf } from '../../../console/office-input';
import { appendAudit } from '../../../store/audit-log';
import { hasRole, requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { clientIp, currentOffice, currentUser } from '../../request-context';
import { approveResultQuery, POST_ID, readApprovalResult, revokeResultQuery, type ApprovalResultQuery } from './approval-result';
import { resultData, SHOWN_VALUE, weeksData } from './approvals-view';

/** More than a few weeks of an office's posts; a bigger form is not ours. */
const MAX_POSTS = 500;

/** The form's fields, read after the guard (a schema would answer a stranger 400 before the guard sends them to sign in). */
interface FormBody {
  post?: unknown;
  revision?: unknown;
}

export function registerApprovalRoutes(app: FastifyInstance, web: WebContext): void {
  app.get<{ Querystring: ApprovalResultQuery }>('/admin/o/:office/approvals', { config: { access: requireRole('viewer') } }, async (request, reply) => {
    const office = currentOffice(request);
    const now = web.clock.now();
    const load = await web.officeConfig(office.id);
    const config = load.status === 'loaded' ? officeOf(load.office) : undefined;
    const canApprove = hasRole(currentUser(request), office.id, 'approver');
    const queue = await buildApprovalQueue(web.store, { officeId: office.id, zone: office.timezone, ...(config ? { office: config } : {}), now });
    const env = { officeId: office.id, zone: office.timezone, lang: request.lang, t: request.t, now, ...(config ? { office: config } : {}) };
    return renderPage(request, reply, 'console/approvals/approvals.hbs', {
      title: request.t('approvals.title', { office: office.name }),
      approveUrl: `${approvalsUrl(office.id)}/approve`,
      revokeUrl: `${approvalsUrl(office.id)}/revoke`,
      // Unknown without a loaded config: the explanation is for an office known to run without approval.
      approvalOff: config !== undefined && config.approval === undefined,
      broken: load.status === 'broken',
      canApprove,
      weeks: weeksData(queue, { ...env, canApprove }),
      result: await resultData(web.store, readApprovalResult(request.query), env),
    });
  });

  app.post<{ Body: FormBody | undefined }>('/admin/o/:office/approvals/approve', { config: { access: requireRole('approver') } }, async (request, reply) => {
    const office = currentOffice(request);
    const now = web.clock.now();
    const posts = parseShown(request.body?.post);
    const results = await approveShownPosts(web.store, { officeId: office.id, posts, approver: currentUser(request).name, now });
    await audit(web, request, 'approvals.approve', {
      posts: posts.map((shown, index) => ({ ...shown, ...results[index] })),
    });
    return reply.redirect(`${approvalsUrl(office.id)}?${approveResultQuery(results)}`, 303);
  });

  app.post<{ Body: FormBody | undefined }>('/admin/o/:office/approvals/revoke', { config: { access: requireRole('approver') } }, async (request, reply) => {
    const office = currentOffice(request);
    const postId = request.body?.post;
    const revisionText = request.body?.revision;
    if (typeof postId !== 'string' || !POST_ID.test(postId) || typeof revisionText !== 'string' || !/^[0-9]{1,9}$/.test(revisionText)) throw new HttpError(400, 'error.400');
    const revision = Number(revisionText);
    const result = await revokeShownApproval(web.store, { officeId: office.id, postId, revision, revoker: currentUser(request).name, now: web.clock.now() });
    await audit(web, request, 'approvals.revoke', {
      postId,
      revision,
      outcome: result.outcome,
      ...(result.outcome === 'refused' ? { refusal: result.refusal } : { revoked: result.revoked.map((record) => ({ approver: record.approver, approvedAt: record.approvedAt.toISOString(), contentHash: record.contentHash })) }),
    });
    return reply.redirect(`${approvalsUrl(office.id)}?${revokeResultQuery(postId, result)}`, 303);
  });
}

function approvalsUrl(officeId: string): string {
  return `/admin/o/${encodeURIComponent(officeId)}/approvals`;
}

/** The form's `post` values; one malformed value makes the whole form a bad request (nothing approved). */
function parseShown(value: unknown): ShownPost[] {
  const values: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (values.length === 0 || values.length > MAX_POSTS) throw new HttpError(400, 'error.400');
  const seen = new Set<string>();
  const posts: ShownPost[] = [];
  for (const each of values) {
    const match = typeof each === 'string' ? SHOWN_VALUE.exec(each) : null;
    if (!match) throw new HttpError(400, 'error.400');
    if (seen.has(match[1]!)) continue;
    seen.add(match[1]!);
    posts.push({ id: match[1]!, revision: Number(match[2]), contentHash: match[3]! });
  }
  return posts;
}

function audit(web: WebContext, request: FastifyRequest, action: string, detail: Record<string, unknown>): Promise<void> {
  return appendAudit(web.store, { userName: currentUser(request).name, officeId: currentOffice(request).id, action, detail, ip: clientIp(request) }, web.clock.now());
}
