/**
 * `/admin/`: the offices the user may see, with their role in each; and
 * `/admin/o/:office/`, the office's page (the dashboard replaces both bodies).
 */
import { requireRole, SIGNED_IN, visibleOffices } from '../access';
import type { ConsolePage } from '../console-page';
import { currentOffice, currentUser } from '../request-context';
import { renderPage } from '../render';

export const homePage: ConsolePage = {
  name: 'home',
  register(app, web) {
    app.get('/admin', { config: { access: SIGNED_IN } }, async (_request, reply) => reply.redirect('/admin/', 301));
    app.get('/admin/', { config: { access: SIGNED_IN } }, async (request, reply) => {
      const user = currentUser(request);
      const offices = visibleOffices(user, web.offices()).map((office) => {
        const role = user.globalAdmin ? 'global' : (user.roles.get(office.id) ?? 'viewer');
        return { ...office, roleLabel: request.t(`role.${role}`) };
      });
      return renderPage(request, reply, 'console/home.hbs', { title: request.t('home.title'), offices });
    });
    app.get('/admin/o/:office/', { config: { access: requireRole('viewer') } }, async (request, reply) => {
      const office = currentOffice(request);
      return renderPage(request, reply, 'console/office.hbs', { title: request.t('office.title', { office: office.name }), office });
    });
  },
};
