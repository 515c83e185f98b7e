/**
 * The post pages: `GET /admin/o/:office/posts?state=…` (a list), `GET
 * /admin/o/:office/posts/:postId` (one post: revisions, attempts, approvals,
 * staff actions), its card images `GET …/card/:n`, and the actions `POST
 * …/skip|retry|posted-by-hand|not-posted` (editors). Viewers see; editors act.
 *
 * A post is looked up by id and shown only when it is the URL's office's own:
 * another office's post id is 404 here (and that office's URL is 403 by the guard).
 * Each action is audited, then redirects back with what happened (`?done=` or
 * `?refused=ACTION.KIND`: kinds only, the words come from the post as it is).
 */
import type { FastifyInstance } from 'fastify';
import { currentPost } from '../../../console/approval-actions';
import { officeOf } from '../../../console/office-input';
import { POST_ACTION_REFUSALS, POST_ACTIONS, runPostAction, type PostActionRefusal } from '../../../console/post-action-run';
import { buildPostDetail } from '../../../console/post-detail';
import { buildPostList, parseStates } from '../../../console/post-list';
import { parseRendered } from '../../../console/rendered-content';
import type { OfficeConfig } from '../../../config/types';
import { sha256Hex } from '../../../render/card-hash';
import { appendAudit } from '../../../store/audit-log';
import { findCard } from '../../../store/card-store';
import type { PostAction } from '../../../store/post-actions';
import { hasRole, requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { clientIp, currentOffice, currentUser } from '../../request-context';
import { postListData, postPageData } from './post-view';

const POST_ID = /^[A-Za-z0-9_-]{1,100}$/;
const POSITION = /^[1-9][0-9]?$/;

/** An action form's fields, read after the guard (a schema would answer a stranger 400 before the guard sends them to sign in). */
interface ActionBody {
  revision?: unknown;
  reason?: unknown;
  url?: unknown;
}

interface PostParams {
  office: string;
  postId: string;
}

export function registerPostRoutes(app: FastifyInstance, web: WebContext): void {
  const officeConfig = async (officeId: string): Promise<OfficeConfig | undefined> => {
    const load = await web.officeConfig(officeId);
    return load.status === 'loaded' ? officeOf(load.office) : undefined;
  };

  app.get<{ Querystring: { state?: string | string[] } }>('/admin/o/:office/posts', { config: { access: requireRole('viewer') } }, async (request, reply) => {
    const office = currentOffice(request);
    const config = await officeConfig(office.id);
    const list = await buildPostList(web.store, {
      officeId: office.id,
      zone: office.timezone,
      ...(config ? { office: config } : {}),
      states: parseStates(request.query.state),
      now: web.clock.now(),
      lang: request.lang,
    });
    return renderPage(request, reply, 'console/posts/post-list.hbs', { title: request.t('posts.list.title', { office: office.name }), ...postListData(list, { officeId: office.id, t: request.t }) });
  });

  app.get<{ Params: PostParams; Querystring: { done?: string; refused?: string } }>('/admin/o/:office/posts/:postId', { config: { access: requireRole('viewer') } }, async (request, reply) => {
    const office = currentOffice(request);
    const { postId } = request.params;
    if (!POST_ID.test(postId)) throw new HttpError(404, 'error.404');
    const config = await officeConfig(office.id);
    const now = web.clock.now();
    const detail = await buildPostDetail(web.store, { officeId: office.id, postId, zone: office.timezone, ...(config ? { office: config } : {}), now, lang: request.lang });
    if (!detail) throw new HttpError(404, 'error.404');
    const data = postPageData(detail, {
      officeId: office.id,
      t: request.t,
      canAct: hasRole(currentUser(request), office.id, 'editor'),
      done: readDone(request.query.done),
      refused: readRefused(request.query.refused),
    });
    return renderPage(request, reply, 'console/posts/post.hbs', { title: request.t('posts.post.title', { rule: detail.ruleId, channel: detail.label }), ...data });
  });

  app.get<{ Params: PostParams & { n: string }; Querystring: { v?: string } }>('/admin/o/:office/posts/:postId/card/:n', { config: { access: requireRole('viewer') } }, async (request, reply) => {
    const office = currentOffice(request);
    const { postId, n } = request.params;
    if (!POST_ID.test(postId) || !POSITION.test(n)) throw new HttpError(404, 'error.404');
    const post = await currentPost(web.store, postId);
    // `v`: the content the page showed; a card of other content is not the one asked for.
    if (!post || post.officeId !== office.id || (request.query.v !== undefined && request.query.v !== post.contentHash)) throw new HttpError(404, 'error.404');
    const media = parseRendered(post)?.media[Number(n) - 1];
    const card = media ? await findCard(web.store, media.file) : null;
    if (!media || !card || (media.sha256 !== undefined && sha256Hex(card.bytes) !== media.sha256)) throw new HttpError(404, 'error.404');
    // Private: a signed-in page's image, not for shared caches.
    return reply.type(card.mime).header('cache-control', 'private, max-age=300').header('content-disposition', 'inline').send(card.bytes);
  });

  for (const action of POST_ACTIONS) {
    app.post<{ Params: PostParams; Body: ActionBody | undefined }>(
      `/admin/o/:office/posts/:postId/${action}`,
      { config: { access: requireRole('editor') } },
      async (request, reply) => {
        const office = currentOffice(request);
        const { postId } = request.params;
        if (!POST_ID.test(postId)) throw new HttpError(404, 'error.404');
        const user = currentUser(request);
        const body = request.body ?? {};
        if (typeof body.revision !== 'string' || !/^[0-9]{1,9}$/.test(body.revision)) throw new HttpError(400, 'error.400');
        const revision = Number(body.revision);
        const reason = action === 'skip' ? optionalText(body.reason, 500) : undefined;
        const url = action === 'posted-by-hand' ? optionalText(body.url, 2000) : undefined;
        const run = await runPostAction(web.store, { officeId: office.id, postId, revision, action, actor: user.name, now: web.clock.now(), ...(reason ? { reason } : {}), ...(url ? { url } : {}) });
        // Another office's post through this office's URL: as if it did not exist, and nothing recorded against it.
        if (run.outcome === 'refused' && run.refusal === 'not-found') throw new HttpError(404, 'error.404');
        await appendAudit(
          web.store,
          {
            userName: user.name,
            officeId: office.id,
            action: `posts.${action}`,
            detail: {
              postId,
              revision,
              outcome: run.outcome,
              ...(run.outcome === 'done' ? { fromState: run.result.record.fromState, toState: run.result.record.toState, ...(run.result.record.detail ?? {}) } : { refusal: run.refusal, state: run.state }),
            },
            ip: clientIp(request),
          },
          web.clock.now(),
        );
        const query = run.outcome === 'done' ? `done=${action}` : `refused=${action}.${run.refusal}`;
        return reply.redirect(`/admin/o/${encodeURIComponent(office.id)}/posts/${postId}?${query}`, 303);
      },
    );
  }
}

/** A trimmed optional text field; empty is absent; not a string or too long is a bad request. */
function optionalText(value: unknown, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) throw new HttpError(400, 'error.400');
  return value.trim() || undefined;
}

function readDone(value: string | undefined): PostAction | null {
  return POST_ACTIONS.find((action) => action === value) ?? null;
}

function readRefused(value: string | undefined): { action: PostAction; refusal: PostActionRefusal } | null {
  if (value === undefined) return null;
  const dot = value.indexOf('.');
  const action = readDone(value.slice(0, dot));
  const refusal = POST_ACTION_REFUSALS.find((each) => each === value.slice(dot + 1));
  return dot > 0 && action && refusal ? { action, refusal } : null;
}
