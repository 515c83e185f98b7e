/**
 * `/admin/`: the offices the user may see, with their role in each, each
 * linking to its dashboard (console/dashboard/); a user who sees one office
 * only goes straight to its dashboard.
 */
import { SIGNED_IN, visibleOffices } from '../access';
import type { ConsolePage } from '../console-page';
import { officePaths } from '../office-nav';
import { currentUser } from '../request-context';
import { renderPage } from '../render';

export const homePage: ConsolePage = {
  name: 'home',
  register(app, web) {
    app.get('/admin', { config: { access: SIGNED_IN } }, async (_request, reply) => reply.redirect('/admin/', 301));
    app.get('/admin/', { config: { access: SIGNED_IN } }, async (request, reply) => {
      const user = currentUser(request);
      const visible = visibleOffices(user, web.offices());
      if (visible.length === 1) return reply.redirect(officePaths(visible[0]!.id).dashboard, 303);
      const offices = visible.map((office) => {
        const role = user.globalAdmin ? 'global' : (user.roles.get(office.id) ?? 'viewer');
        return { ...office, href: officePaths(office.id).dashboard, roleLabel: request.t(`role.${role}`) };
      });
      return renderPage(request, reply, 'console/home.hbs', { title: request.t('home.title'), offices });
    });
  },
};
