/**
 * The recurring rules of an office (`/admin/o/:office/rules`, for its
 * editors): each rule in words, with links to change it, end it or remove
 * it, and the form to add one. Every form goes through the edit flow of the
 * other calendar edits (edit-flow.ts): checked by the loader, reviewed (posts
 * rendered again, new, cancelled; corrections of what is published), saved as
 * a revision by the user, a conflict page when someone else saved first.
 */
import type { FastifyInstance } from 'fastify';
import { calendarFileOf, readRecurringRules } from '../../../console/edit';
import { officeOf } from '../../../console/office-input';
import { getCurrentRevision } from '../../../store/config-revisions';
import { toLocal } from '../../../time/zone';
import { requireRole } from '../../access';
import type { WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { currentOffice } from '../../request-context';
import { registerEditForm } from './edit-flow';
import { editUrls } from './edit-urls';
import { endRuleForm, removeRuleForm } from './rule-end-forms';
import { addRuleForm, changeRuleForm } from './rule-form';
import { ruleWords } from './rule-words';

/** officePaths(id).rules, as a route (officePaths encodes its argument). */
const RULES = '/admin/o/:office/rules';

export function registerRulePages(app: FastifyInstance, web: WebContext): void {
  app.get(RULES, { config: { access: requireRole('editor') } }, async (request, reply) => {
    const office = currentOffice(request);
    const revision = await getCurrentRevision(web.store, office.id);
    if (!revision) throw new HttpError(409, 'edit.noConfig');
    const load = await web.officeConfig(office.id);
    if (load.status !== 'loaded') throw new HttpError(409, load.status === 'missing' ? 'edit.noConfig' : 'edit.brokenConfig');
    const config = officeOf(load.office);
    const now = web.clock.now();
    const today = toLocal(now, config.timezone).date;
    const rules = readRecurringRules(revision.files[calendarFileOf(revision.files, office.id)]).map((rule) => ({
      id: rule.id,
      anchor: `rule-${rule.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
      ended: rule.until !== null && rule.until < today,
      ...ruleWords(rule, { office: config, now, lang: request.lang, t: request.t }),
      links: { change: editUrls.changeRule(office.id, rule.id), end: editUrls.endRule(office.id, rule.id), remove: editUrls.removeRule(office.id, rule.id) },
    }));
    return renderPage(request, reply, 'console/edit/rules.hbs', {
      title: request.t('rules.list.title', { office: office.name }),
      rules,
      links: { add: editUrls.addRule(office.id), calendar: editUrls.calendar(office.id) },
    });
  });

  // `new` before `:id`: find-my-way prefers the static segment, so no rule can be called "new" by URL.
  registerEditForm(app, web, `${RULES}/new`, addRuleForm);
  registerEditForm(app, web, `${RULES}/:id`, changeRuleForm);
  registerEditForm(app, web, `${RULES}/:id/end`, endRuleForm);
  registerEditForm(app, web, `${RULES}/:id/remove`, removeRuleForm);
}
