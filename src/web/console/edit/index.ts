/**
 * The calendar edit page group (issue 9), for editors (and admins) of the
 * office: a start page, and one form per change — add an opening, change one,
 * enter counts for many of its days, cancel one (also one date of a recurring
 * rule), add a closure, import a CSV; and the recurring rules, on a page of
 * their own (rules-page.ts). Each form goes through the same flow
 * (edit-flow.ts): checked by the loader, reviewed, saved as a revision by the
 * user, audited.
 */
import path from 'node:path';
import { getCurrentRevision } from '../../../store/config-revisions';
import { calendarFileOf } from '../../../console/edit';
import { requireRole } from '../../access';
import type { ConsolePage } from '../../console-page';
import { HttpError } from '../../http-error';
import { renderPage } from '../../render';
import { currentOffice } from '../../request-context';
import { registerPageStyles } from '../page-styles';
import { readCalendarItems } from './calendar-items';
import { cancelOpeningForm } from './cancel-form';
import { addClosureForm } from './closure-form';
import { enterCountsForm } from './counts-form';
import { importCsvForm } from './csv-form';
import { registerEditForm } from './edit-flow';
import { editUrls } from './edit-urls';
import { EDIT_MESSAGES } from './messages';
import { mergeMessages } from '../../i18n';
import { RULE_MESSAGES } from './rule-messages';
import { registerRulePages } from './rules-page';
import { addOpeningForm, changeOpeningForm } from './opening-form';

const EDIT = '/admin/o/:office/edit';

export const calendarEditPage: ConsolePage = {
  name: 'calendar-edit',
  messages: mergeMessages(EDIT_MESSAGES, RULE_MESSAGES),
  register(app, web) {
    registerPageStyles(app, 'edit.css', path.join(__dirname, 'edit.css'));

    app.get(EDIT, { config: { access: requireRole('editor') } }, async (request, reply) => {
      const office = currentOffice(request);
      const revision = await getCurrentRevision(web.store, office.id);
      if (!revision) throw new HttpError(409, 'edit.noConfig');
      const items = readCalendarItems(revision.files[calendarFileOf(revision.files, office.id)]);
      return renderPage(request, reply, 'console/edit/hub.hbs', {
        title: request.t('edit.hub.title', { office: office.name }),
        links: { addOpening: editUrls.addOpening(office.id), addClosure: editUrls.addClosure(office.id), importCsv: editUrls.importCsv(office.id), rules: editUrls.rules(office.id) },
        openings: items.openings.map((opening) => ({
          ...opening,
          days: opening.days.map((day) => day.date).join(', '),
          links: { change: editUrls.changeOpening(office.id, opening.id), counts: editUrls.enterCounts(office.id, opening.id), cancel: editUrls.cancelOpening(office.id, opening.id) },
        })),
        calendarUrl: editUrls.calendar(office.id),
      });
    });

    // `new` before `:id`: find-my-way prefers the static segment, so no opening can be called "new" by URL.
    registerEditForm(app, web, `${EDIT}/opening/new`, addOpeningForm);
    registerEditForm(app, web, `${EDIT}/opening/:id`, changeOpeningForm);
    registerEditForm(app, web, `${EDIT}/opening/:id/counts`, enterCountsForm);
    registerEditForm(app, web, `${EDIT}/opening/:id/cancel`, cancelOpeningForm);
    registerEditForm(app, web, `${EDIT}/closure/new`, addClosureForm);
    registerEditForm(app, web, `${EDIT}/csv`, importCsvForm);
    registerRulePages(app, web);
  },
};
