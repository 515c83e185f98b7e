/**
 * The calendar page group (issue 9): `GET /admin/o/:office/calendar`, for
 * every role of the office. The agenda (default) lists a month and the next by
 * date; `?view=month&month=2026-12` shows that month as a grid (Monday first)
 * above the same agenda of the month, which is all a phone shows (the grid is
 * hidden on narrow screens by calendar.css). Data from console/calendar.ts
 * `buildCalendar` on the office's current config revision; editors also get
 * the links to the edit forms (web/console/edit/).
 */
import path from 'node:path';
import { buildCalendar } from '../../../console/calendar';
import { getRevision } from '../../../store/config-revisions';
import { toLocal } from '../../../time/zone';
import { hasRole, requireRole } from '../../access';
import type { ConsolePage } from '../../console-page';
import type { Translate } from '../../i18n';
import { renderPage } from '../../render';
import { currentOffice, currentUser } from '../../request-context';
import { editUrls } from '../edit/edit-urls';
import { registerPageStyles } from '../page-styles';
import { calendarRange, calendarUrl } from './calendar-range';
import { agendaDays, monthGrid, type EditLinks } from './calendar-view';
import { CALENDAR_MESSAGES } from './messages';
import { monthLabel } from '../../../console/view-parts';
import type { WebContext } from '../../console-page';

interface CalendarQuery {
  view?: string;
  month?: string;
  saved?: string;
  unchanged?: string;
}

export const calendarPage: ConsolePage = {
  name: 'calendar',
  messages: CALENDAR_MESSAGES,
  register(app, web) {
    registerPageStyles(app, 'calendar.css', path.join(__dirname, 'calendar.css'));

    app.get<{ Querystring: CalendarQuery }>('/admin/o/:office/calendar', { config: { access: requireRole('viewer') } }, async (request, reply) => {
      const office = currentOffice(request);
      const t = request.t;
      const title = t('calendar.title', { office: office.name });
      const notice = await flashNotice(web, office.id, request.query, t);
      const load = await web.officeConfig(office.id);
      if (load.status !== 'loaded') {
        return renderPage(request, reply, 'console/calendar/calendar.hbs', { title, notice, unavailable: t(load.status === 'missing' ? 'calendar.noConfig' : 'calendar.brokenConfig') });
      }
      const now = web.clock.now();
      const range = calendarRange(request.query, toLocal(now, office.timezone).date);
      const view = await buildCalendar(web.store, load.office, { now, lang: request.lang, from: range.from, to: range.to });
      const canEdit = hasRole(currentUser(request), office.id, 'editor');
      const editLinks: EditLinks = (opening) => {
        if (!canEdit) return null;
        if (opening.origin === 'explicit') {
          return { change: editUrls.changeOpening(office.id, opening.releaseId), counts: editUrls.enterCounts(office.id, opening.releaseId), cancel: editUrls.cancelOpening(office.id, opening.releaseId) };
        }
        // A recurring opening is cancelled on its date; its times and counts are its rule's.
        if (opening.origin !== 'recurring') return null;
        const ruleId = opening.releaseId.slice(0, opening.releaseId.lastIndexOf('@'));
        return { change: null, counts: null, cancel: editUrls.cancelOpening(office.id, opening.releaseId), rule: editUrls.changeRule(office.id, ruleId) };
      };
      const months = view.months.map((month) => monthGrid(month, view, t));
      return renderPage(request, reply, 'console/calendar/calendar.hbs', {
        title,
        notice,
        month: range.mode === 'month',
        rangeLabel:
          range.mode === 'month'
            ? monthLabel(range.month, request.lang)
            : range.fromToday
              ? t('calendar.fromToday', { until: monthLabel(range.to.slice(0, 7), request.lang) })
              : `${monthLabel(range.month, request.lang)} – ${monthLabel(range.to.slice(0, 7), request.lang)}`,
        zoneText: t('calendar.zone', { zone: view.zone, zoneName: view.zoneName }),
        links: {
          agenda: calendarUrl(office.id, 'agenda', range.month),
          month: calendarUrl(office.id, 'month', range.month),
          prev: calendarUrl(office.id, range.mode, range.prevMonth),
          prevLabel: t('calendar.prev', { month: monthLabel(range.prevMonth, request.lang) }),
          next: calendarUrl(office.id, range.mode, range.nextMonth),
          nextLabel: t('calendar.next', { month: monthLabel(range.nextMonth, request.lang) }),
          edit: canEdit ? editUrls.hub(office.id) : null,
          addOpening: canEdit ? editUrls.addOpening(office.id) : null,
          rules: canEdit ? editUrls.rules(office.id) : null,
        },
        services: view.services,
        days: agendaDays(view, t, editLinks),
        grid: range.mode === 'month' ? months[0] : null,
      });
    });
  },
};

/** After a save (web/console/edit/): what happened, for this office's revisions only. */
async function flashNotice(web: WebContext, officeId: string, query: CalendarQuery, t: Translate): Promise<string | null> {
  if (query.unchanged === '1') return t('calendar.unchanged');
  if (query.saved === undefined || !/^\d{1,15}$/.test(query.saved)) return null;
  const revision = await getRevision(web.store, Number(query.saved));
  if (!revision || revision.officeId !== officeId) return null;
  return t('calendar.saved', { id: revision.id, author: revision.author });
}
