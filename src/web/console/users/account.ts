/**
 * `/admin/account`: the signed-in user's name and roles, and their own
 * password change (the current password first: a browser left signed in does
 * not let a passer-by take the account over). The browser that changes it
 * stays signed in; every other session of the user ends. Audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../../store/audit-log';
import { deleteOtherSessions } from '../../../store/sessions';
import { findUserForLogin, setUserPassword } from '../../../store/users';
import { SIGNED_IN } from '../../access';
import type { WebContext } from '../../console-page';
import { ACCOUNT_PATH } from '../../office-nav';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../../password';
import { renderPage } from '../../render';
import { clientIp, currentUser } from '../../request-context';

const PASSWORD_PATH = `${ACCOUNT_PATH}/password`;
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const passwordBody = { type: 'object', required: ['current', 'password', 'repeat'], properties: { current: text(1000), password: text(1000), repeat: text(1000), _csrf: text(200) } } as const;

type Field = 'current' | 'password' | 'repeat';

async function showAccount(request: FastifyRequest, reply: FastifyReply, web: WebContext, state: { errors?: Partial<Record<Field, string>>; status?: number } = {}): Promise<FastifyReply> {
  const user = currentUser(request);
  const officeName = new Map(web.offices().map((office) => [office.id, office.name]));
  const roles = user.globalAdmin
    ? [request.t('role.global')]
    : [...user.roles].map(([officeId, role]) => request.t('users.roleIn', { role: request.t(`role.${role}`), office: officeName.get(officeId) ?? officeId }));
  const done = (request.query as { done?: string }).done === 'password';
  return renderPage(
    request,
    reply,
    'console/users/account.hbs',
    {
      title: request.t('account.title'),
      name: user.name,
      roles,
      notice: done ? request.t('account.done') : null,
      errors: state.errors ?? {},
      hasErrors: state.errors !== undefined,
      minPassword: MIN_PASSWORD_LENGTH,
      action: PASSWORD_PATH,
    },
    state.status ?? 200,
  );
}

export function registerAccountRoutes(app: FastifyInstance, web: WebContext): void {
  app.get(ACCOUNT_PATH, { config: { access: SIGNED_IN } }, async (request, reply) => showAccount(request, reply, web));

  app.post<{ Body: { current: string; password: string; repeat: string } }>(PASSWORD_PATH, { config: { access: SIGNED_IN }, schema: { body: passwordBody } }, async (request, reply) => {
    const user = currentUser(request);
    const { current, password, repeat } = request.body;
    const errors: Partial<Record<Field, string>> = {};
    const stored = await findUserForLogin(web.store, user.name);
    if (!stored || !(await verifyPassword(current, stored.passwordHash))) errors.current = request.t('account.error.current');
    if (passwordProblem(password) !== null) errors.password = request.t('users.error.password', { min: MIN_PASSWORD_LENGTH });
    else if (password !== repeat) errors.repeat = request.t('account.error.repeat');
    const now = web.clock.now();
    if (Object.keys(errors).length > 0) {
      if (errors.current) await appendAudit(web.store, { userName: user.name, officeId: null, action: 'account.password-refused', detail: { reason: 'wrong-current-password' }, ip: clientIp(request) }, now);
      return showAccount(request, reply, web, { errors, status: 400 });
    }
    await setUserPassword(web.store, user.id, await hashPassword(password));
    const ended = request.consoleSession ? await deleteOtherSessions(web.store, user.id, request.consoleSession.id) : 0;
    await appendAudit(web.store, { userName: user.name, officeId: null, action: 'account.password', detail: { otherSessionsEnded: ended }, ip: clientIp(request) }, now);
    return reply.redirect(`${ACCOUNT_PATH}?done=password`, 303);
  });
}
