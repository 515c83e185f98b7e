/**
 * The flow every calendar edit form goes through, without JavaScript:
 *
 *   GET  form             the form, on the office's current revision (its id in a hidden field)
 *   POST form             check: problems → the form again, each problem by its field, values kept (422);
 *                         valid → the "review changes" page (previewEdit: posts rendered again, added,
 *                         removed, corrections and cancellations of what is published)
 *   POST form, save       the review page's Save: saveEdit by the user → audit → 303 to the calendar;
 *                         a conflict → who changed the calendar and when, and a way to start again
 *   POST form, edit       back from the review page to the form, values kept
 *   POST form, restart    from the conflict page: the form on the current revision, values kept
 *
 * The review page carries the form's values (a JSON text in a hidden field)
 * and the base revision's id, never files: saving applies the values again to
 * the base revision as stored, and saveEdit checks the result again. So a
 * tampered hidden field can do no more than the form itself, and any instance
 * of the web server can take the Save (nothing is kept in memory). The base
 * revision must be this office's: a revision id of another office is refused.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { officeOf } from '../../../console/office-input';
import { applyCalendarEdit, calendarFileOf, previewEdit, saveEdit, type EditEnvironment, type FieldProblem } from '../../../console/edit';
import { appendAudit } from '../../../store/audit-log';
import { getCurrentRevision, getRevision, type ConfigRevision } from '../../../store/config-revisions';
import { formatStaffTime } from '../../../render/helpers/staff-time';
import { requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { clientIp, currentOffice, currentUser } from '../../request-context';
import { readCalendarItems } from './calendar-items';
import type { EditForm, FormContext } from './edit-form';
import { editUrls } from './edit-urls';
import { arrangeProblems, formValues, type FormProblem, type FormValues } from './form-fields';
import { reviewLists } from './review-view';

const FLOW_FIELDS = ['_csrf', '_step', 'baseRevisionId', 'draft'] as const;
const REVISION_ID = /^\d{1,15}$/;
/** The largest draft carried by the review page (a CSV upload is most of it). */
const MAX_DRAFT_CHARS = 600_000;

type Step = 'check' | 'save' | 'edit' | 'restart';

interface FlowBody {
  _step?: string;
  baseRevisionId?: string;
  draft?: string;
  [field: string]: unknown;
}

/** Registers GET and POST `url` for `form`; `url` may name `:id`, the opening the form is about. */
export function registerEditForm(app: FastifyInstance, web: WebContext, url: string, form: EditForm): void {
  const access = { config: { access: requireRole('editor') } };

  app.get<{ Params: { id?: string } }>(url, access, async (request, reply) => {
    const revision = await currentRevision(web, currentOffice(request).id);
    const ctx = await formContext(web, request, revision, request.params.id ?? null, form);
    return renderForm(request, reply, form, form.initial(ctx), [], ctx);
  });

  app.post<{ Params: { id?: string }; Body: FlowBody }>(url, access, async (request, reply) => {
    const office = currentOffice(request);
    const body = request.body ?? {};
    const step: Step = body._step === 'save' || body._step === 'edit' || body._step === 'restart' ? body._step : 'check';
    const values = step === 'check' ? formValues(body, FLOW_FIELDS) : parseDraft(body.draft);
    const revision = step === 'restart' ? await currentRevision(web, office.id) : await baseRevision(web, office.id, body.baseRevisionId);
    const ctx = await formContext(web, request, revision, request.params.id ?? null, form);
    if (step === 'edit' || step === 'restart') {
      return renderForm(request, reply, form, values, [], ctx, 200, step === 'restart' ? request.t('edit.restarted', { id: revision.id }) : null);
    }

    const made = form.toEdit(values, ctx);
    if (made.problems) return renderForm(request, reply, form, values, made.problems, ctx, 422);
    const applied = applyCalendarEdit(ctx.files, ctx.calendarFile, made.edit);
    if (!applied.ok) return renderForm(request, reply, form, values, [toFormProblem(applied.problem, form, values, ctx, null)], ctx, 422);
    const env = environment(web);

    if (step === 'check') {
      const result = await previewEdit(web.store, { officeId: office.id, files: applied.files, env });
      const problems = result.check.problems.map((problem) => toFormProblem(problem, form, values, ctx, applied.files));
      if (!result.ok) return renderForm(request, reply, form, values, problems, ctx, 422);
      return renderPage(request, reply, 'console/edit/review.hbs', {
        title: request.t('edit.review.title'),
        summary: form.message(values, ctx),
        warnings: arrangeProblems(problems.filter((problem) => problem.warning)).all,
        lists: reviewLists(result.preview, ctx.office, { now: env.now, lang: request.lang, t: request.t }),
        action: request.url.split('?')[0],
        baseRevisionId: ctx.baseRevisionId,
        draft: JSON.stringify(values),
        calendarUrl: editUrls.calendar(office.id),
      });
    }

    const user = currentUser(request);
    const saved = await saveEdit(web.store, { officeId: office.id, baseRevisionId: ctx.baseRevisionId, files: applied.files, author: user.name, message: form.message(values, ctx), env });
    const audit = (action: string, detail: Record<string, unknown>): Promise<void> =>
      appendAudit(web.store, { userName: user.name, officeId: office.id, action, detail: { form: form.kind, target: ctx.target, baseRevisionId: ctx.baseRevisionId, ...detail }, ip: clientIp(request) }, env.now);
    switch (saved.status) {
      case 'saved': {
        await audit('calendar.edit', { revisionId: saved.revision.id, ...(saved.merged ? { mergedWith: saved.merged.with.id } : {}) });
        const month = form.focusMonth?.(values);
        return reply.redirect(`${editUrls.calendar(office.id)}?saved=${saved.revision.id}${month ? `&month=${month}` : ''}`, 303);
      }
      case 'unchanged':
        return reply.redirect(`${editUrls.calendar(office.id)}?unchanged=1`, 303);
      case 'invalid':
        return renderForm(request, reply, form, values, saved.problems.map((problem) => toFormProblem(problem, form, values, ctx, applied.files)), ctx, 422);
      case 'conflict': {
        await audit('calendar.edit-conflict', { currentRevisionId: saved.current.id });
        return renderPage(
          request,
          reply,
          'console/edit/conflict.hbs',
          {
            title: request.t('edit.conflict.title'),
            message: request.t('edit.conflict.message', {
              author: saved.current.author,
              when: formatStaffTime(saved.current.createdAt, ctx.office.timezone, env.now),
              id: saved.current.id,
              base: ctx.baseRevisionId,
            }),
            changedSince: saved.changedSince.map((revision) => ({ id: revision.id, author: revision.author, message: revision.message, when: formatStaffTime(revision.createdAt, ctx.office.timezone, env.now) })),
            problems: arrangeProblems(saved.problems.map((problem) => toFormProblem(problem, form, values, ctx, null))).all,
            action: request.url.split('?')[0],
            draft: JSON.stringify(values),
            calendarUrl: editUrls.calendar(office.id),
          },
          409,
        );
      }
    }
  });
}

function environment(web: WebContext): EditEnvironment {
  return { sourceDir: web.source.configDir, ...(web.source.templatesDir === undefined ? {} : { templatesDir: web.source.templatesDir }), now: web.clock.now() };
}

async function currentRevision(web: WebContext, officeId: string): Promise<ConfigRevision> {
  const revision = await getCurrentRevision(web.store, officeId);
  if (!revision) throw new HttpError(409, 'edit.noConfig');
  return revision;
}

/** The revision the form was opened on; only one of this office (revision ids are global). */
async function baseRevision(web: WebContext, officeId: string, raw: unknown): Promise<ConfigRevision> {
  const revision = typeof raw === 'string' && REVISION_ID.test(raw) ? await getRevision(web.store, Number(raw)) : undefined;
  if (!revision || revision.officeId !== officeId) throw new HttpError(400, 'edit.badBase');
  return revision;
}

async function formContext(web: WebContext, request: FastifyRequest, revision: ConfigRevision, target: string | null, form: EditForm): Promise<FormContext> {
  const load = await web.officeConfig(revision.officeId);
  if (load.status !== 'loaded') throw new HttpError(409, load.status === 'missing' ? 'edit.noConfig' : 'edit.brokenConfig');
  const calendarFile = calendarFileOf(revision.files, revision.officeId);
  const ctx: FormContext = {
    officeId: revision.officeId,
    office: officeOf(load.office),
    baseRevisionId: revision.id,
    files: revision.files,
    calendarFile,
    items: readCalendarItems(revision.files[calendarFile]),
    target,
    t: request.t,
    lang: request.lang,
    now: web.clock.now(),
  };
  if (!form.targetExists(ctx)) throw new HttpError(404, 'edit.noOpening');
  return ctx;
}

/** The review page's values back: a JSON object of strings, or a 400 (nothing else is accepted). */
function parseDraft(raw: unknown): FormValues {
  if (typeof raw !== 'string' || raw.length > MAX_DRAFT_CHARS) throw new HttpError(400, 'error.400');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'error.400');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new HttpError(400, 'error.400');
  const values: FormValues = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new HttpError(400, 'error.400');
    values[name] = value;
  }
  return values;
}

function toFormProblem(problem: FieldProblem, form: EditForm, values: FormValues, ctx: FormContext, edited: Readonly<Record<string, string>> | null): FormProblem {
  return { field: form.fieldOf(problem, values, ctx, edited), message: problem.message, detail: problem.detail, warning: problem.severity === 'warning' };
}

async function renderForm(
  request: FastifyRequest,
  reply: FastifyReply,
  form: EditForm,
  values: FormValues,
  problems: readonly FormProblem[],
  ctx: FormContext,
  status = 200,
  notice: string | null = null,
): Promise<FastifyReply> {
  const arranged = arrangeProblems(problems);
  const page = form.page(values, arranged, ctx);
  return renderPage(
    request,
    reply,
    page.view,
    {
      title: form.title(ctx),
      notice,
      problems: arranged.all,
      problemSummary: arranged.errors > 0 ? request.t('edit.problems', { count: arranged.errors }) : arranged.all.length > 0 ? request.t('edit.warnings') : null,
      hasErrors: arranged.errors > 0,
      action: request.url.split('?')[0],
      baseRevisionId: ctx.baseRevisionId,
      calendarUrl: editUrls.calendar(ctx.officeId),
      ...page.data,
    },
    status,
  );
}
