/**
 * `/admin/users`: admins list users and their roles, add a user, disable or
 * enable one, set a new password, give or take a role in an office. A global
 * admin manages everyone; an office admin the users of their offices
 * (user-rights.ts decides, every refusal is 403). Every change is audited and,
 * like every form of the console, needs the CSRF token (web/guard.ts).
 * `/admin/account`: every user changes their own password (account.ts).
 *
 * Forms post and redirect back (`?done=…&user=ID`), so a reload repeats nothing;
 * a form with a mistake comes back with the message next to its field.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../../../store/audit-log';
import { deleteUserSessions } from '../../../store/sessions';
import { createUser, getUser, isValidUserName, listUsers, normalizeUserName, setUserDisabled, setUserPassword, setUserRole, UserExistsError, type ConsoleUser } from '../../../store/users';
import { SIGNED_IN } from '../../access';
import type { ConsolePage, WebContext } from '../../console-page';
import { HttpError } from '../../http-error';
import { USERS_PATH } from '../../office-nav';
import type { OfficeSummary } from '../../offices';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../../password';
import { renderPage } from '../../render';
import { clientIp, currentUser } from '../../request-context';
import { isRole, ROLES, type Role } from '../../roles';
import { registerAccountRoutes } from './account';
import { USERS_MESSAGES } from './messages';
import { adminOffices, grantableOffices, mayChangeAccount, mayGrant, mayMakeGlobalAdmin, mayManageUsers, visibleUsers } from './user-rights';

/** The office choice that makes an admin of every office. */
const ALL_OFFICES = '*';
const DONE = ['added', 'disabled', 'enabled', 'password', 'role'] as const;
/** Up to this many offices a user row offers them in a list of its own; beyond, the office is typed (one shared list of suggestions). */
export const MAX_OFFICE_CHOICES = 20;
/** Users listed on one page: each row carries its forms (200 offices have ~400 users; all of them made an 860 KB page). */
export const USERS_PER_PAGE = 100;
type Done = (typeof DONE)[number];

const userParams = { type: 'object', required: ['user'], properties: { user: { type: 'string', pattern: '^[0-9]{1,12}$' } } } as const;
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const addBody = { type: 'object', required: ['name', 'password', 'role', 'office'], properties: { name: text(100), password: text(1000), role: text(20), office: text(200), _csrf: text(200) } } as const;
const passwordBody = { type: 'object', required: ['password'], properties: { password: text(1000), _csrf: text(200) } } as const;
const roleBody = { type: 'object', required: ['office', 'role'], properties: { office: text(200), role: text(20), _csrf: text(200) } } as const;

interface AddForm {
  name: string;
  role: string;
  office: string;
}

interface PageState {
  /** Mistakes by field of the add form, already in words. */
  addErrors?: Partial<Record<'name' | 'password' | 'office' | 'role', string>>;
  addForm?: AddForm;
  /** A mistake in one user's row form (the new password). */
  rowError?: { userId: number; message: string };
  status?: number;
}

function passwordError(password: string, request: FastifyRequest): string | null {
  return passwordProblem(password) === null ? null : request.t('users.error.password', { min: MIN_PASSWORD_LENGTH });
}

/** The acting admin, or 403 for anyone who administers no office. */
function actingAdmin(request: FastifyRequest, web: WebContext): ConsoleUser {
  const actor = currentUser(request);
  if (!mayManageUsers(actor, web.offices())) throw new HttpError(403, 'error.403');
  return actor;
}

/** The user of the URL, when `allowed` for the actor; anything else (unknown user included) is 403 for an office admin. */
async function targetUser(request: FastifyRequest<{ Params: { user: string } }>, actor: ConsoleUser, allowed: (target: ConsoleUser) => boolean, web: WebContext): Promise<ConsoleUser> {
  const target = await getUser(web.store, Number(request.params.user));
  if (!target) throw new HttpError(actor.globalAdmin ? 404 : 403, actor.globalAdmin ? 'error.404' : 'error.403');
  if (!allowed(target)) throw new HttpError(403, 'error.403');
  return target;
}

/** The office an audit record of a change to `target` belongs to: theirs when they have one office. */
function auditOffice(target: ConsoleUser): string | null {
  return target.roles.size === 1 ? ([...target.roles.keys()][0] ?? null) : null;
}

async function audit(request: FastifyRequest, web: WebContext, actor: ConsoleUser, action: string, officeId: string | null, detail: Record<string, unknown>): Promise<void> {
  await appendAudit(web.store, { userName: actor.name, officeId, action, detail, ip: clientIp(request) }, web.clock.now());
}

function done(reply: FastifyReply, what: Done, user: ConsoleUser): FastifyReply {
  return reply.redirect(`${USERS_PATH}?done=${what}&user=${user.id}`, 303);
}

async function showUsers(request: FastifyRequest, reply: FastifyReply, web: WebContext, state: PageState = {}): Promise<FastifyReply> {
  const actor = actingAdmin(request, web);
  const offices = web.offices();
  const mine = adminOffices(actor, offices);
  const officeName = new Map(offices.map((office) => [office.id, office.name]));
  // Many offices: each row's office is typed, from one list on the page, not chosen from a list per row (200 offices × 400 users was 5 MB).
  const officeList = mine.length > MAX_OFFICE_CHOICES;
  const users = visibleUsers(actor, await listUsers(web.store), offices);
  const roleOptions = ROLES.map((role) => ({ value: role, label: request.t(`role.${role}`) }));
  const query = request.query as { done?: string; user?: string; page?: string };
  const doneUser = users.find((user) => String(user.id) === query.user);
  const notice = doneUser && (DONE as readonly string[]).includes(query.done ?? '') ? request.t(`users.done.${query.done}`, { name: doneUser.name }) : null;
  // The page of the user just changed (or whose form came back with a mistake), else the one asked for.
  const shownUser = state.rowError?.userId ?? doneUser?.id;
  const pages = Math.max(1, Math.ceil(users.length / USERS_PER_PAGE));
  const asked = /^[1-9]\d{0,5}$/.test(query.page ?? '') ? Math.min(Number(query.page), pages) : 1;
  const page = shownUser !== undefined && query.page === undefined ? Math.floor(users.findIndex((user) => user.id === shownUser) / USERS_PER_PAGE) + 1 || 1 : asked;
  const pageUsers = users.slice((page - 1) * USERS_PER_PAGE, page * USERS_PER_PAGE);
  const pager =
    pages === 1
      ? null
      : {
          label: request.t('users.pager', { from: (page - 1) * USERS_PER_PAGE + 1, to: (page - 1) * USERS_PER_PAGE + pageUsers.length, count: users.length }),
          prev: page > 1 ? `${USERS_PATH}?page=${page - 1}` : null,
          next: page < pages ? `${USERS_PATH}?page=${page + 1}` : null,
        };

  const rows = pageUsers.map((user) => {
    // An office admin sees the roles in their own offices; the rest is counted, not named.
    const shown = [...user.roles].filter(([officeId]) => actor.globalAdmin || mine.some((office) => office.id === officeId));
    const hidden = user.roles.size - shown.length;
    const roles = user.globalAdmin
      ? [request.t('role.global')]
      : [...shown.map(([officeId, role]) => request.t('users.roleIn', { role: request.t(`role.${role}`), office: officeName.get(officeId) ?? officeId })), ...(hidden > 0 ? [request.t('users.otherOffices', { count: hidden })] : [])];
    const grantable = grantableOffices(actor, user, offices);
    // The role they hold in the first office offered (typed: the first office they have a role in), so saving
    // unchanged changes nothing (and admin is never a default).
    const firstOffice = officeList ? (grantable.find((office) => user.roles.has(office.id)) ?? null) : (grantable[0] ?? null);
    const held = firstOffice ? user.roles.get(firstOffice.id) : undefined;
    return {
      id: user.id,
      name: user.name,
      self: user.id === actor.id,
      disabled: user.disabled,
      statusLabel: request.t(user.disabled ? 'users.disabled' : 'users.active'),
      roles: roles.length > 0 ? roles : [request.t('users.noRole')],
      mayChange: mayChangeAccount(actor, user, offices),
      hasActions: mayChangeAccount(actor, user, offices) || grantable.length > 0,
      grantOffices: officeList ? [] : grantable.map((office) => ({ value: office.id, label: office.name })),
      hasRoleForm: grantable.length > 0,
      typeOffice: officeList,
      officeValue: firstOffice?.id ?? '',
      roleOptions: [...roleOptions.map((option) => ({ ...option, selected: option.value === held })), { value: 'none', label: request.t('users.role.none'), selected: held === undefined }],
      error: state.rowError?.userId === user.id ? state.rowError.message : null,
    };
  });

  const form = state.addForm ?? { name: '', role: 'viewer', office: mine.length === 1 ? mine[0]!.id : '' };
  const officeOptions = [
    ...(mayMakeGlobalAdmin(actor) ? [{ value: ALL_OFFICES, label: request.t('users.add.allOffices') }] : []),
    ...mine.map((office) => ({ value: office.id, label: office.name })),
  ].map((option) => ({ ...option, selected: option.value === form.office }));
  return renderPage(
    request,
    reply,
    'console/users/users.hbs',
    {
      title: request.t('users.title'),
      intro: actor.globalAdmin ? request.t('users.intro.global') : request.t('users.intro.office', { offices: mine.map((office) => office.name).join(', ') }),
      notice,
      rows,
      pager,
      officeList: officeList ? mine.map((office) => ({ value: office.id, label: office.name })) : null,
      add: {
        form,
        errors: state.addErrors ?? {},
        hasErrors: state.addErrors !== undefined && Object.keys(state.addErrors).length > 0,
        officeOptions,
        roleOptions: roleOptions.map((option) => ({ ...option, selected: option.value === form.role })),
        minPassword: MIN_PASSWORD_LENGTH,
      },
    },
    state.status ?? 200,
  );
}

async function addUser(request: FastifyRequest<{ Body: { name: string; password: string; role: string; office: string } }>, reply: FastifyReply, web: WebContext): Promise<FastifyReply> {
  const actor = actingAdmin(request, web);
  const offices = web.offices();
  const { password, role, office } = request.body;
  const name = normalizeUserName(request.body.name);
  const form = { name, role, office };
  // Choices the form never offers this admin are not mistakes but attempts: 403, as for a URL.
  if (office === ALL_OFFICES ? !mayMakeGlobalAdmin(actor) : office !== '' && !mayGrant(actor, null, office, offices)) throw new HttpError(403, 'error.403');
  if (!isRole(role)) throw new HttpError(400, 'error.400');

  const errors: NonNullable<PageState['addErrors']> = {};
  if (!isValidUserName(name)) errors.name = request.t('users.error.name');
  const weak = passwordError(password, request);
  if (weak) errors.password = weak;
  if (office === '') errors.office = request.t('users.error.office');
  if (office === ALL_OFFICES && role !== 'admin') errors.role = request.t('users.error.globalRole');
  if (Object.keys(errors).length > 0) return showUsers(request, reply, web, { addErrors: errors, addForm: form, status: 400 });

  const globalAdmin = office === ALL_OFFICES;
  let created: ConsoleUser;
  try {
    created = await createUser(web.store, { name, passwordHash: await hashPassword(password), globalAdmin, roles: new Map<string, Role>(globalAdmin ? [] : [[office, role]]) }, web.clock.now());
  } catch (error) {
    if (error instanceof UserExistsError) return showUsers(request, reply, web, { addErrors: { name: request.t('users.error.taken', { name }) }, addForm: form, status: 409 });
    throw error;
  }
  await audit(request, web, actor, 'users.add', globalAdmin ? null : office, { user: created.name, ...(globalAdmin ? { globalAdmin: true } : { role }) });
  return done(reply, 'added', created);
}

/** The office a role form names: its id, or (typed) its name as the list shows it. */
function typedOffice(typed: string, offices: readonly OfficeSummary[]): string {
  const value = typed.trim();
  const byName = offices.find((office) => office.name.toLowerCase() === value.toLowerCase());
  return offices.some((office) => office.id === value) ? value : (byName?.id ?? value);
}

export const usersPage: ConsolePage = {
  name: 'users',
  messages: USERS_MESSAGES,
  register(app, web) {
    app.get(USERS_PATH, { config: { access: SIGNED_IN } }, async (request, reply) => showUsers(request, reply, web));
    app.post<{ Body: { name: string; password: string; role: string; office: string } }>(USERS_PATH, { config: { access: SIGNED_IN }, schema: { body: addBody } }, async (request, reply) => addUser(request, reply, web));

    for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
      app.post<{ Params: { user: string } }>(`${USERS_PATH}/:user/${verb}`, { config: { access: SIGNED_IN }, schema: { params: userParams } }, async (request, reply) => {
        const actor = actingAdmin(request, web);
        const target = await targetUser(request, actor, (user) => mayChangeAccount(actor, user, web.offices()), web);
        await setUserDisabled(web.store, target.id, disabled);
        // A disabled user's sessions are refused at their next request anyway; ending them is for the record.
        if (disabled) await deleteUserSessions(web.store, target.id);
        await audit(request, web, actor, `users.${verb}`, auditOffice(target), { user: target.name });
        return done(reply, disabled ? 'disabled' : 'enabled', target);
      });
    }

    app.post<{ Params: { user: string }; Body: { password: string } }>(
      `${USERS_PATH}/:user/password`,
      { config: { access: SIGNED_IN }, schema: { params: userParams, body: passwordBody } },
      async (request, reply) => {
        const actor = actingAdmin(request, web);
        const target = await targetUser(request, actor, (user) => mayChangeAccount(actor, user, web.offices()), web);
        const weak = passwordError(request.body.password, request);
        if (weak) return showUsers(request, reply, web, { rowError: { userId: target.id, message: weak }, status: 400 });
        await setUserPassword(web.store, target.id, await hashPassword(request.body.password));
        // Whoever knew the old password is signed out everywhere.
        await deleteUserSessions(web.store, target.id);
        await audit(request, web, actor, 'users.password-reset', auditOffice(target), { user: target.name });
        return done(reply, 'password', target);
      },
    );

    app.post<{ Params: { user: string }; Body: { office: string; role: string } }>(
      `${USERS_PATH}/:user/role`,
      { config: { access: SIGNED_IN }, schema: { params: userParams, body: roleBody } },
      async (request, reply) => {
        const actor = actingAdmin(request, web);
        const offices = web.offices();
        const { role } = request.body;
        const target = await targetUser(request, actor, (user) => grantableOffices(actor, user, offices).length > 0, web);
        const office = typedOffice(request.body.office, offices);
        if (!mayGrant(actor, target, office, offices)) {
          // A typed office that is no office is a slip, said at the row; another admin's office is an attempt.
          if (offices.some((each) => each.id === office)) throw new HttpError(403, 'error.403');
          return showUsers(request, reply, web, { rowError: { userId: target.id, message: request.t('users.error.unknownOffice', { office }) }, status: 400 });
        }
        if (role !== 'none' && !isRole(role)) throw new HttpError(400, 'error.400');
        const granted = role === 'none' ? null : role;
        await setUserRole(web.store, target.id, office, granted);
        await audit(request, web, actor, 'users.role', office, { user: target.name, role: granted, previous: target.roles.get(office) ?? null });
        return done(reply, 'role', target);
      },
    );

    registerAccountRoutes(app, web);
  },
};
