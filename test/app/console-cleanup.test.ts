/**
 * app/console-cleanup: expired console sessions, failed sign-ins past the
 * lock-out window and audit entries past settings.web.auditRetentionDays go,
 * in batches of bounded size; live sessions, recent failures and the last
 * year's audit stay. One instance of the cluster runs each period, also when
 * two fire at once and neither is a registered instance (`serve`, `run` on SQLite).
 */
import { Writable } from 'node:stream';
import { CONSOLE_CLEANUP_JOB, cleanConsoleData, runConsoleCleanup, startConsoleCleanup, type ConsoleRetention } from '../../src/app/console-cleanup';
import { createLogger } from '../../src/logger';
import { appendAudit, listAudit, pruneAudit } from '../../src/store/audit-log';
import { occurrenceKey } from '../../src/store/job-runs';
import { ipKey, lockedUntil, pruneLoginFailures, recordLoginFailure, userKey } from '../../src/store/login-failures';
import type { Store } from '../../src/store/open';
import { createSession, deleteExpiredSessions, findSession } from '../../src/store/sessions';
import { createUser } from '../../src/store/users';
import { DIALECTS, useTestStore } from '../support/databases';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const NOW = new Date('2026-11-27T06:41:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);
const RETENTION: ConsoleRetention = { sessions: { idleMs: 120 * MIN, absoluteMs: 720 * MIN }, loginFailureWindowMs: 15 * MIN, auditRetentionDays: 366 };

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: () => { msg: string; owner?: string }[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines: () => text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string }) };
}

/** Three expired sessions (two past their absolute end, one idle) and one live; the live one's token. */
async function sessions(store: Store): Promise<string> {
  const user = await createUser(store, { name: 'ani', passwordHash: 'h', globalAdmin: false, roles: new Map() }, ago(DAY));
  await createSession(store, user.id, ago(13 * 60 * MIN), RETENTION.sessions);
  await createSession(store, user.id, ago(12 * 60 * MIN), RETENTION.sessions);
  await createSession(store, user.id, ago(3 * 60 * MIN), RETENTION.sessions); // never used again: idle for 3 h
  return (await createSession(store, user.id, ago(10 * MIN), RETENTION.sessions)).token;
}

/** Failed sign-ins: six before the window (three instants, two keys each), four in it. */
async function failures(store: Store): Promise<void> {
  for (const minutes of [60, 40, 16]) await recordLoginFailure(store, [userKey('ani'), ipKey('203.0.113.5')], ago(minutes * MIN));
  for (const minutes of [10, 5]) await recordLoginFailure(store, [userKey('ani'), ipKey('203.0.113.5')], ago(minutes * MIN));
}

/** Audit entries two years, 367 days and 365 days old, and today's. */
async function audit(store: Store): Promise<void> {
  for (const [days, action] of [[730, 'login'], [367, 'calendar.edit'], [365, 'approval.approve'], [0, 'logout']] as const) {
    await appendAudit(store, { userName: 'ani', officeId: 'kanim-medan', action, detail: { days }, ip: null }, ago(days * DAY));
  }
}

describe.each(DIALECTS)('app/console-cleanup (%s)', (dialect) => {
  const db = useTestStore(dialect);

  it('deletes what is past its retention and keeps the rest: live sessions, failures in the window, the last year of audit', async () => {
    const live = await sessions(db.store);
    await failures(db.store);
    await audit(db.store);

    expect(await cleanConsoleData(db.store, NOW, RETENTION, 2)).toEqual({ sessions: 3, loginFailures: 6, auditEntries: 2 });

    expect(await db.store.db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    expect(await findSession(db.store, live, NOW, RETENTION.sessions)).toBeDefined();
    // The two failures in the window still count: a third locks at max 2.
    expect(await db.store.db.selectFrom('login_failures').select('key').execute()).toHaveLength(4);
    expect(await lockedUntil(db.store, userKey('ani'), 2, NOW, RETENTION.loginFailureWindowMs)).not.toBeNull();
    expect((await listAudit(db.store)).map((entry) => entry.action)).toEqual(['logout', 'approval.approve']);
    // Nothing more to do the next time.
    expect(await cleanConsoleData(db.store, NOW, RETENTION, 2)).toEqual({ sessions: 0, loginFailures: 0, auditEntries: 0 });
  });

  it('each delete statement takes at most its batch', async () => {
    await sessions(db.store);
    await failures(db.store);
    await audit(db.store);
    expect(await deleteExpiredSessions(db.store, NOW, RETENTION.sessions, 2)).toBe(2);
    expect(await deleteExpiredSessions(db.store, NOW, RETENTION.sessions, 2)).toBe(1);
    expect(await pruneLoginFailures(db.store, NOW, RETENTION.loginFailureWindowMs, 4)).toBe(4);
    expect(await pruneLoginFailures(db.store, NOW, RETENTION.loginFailureWindowMs, 4)).toBe(2);
    expect(await pruneAudit(db.store, ago(366 * DAY), 1)).toBe(1);
    expect(await pruneAudit(db.store, ago(366 * DAY), 1)).toBe(1);
    expect(await pruneAudit(db.store, ago(366 * DAY), 1)).toBe(0);
  });

  it('of two instances firing for the same period, one cleans up; the next period is free again', async () => {
    // SQLite: one connection for both (better-sqlite3 blocks the process while it waits for another connection's write lock).
    const other = dialect === 'sqlite' ? db.store : await db.open();
    const { logger, lines } = captureLogger();
    const clock = { now: () => NOW };
    const instances = [
      { store: db.store, clock, logger, owner: 'serve-1', retention: RETENTION },
      { store: other, clock, logger, owner: 'run-2', retention: RETENTION },
    ];
    await sessions(db.store);
    const period = new Date('2026-11-27T06:41:00Z');
    const results = await Promise.all(instances.map((instance) => runConsoleCleanup(instance, period)));
    expect(results.filter((result) => result !== null)).toEqual([{ sessions: 3, loginFailures: 0, auditEntries: 0 }]);
    expect(lines().filter((line) => line.msg.startsWith('console clean-up: another instance runs it'))).toHaveLength(1);
    // Later in the same period (a timer that fired late): still done.
    expect(await runConsoleCleanup(instances[1]!, period)).toBeNull();

    const next = new Date(period.getTime() + 60 * MIN);
    const runs = await Promise.all(instances.map((instance) => runConsoleCleanup(instance, next)));
    expect(runs.filter((result) => result !== null)).toHaveLength(1);
    const rows = await db.store.db.selectFrom('job_runs').select(['period_key', 'finished_at']).where('job', '=', CONSOLE_CLEANUP_JOB).orderBy('period_key').execute();
    expect(rows.map((row) => [row.period_key, row.finished_at !== null])).toEqual([
      [occurrenceKey(period), true],
      [occurrenceKey(next), true],
    ]);
  });

  it('an unfinished period (its instance died mid-way) is not run again by another: the next period cleans up', async () => {
    const period = new Date('2026-11-27T06:41:00Z');
    await db.store.db.insertInto('job_runs').values({ job: CONSOLE_CLEANUP_JOB, period_key: occurrenceKey(period), owner: 'gone', started_at: NOW.getTime(), finished_at: null }).execute();
    const instance = { store: db.store, clock: { now: () => NOW }, logger: captureLogger().logger, owner: 'run-2', retention: RETENTION };
    await sessions(db.store);
    expect(await runConsoleCleanup(instance, period)).toBeNull();
    expect(await runConsoleCleanup(instance, new Date(period.getTime() + 60 * MIN))).toEqual({ sessions: 3, loginFailures: 0, auditEntries: 0 });
  });
});

describe('app/console-cleanup: the hourly timer (postgres, two instances)', () => {
  const db = useTestStore('postgres');
  afterEach(() => jest.useRealTimers());

  it('fires at 41 past the hour on both instances, and one of them cleans up', async () => {
    const other = await db.open();
    await sessions(db.store);
    jest.useFakeTimers({ now: new Date('2026-11-27T06:40:00Z'), doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { logger, lines } = captureLogger();
    const clock = { now: () => new Date() };
    const timers = [db.store, other].map((store, i) => startConsoleCleanup({ store, clock, logger, owner: `i${i}`, retention: RETENTION, zone: 'Asia/Jakarta' }));
    try {
      await jest.advanceTimersByTimeAsync(2 * MIN);
    } finally {
      // Waits for the clean-up each timer started.
      await Promise.all(timers.map((timer) => timer.stop()));
      jest.useRealTimers();
    }
    const rows = await db.store.db.selectFrom('job_runs').select(['period_key', 'finished_at']).where('job', '=', CONSOLE_CLEANUP_JOB).execute();
    expect(rows.map((row) => [row.period_key, row.finished_at !== null])).toEqual([['2026-11-27T06:41:00.000Z', true]]);
    expect(lines().filter((line) => line.msg.startsWith('console clean-up: expired sessions'))).toHaveLength(1);
    expect(await db.store.db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
  });
});
