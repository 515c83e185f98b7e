/**
 * The config history page group (issue 9): `/admin/o/:office/history`, every
 * revision of the office with who, when, message, state and a readable diff;
 * `POST /admin/o/:office/history/:revision/revert` (editors and admins), a new
 * revision with that revision's files by the signed-in user, through the
 * `config revert` path (console/history.ts `revertRevision`), audited.
 */
import path from 'node:path';
import { listOfficeHistory, revertRevision } from '../../../console/history';
import { appendAudit } from '../../../store/audit-log';
import { getRevision } from '../../../store/config-revisions';
import { hasRole, requireRole } from '../../access';
import type { ConsolePage } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { clientIp, currentOffice, currentUser } from '../../request-context';
import { registerPageStyles } from '../page-styles';
import { historyPageData, revertNotice } from './history-view';
import { HISTORY_MESSAGES } from './messages';

const REVISION_ID = /^\d{1,15}$/;

export const historyPage: ConsolePage = {
  name: 'history',
  messages: HISTORY_MESSAGES,
  register(app, web) {
    registerPageStyles(app, 'history.css', path.join(__dirname, 'history.css'));

    app.get<{ Querystring: { revert?: string; status?: string; revision?: string } }>('/admin/o/:office/history', { config: { access: requireRole('viewer') } }, async (request, reply) => {
      const office = currentOffice(request);
      const history = await listOfficeHistory(web.store, office.id);
      const revisions = historyPageData(history, { officeId: office.id, now: web.clock.now(), lang: request.lang, t: request.t, canRevert: hasRole(currentUser(request), office.id, 'editor') });
      const notice = revertNotice(request.query, revisions, request.t);
      return renderPage(request, reply, 'console/history/history.hbs', {
        title: request.t('history.title', { office: office.name }),
        revisions,
        notice: notice ? { ...notice, linkText: notice.anchor ? request.t('history.revision', { id: notice.anchor.slice('rev-'.length) }) : null } : null,
        previewUrl: `/admin/o/${encodeURIComponent(office.id)}/preview`,
      });
    });

    app.post<{ Params: { office: string; revision: string } }>('/admin/o/:office/history/:revision/revert', { config: { access: requireRole('editor') } }, async (request, reply) => {
      const office = currentOffice(request);
      const user = currentUser(request);
      if (!REVISION_ID.test(request.params.revision)) throw new HttpError(404, 'error.404');
      const targetId = Number(request.params.revision);
      // Revision ids are global: another office's revision is not this office's to revert (nor to reveal).
      const target = await getRevision(web.store, targetId);
      if (!target || target.officeId !== office.id) throw new HttpError(404, 'error.404');
      const now = web.clock.now();
      const outcome = await revertRevision(web.store, targetId, user.name, {
        now,
        sourceDir: web.source.configDir,
        ...(web.source.templatesDir === undefined ? {} : { templatesDir: web.source.templatesDir }),
        message: request.t('history.revertMessage', { id: targetId }),
      });
      await appendAudit(
        web.store,
        { userName: user.name, officeId: office.id, action: 'config.revert', detail: { revisionId: targetId, status: outcome.status, newRevisionId: outcome.revisionId ?? null }, ip: clientIp(request) },
        now,
      );
      const query = new URLSearchParams({ revert: String(targetId), status: outcome.status, ...(outcome.revisionId === undefined ? {} : { revision: String(outcome.revisionId) }) });
      return reply.redirect(`/admin/o/${encodeURIComponent(office.id)}/history?${query.toString()}`, 303);
    });
  },
};
