import { appendAudit, listAudit } from '../../src/store/audit-log';
import { clearLoginFailures, ipKey, lockedUntil, pruneLoginFailures, recordLoginFailure, userKey } from '../../src/store/login-failures';
import { createSession, deleteExpiredSessions, deleteOtherSessions, deleteSession, deleteUserSessions, findSession, hashSessionToken } from '../../src/store/sessions';
import { createUser, findUserForLogin, getUser, isValidUserName, listUsers, setUserDisabled, setUserRole, UserExistsError } from '../../src/store/users';
import { DIALECTS, useTestStore } from '../support/databases';

const at = (iso: string): Date => new Date(iso);
const MIN = 60_000;
const timeouts = { idleMs: 30 * MIN, absoluteMs: 8 * 60 * MIN };

describe.each(DIALECTS)('store: console users, sessions, audit, login failures (%s)', (dialect) => {
  const db = useTestStore(dialect);
  const now = at('2026-11-27T06:30:00Z');

  it('creates users with roles per office; names are unique whatever their case and spaces', async () => {
    const ani = await createUser(db.store, { name: 'Ani ', passwordHash: 'h1', globalAdmin: false, roles: new Map([['kanim-medan', 'editor'], ['kanim-pontianak', 'viewer']]) }, now);
    await createUser(db.store, { name: 'root', passwordHash: 'h2', globalAdmin: true, roles: new Map() }, now);
    expect(ani.name).toBe('ani');
    await expect(createUser(db.store, { name: 'ANI', passwordHash: 'h3', globalAdmin: false, roles: new Map() }, now)).rejects.toBeInstanceOf(UserExistsError);
    const found = await findUserForLogin(db.store, ' ani');
    expect(found?.passwordHash).toBe('h1');
    expect([...found!.user.roles]).toEqual([['kanim-medan', 'editor'], ['kanim-pontianak', 'viewer']]);
    expect((await getUser(db.store, ani.id))?.createdAt).toEqual(now);
    expect((await listUsers(db.store)).map((u) => [u.name, u.globalAdmin])).toEqual([['ani', false], ['root', true]]);
    expect(await findUserForLogin(db.store, 'budi')).toBeUndefined();
  });

  it('lists every user with their own roles, as each is read alone', async () => {
    await createUser(db.store, { name: 'dewi', passwordHash: 'h', globalAdmin: false, roles: new Map([['kanim-pontianak', 'approver']]) }, now);
    await createUser(db.store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map([['kanim-pontianak', 'viewer'], ['kanim-medan', 'editor']]) }, now);
    await createUser(db.store, { name: 'root', passwordHash: 'h', globalAdmin: true, roles: new Map() }, now);
    await createUser(db.store, { name: 'budi', passwordHash: 'h', globalAdmin: false, roles: new Map() }, now);
    const listed = await listUsers(db.store);
    expect(listed.map((u) => [u.name, [...u.roles]])).toEqual([
      ['ani', [['kanim-medan', 'editor'], ['kanim-pontianak', 'viewer']]],
      ['budi', []],
      ['dewi', [['kanim-pontianak', 'approver']]],
      ['root', []],
    ]);
    for (const user of listed) expect(user).toEqual(await getUser(db.store, user.id));
  });

  it('of two instances creating the same user at once, one succeeds and the other is told the name is taken', async () => {
    const second = dialect === 'sqlite' ? db.store : await db.open();
    const user = { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map([['a', 'viewer' as const]]) };
    const results = await Promise.allSettled([createUser(db.store, user, now), createUser(second, user, now)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(UserExistsError) });
  });

  it('a session is found by its token only (the table holds its hash), ends when idle or at its absolute end, and with its disabled user', async () => {
    const user = await createUser(db.store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map() }, now);
    const { token, session } = await createSession(db.store, user.id, now, timeouts);
    expect(session.id).toBe(hashSessionToken(token));
    expect(session.id).not.toContain(token);
    expect(await findSession(db.store, session.id, now, timeouts)).toBeUndefined();
    // Used every 20 minutes: alive past the idle timeout, until the absolute end.
    for (let minute = 20; minute < 8 * 60; minute += 20) {
      const found = await findSession(db.store, token, new Date(now.getTime() + minute * MIN), timeouts);
      expect(found?.csrfSecret).toBe(session.csrfSecret);
    }
    expect(await findSession(db.store, token, new Date(now.getTime() + 8 * 60 * MIN), timeouts)).toBeUndefined();

    const idle = await createSession(db.store, user.id, now, timeouts);
    expect(await findSession(db.store, idle.token, new Date(now.getTime() + 29 * MIN), timeouts)).toBeDefined();
    expect(await findSession(db.store, idle.token, new Date(now.getTime() + 29 * MIN + 30 * MIN), timeouts)).toBeUndefined();

    const third = await createSession(db.store, user.id, now, timeouts);
    await setUserDisabled(db.store, user.id, true);
    expect(await findSession(db.store, third.token, now, timeouts)).toBeUndefined();
  });

  it('deletes one session, all of a user, and the expired ones', async () => {
    const user = await createUser(db.store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map() }, now);
    const a = await createSession(db.store, user.id, now, timeouts);
    const b = await createSession(db.store, user.id, now, timeouts);
    await deleteSession(db.store, a.session.id);
    expect(await findSession(db.store, a.token, now, timeouts)).toBeUndefined();
    expect(await findSession(db.store, b.token, now, timeouts)).toBeDefined();
    expect(await deleteUserSessions(db.store, user.id)).toBe(1);
    await createSession(db.store, user.id, now, timeouts);
    const fresh = await createSession(db.store, user.id, new Date(now.getTime() + 40 * MIN), timeouts);
    expect(await deleteExpiredSessions(db.store, new Date(now.getTime() + 41 * MIN), timeouts)).toBe(1);
    expect(await findSession(db.store, fresh.token, new Date(now.getTime() + 41 * MIN), timeouts)).toBeDefined();
  });

  it('sets, replaces and removes a user\'s role in one office, leaving their other offices and other users alone', async () => {
    const ani = await createUser(db.store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map([['kanim-medan', 'viewer']]) }, now);
    const budi = await createUser(db.store, { name: 'budi', passwordHash: 'h', globalAdmin: false, roles: new Map([['kanim-medan', 'admin']]) }, now);
    await setUserRole(db.store, ani.id, 'kanim-pontianak', 'editor');
    await setUserRole(db.store, ani.id, 'kanim-medan', 'approver');
    expect([...(await getUser(db.store, ani.id))!.roles]).toEqual([['kanim-medan', 'approver'], ['kanim-pontianak', 'editor']]);
    await setUserRole(db.store, ani.id, 'kanim-medan', null);
    await setUserRole(db.store, ani.id, 'kanim-jayapura', null);
    expect([...(await getUser(db.store, ani.id))!.roles]).toEqual([['kanim-pontianak', 'editor']]);
    expect([...(await getUser(db.store, budi.id))!.roles]).toEqual([['kanim-medan', 'admin']]);
  });

  it('ends every session of a user but the one kept', async () => {
    const ani = await createUser(db.store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map() }, now);
    const budi = await createUser(db.store, { name: 'budi', passwordHash: 'h', globalAdmin: false, roles: new Map() }, now);
    const [kept, other, third, budis] = [await createSession(db.store, ani.id, now, timeouts), await createSession(db.store, ani.id, now, timeouts), await createSession(db.store, ani.id, now, timeouts), await createSession(db.store, budi.id, now, timeouts)];
    expect(await deleteOtherSessions(db.store, ani.id, kept.session.id)).toBe(2);
    expect(await findSession(db.store, kept.token, now, timeouts)).toBeDefined();
    expect(await findSession(db.store, other.token, now, timeouts)).toBeUndefined();
    expect(await findSession(db.store, third.token, now, timeouts)).toBeUndefined();
    expect(await findSession(db.store, budis.token, now, timeouts)).toBeDefined();
  });

  it('keeps an audit trail, newest first, filtered by office', async () => {
    await appendAudit(db.store, { userName: 'ani', officeId: null, action: 'login', detail: {}, ip: '10.0.0.1' }, now);
    await appendAudit(db.store, { userName: 'ani', officeId: 'kanim-medan', action: 'calendar.edit', detail: { release: 'r1', note: 'jam <b>' }, ip: null }, new Date(now.getTime() + MIN));
    await appendAudit(db.store, { userName: 'budi', officeId: 'kanim-pontianak', action: 'calendar.edit', detail: {}, ip: null }, new Date(now.getTime() + 2 * MIN));
    const all = await listAudit(db.store);
    expect(all.map((e) => e.action)).toEqual(['calendar.edit', 'calendar.edit', 'login']);
    expect(all[1]).toMatchObject({ userName: 'ani', officeId: 'kanim-medan', detail: { release: 'r1', note: 'jam <b>' }, at: new Date(now.getTime() + MIN) });
    expect((await listAudit(db.store, { officeIds: ['kanim-medan'] })).map((e) => e.userName)).toEqual(['ani']);
    expect(await listAudit(db.store, { officeIds: [] })).toEqual([]);
    expect((await listAudit(db.store, { userName: 'ani', limit: 1 })).map((e) => e.action)).toEqual(['calendar.edit']);
  });

  it('locks a key after max failures in the window, until the oldest counted one ages out; success clears the user', async () => {
    const window = 15 * MIN;
    for (let i = 0; i < 4; i++) await recordLoginFailure(db.store, [userKey('ani'), ipKey('10.0.0.1')], new Date(now.getTime() + i * MIN));
    expect(await lockedUntil(db.store, userKey('ani'), 5, new Date(now.getTime() + 4 * MIN), window)).toBeNull();
    await recordLoginFailure(db.store, [userKey('ani'), ipKey('10.0.0.1')], new Date(now.getTime() + 4 * MIN));
    expect(await lockedUntil(db.store, userKey('ani'), 5, new Date(now.getTime() + 5 * MIN), window)).toEqual(new Date(now.getTime() + window));
    expect(await lockedUntil(db.store, userKey('ani'), 5, new Date(now.getTime() + window), window)).toBeNull();
    expect(await lockedUntil(db.store, userKey('budi'), 5, now, window)).toBeNull();
    await clearLoginFailures(db.store, userKey('ani'));
    expect(await lockedUntil(db.store, userKey('ani'), 1, new Date(now.getTime() + 5 * MIN), window)).toBeNull();
    expect(await lockedUntil(db.store, ipKey('10.0.0.1'), 5, new Date(now.getTime() + 5 * MIN), window)).not.toBeNull();
    expect(await pruneLoginFailures(db.store, new Date(now.getTime() + window + 2 * MIN), window)).toBe(3);
  });
});

describe('store: console user names', () => {
  it('accepts user names of letters, digits and . _ @ - only', () => {
    expect(['ani', ' Ani.Siregar ', 'budi@kanim-medan', 'x_1'].map(isValidUserName)).toEqual([true, true, true, true]);
    expect(['', '.ani', 'ani siregar', '<script>', 'a'.repeat(101), 'ani/../x'].map(isValidUserName)).toEqual([false, false, false, false, false, false]);
  });
});
