/**
 * The caption template editor, `/admin/o/:office/templates/:rule/:channel`
 * (editors): the caption file the rule uses on the channel in a textarea, and
 * its result for the rule's next post beside it — the caption counted as the
 * platform counts it, or the template's errors at their line and column.
 *
 * One form, working without JavaScript: "Pratinjau" posts to `…/preview`
 * (the whole page comes back with the result), "Simpan" to the editor's own
 * URL (saved: post → redirect → get; refused: the page again with the text
 * as typed). With htmx the textarea posts to `…/preview` as staff type, and
 * only the result is swapped in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaptionPreview } from '../../../console/caption-preview';
import { staffTime } from '../../../console/view-parts';
import { appendAudit } from '../../../store/audit-log';
import { requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import type { Lang, Translate } from '../../i18n';
import { renderFragment, renderPage } from '../../render';
import { clientIp, currentOffice, currentUser } from '../../request-context';
import { limitProblemWords, problemView, templateErrorWords } from './problem-words';
import { createTemplateEditorCache, openTemplate, previewTemplate, saveTemplate, type OpenTemplate, type SaveTemplateResult, type TemplateEditorCache } from './template-edit';
import { normalizeTemplateText } from './template-target';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** A caption template is a few hundred characters; this leaves room for long ones and nothing silly. */
const MAX_TEMPLATE_CHARS = 20_000;
const MAX_MESSAGE_CHARS = 500;
const EDITOR_VIEW = 'console/preview/template-editor.hbs';
const RESULT_VIEW = 'console/preview/template-result.hbs';

type Params = { office: string; rule: string; channel: string };
type Body = { source?: unknown; message?: unknown; base?: unknown };

export function registerTemplateRoutes(app: FastifyInstance, web: WebContext): void {
  const access = { config: { access: requireRole('editor') } };
  const cache = createTemplateEditorCache();

  app.get<{ Params: Params; Querystring: { saved?: string } }>('/admin/o/:office/templates/:rule/:channel', access, async (request, reply) => {
    const open = await openOr404(web, request, cache);
    const notice = savedNotice(request.query.saved, request.t);
    return editorPage(request, reply, web, open, cache, { text: open.inUse.source, baseRevisionId: open.source.revisionId, message: '', ...(notice ? { notice } : {}) });
  });

  app.post<{ Params: Params; Body: Body }>('/admin/o/:office/templates/:rule/:channel/preview', access, async (request, reply) => {
    const open = await openOr404(web, request, cache);
    const text = templateText(request.body);
    if (request.headers['hx-request'] === 'true') {
      return renderFragment(request, reply, RESULT_VIEW, resultData(previewTemplate(open, text, web.clock.now(), open.source, cache), text, web, request));
    }
    return editorPage(request, reply, web, open, cache, { text, baseRevisionId: baseOf(request.body, open), message: messageOf(request.body) });
  });

  app.post<{ Params: Params; Body: Body }>('/admin/o/:office/templates/:rule/:channel', access, async (request, reply) => {
    const open = await openOr404(web, request, cache);
    const user = currentUser(request);
    const text = templateText(request.body);
    const baseRevisionId = baseOf(request.body, open);
    const message = messageOf(request.body) || request.t('template.defaultMessage', { rule: open.ruleId, channel: open.channelId });
    const result = await saveTemplate(web, open, { text, baseRevisionId, author: user.name, message });
    if (result.status === 'saved' || result.status === 'unchanged') {
      if (result.status === 'saved') {
        await appendAudit(
          web.store,
          { userName: user.name, officeId: open.officeId, action: 'template.save', detail: { rule: open.ruleId, channel: open.channelId, file: open.inUse.file, revisionId: result.revision.id, merged: result.merged?.with.id ?? null }, ip: clientIp(request) },
          web.clock.now(),
        );
      }
      const saved = result.status === 'saved' ? (result.merged ? `${result.revision.id}-${result.merged.with.id}` : String(result.revision.id)) : 'unchanged';
      return reply.redirect(`${editorUrl(open)}?saved=${saved}`, 303);
    }
    const status = result.status === 'conflict' ? 409 : 422;
    return editorPage(request, reply, web, open, cache, { text, baseRevisionId, message: messageOf(request.body), error: saveError(result, request, web) }, status);
  });
}

async function openOr404(web: WebContext, request: FastifyRequest<{ Params: Params }>, cache: TemplateEditorCache): Promise<OpenTemplate> {
  const office = currentOffice(request);
  const { rule, channel } = request.params;
  if (!NAME.test(rule) || !NAME.test(channel)) throw new HttpError(404, 'error.404');
  const open = await openTemplate(web, office.id, rule, channel, cache);
  if (!open) throw new HttpError(404, 'error.404');
  return open;
}

function templateText(body: Body | undefined): string {
  const source = body?.source;
  if (typeof source !== 'string' || source.length > MAX_TEMPLATE_CHARS) throw new HttpError(400, 'error.400');
  return normalizeTemplateText(source);
}

function messageOf(body: Body | undefined): string {
  return typeof body?.message === 'string' ? body.message.trim().slice(0, MAX_MESSAGE_CHARS) : '';
}

function baseOf(body: Body | undefined, open: OpenTemplate): number {
  const base = typeof body?.base === 'string' && /^\d{1,15}$/.test(body.base) ? Number(body.base) : undefined;
  return base ?? open.source.revisionId;
}

function savedNotice(saved: string | undefined, t: Translate): string | undefined {
  if (saved === 'unchanged') return t('template.unchanged');
  const match = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(saved ?? '');
  if (!match) return undefined;
  return match[2] ? t('template.savedMerged', { id: match[1]!, with: match[2] }) : t('template.saved', { id: match[1]! });
}

function saveError(result: Exclude<SaveTemplateResult, { status: 'saved' | 'unchanged' }>, request: FastifyRequest, web: WebContext): string {
  switch (result.status) {
    case 'not-saveable':
      return request.t('template.notSaved');
    case 'bad-base':
      return request.t('template.badBase');
    case 'refused':
      return request.t('template.refused');
    case 'invalid':
      return `${request.t('template.invalid')} ${result.problems.map((problem) => problem.message).join(' ')}`;
    case 'conflict': {
      const zone = currentOffice(request).timezone;
      return request.t('template.conflict', { author: result.current.author, when: staffTime(result.current.createdAt, zone, web.clock.now()).text, id: result.current.id });
    }
  }
}

function editorUrl(open: OpenTemplate): string {
  return `/admin/o/${encodeURIComponent(open.officeId)}/templates/${encodeURIComponent(open.ruleId)}/${encodeURIComponent(open.channelId)}`;
}

interface EditorInput {
  text: string;
  baseRevisionId: number;
  message: string;
  notice?: string;
  error?: string;
}

async function editorPage(request: FastifyRequest, reply: FastifyReply, web: WebContext, open: OpenTemplate, cache: TemplateEditorCache, input: EditorInput, status = 200): Promise<FastifyReply> {
  const url = editorUrl(open);
  const result = resultData(previewTemplate(open, input.text, web.clock.now(), open.source, cache), input.text, web, request);
  const resultHtml = await reply.viewAsync(RESULT_VIEW, { t: request.t, ...result });
  const target = open.target;
  return renderPage(
    request,
    reply,
    EDITOR_VIEW,
    {
      title: request.t('template.title', { rule: open.ruleId, channel: open.channelId }),
      saveUrl: url,
      previewUrl: `${url}/preview`,
      backUrl: `/admin/o/${encodeURIComponent(open.officeId)}/preview`,
      file: open.inUse.file,
      layerNote: request.t(`template.layer.${open.inUse.layer}`),
      saveable: target.saveable,
      notSaveable: target.saveable ? null : request.t(target.reason === 'templates-folder-fixed' ? 'template.notSaveable.fixed' : 'template.notSaveable.outside', { file: open.inUse.file }),
      text: input.text,
      base: input.baseRevisionId,
      message: input.message,
      notice: input.notice ?? null,
      error: input.error ?? null,
      resultHtml,
    },
    status,
  );
}

/** What the result shows: the caption and its count, or the errors with their line and column (and the line itself, marked). */
function resultData(preview: CaptionPreview, text: string, web: WebContext, request: FastifyRequest): Record<string, unknown> {
  const lang: Lang = request.lang;
  const zone = currentOffice(request).timezone;
  if (preview.status === 'rendered') {
    const caption = preview.caption;
    return {
      rendered: true,
      due: staffTime(preview.post.dueAt, zone, web.clock.now()).text,
      subject: preview.post.subject,
      caption,
      countKey: `preview.count.${caption.unit}`,
      problems: preview.problems.map((problem) => problemView(problem, lang, limitProblemWords)),
    };
  }
  if (preview.status === 'template-errors') {
    const lines = text.split('\n');
    return {
      templateErrors: preview.errors.map((error) => ({
        line: error.line,
        col: error.col,
        text: lang === 'id' ? templateErrorWords(error.message) : error.message,
        detail: lang === 'id' ? error.message : null,
        file: error.inEdit ? null : `${error.layer}: ${error.file}`,
        lineText: error.inEdit ? (lines[error.line - 1] ?? '') : null,
        caret: error.inEdit ? `${' '.repeat(Math.max(0, error.col - 1))}^` : null,
      })),
    };
  }
  return { unavailable: true, detail: preview.message, problems: preview.problems.map((problem) => problemView(problem, lang, limitProblemWords)) };
}
