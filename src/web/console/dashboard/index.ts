/**
 * `/admin/o/:office/`: an office's dashboard — what needs staff (with the
 * page to act on it; posts awaiting approval among it), the next posts with a countdown, what went out with
 * links to the live posts, daily caps and this month's X cost. Everything is
 * rendered on the server; the next posts refresh themselves every minute
 * through htmx (`…/next-posts`, the same rows), which the page does not need.
 *
 * An office whose current revision is missing or no longer loads shows that,
 * and what to do, instead of a schedule.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildDashboard, type DashboardView } from '../../../console/dashboard';
import { formatProblem } from '../../../errors';
import { requireRole } from '../../access';
import type { ConsolePage, WebContext } from '../../console-page';
import type { OfficeSummary } from '../../offices';
import { officePaths } from '../../office-nav';
import { renderFragment, renderPage } from '../../render';
import { currentOffice } from '../../request-context';
import { approvalTask } from './approval-task';
import { dashboardData, nextPostsData } from './dashboard-data';
import { DASHBOARD_MESSAGES } from './messages';

const VIEWS = 'console/dashboard';

type Loaded = { view: DashboardView } | { problem: { message: string; action: string; details: string[]; links: { href: string; label: string }[] } };

async function loadDashboard(request: FastifyRequest, web: WebContext, office: OfficeSummary): Promise<Loaded> {
  const load = await web.officeConfig(office.id);
  const paths = officePaths(office.id);
  if (load.status === 'missing') return { problem: { message: request.t('dashboard.missing'), action: request.t('dashboard.missing.action'), details: [], links: [] } };
  if (load.status === 'broken') {
    return {
      problem: {
        message: request.t('dashboard.broken', { revision: load.revisionId }),
        action: request.t('dashboard.broken.action'),
        details: load.problems.filter((problem) => problem.severity === 'error').map((problem) => formatProblem(problem)),
        links: [
          { href: paths.calendar, label: request.t('dashboard.link.calendar') },
          { href: paths.history, label: request.t('dashboard.link.history') },
        ],
      },
    };
  }
  return { view: await buildDashboard(web.store, load.office, { now: web.clock.now(), lang: request.lang }) };
}

async function showDashboard(request: FastifyRequest, reply: FastifyReply, web: WebContext): Promise<FastifyReply> {
  const office = currentOffice(request);
  const title = request.t('dashboard.title', { office: office.name });
  const loaded = await loadDashboard(request, web, office);
  if ('problem' in loaded) return renderPage(request, reply, `${VIEWS}/problem.hbs`, { title, problem: loaded.problem });
  const approvals = await approvalTask(web.store, { id: office.id, zone: loaded.view.zone }, web.clock.now(), officePaths(office.id), request.t);
  const data = dashboardData(loaded.view, request.lang, request.t, approvals ? [approvals] : []);
  // The next posts are their own template, so the htmx refresh sends exactly what the page shows.
  const nextHtml = await reply.viewAsync(`${VIEWS}/next-posts.hbs`, { t: request.t, next: data.next, refreshUrl: nextPostsUrl(office.id) });
  return renderPage(request, reply, `${VIEWS}/dashboard.hbs`, { title, ...data, nextHtml });
}

function nextPostsUrl(officeId: string): string {
  return `${officePaths(officeId).dashboard}next-posts`;
}

export const dashboardPage: ConsolePage = {
  name: 'dashboard',
  messages: DASHBOARD_MESSAGES,
  register(app, web) {
    app.get('/admin/o/:office/', { config: { access: requireRole('viewer') } }, async (request, reply) => showDashboard(request, reply, web));
    app.get('/admin/o/:office/next-posts', { config: { access: requireRole('viewer') } }, async (request, reply) => {
      const office = currentOffice(request);
      const loaded = await loadDashboard(request, web, office);
      // A config gone bad since the page loaded: the whole page says so on its next load; the rows stay as they were.
      if ('problem' in loaded) return reply.code(204).send();
      return renderFragment(request, reply, `${VIEWS}/next-posts.hbs`, { next: nextPostsData(loaded.view.next, officePaths(office.id), request.lang, request.t), refreshUrl: nextPostsUrl(office.id) });
    });
  },
};
