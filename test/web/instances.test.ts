/**
 * Two web instances on one database (a load balancer in front): a session made
 * on one is valid on the other, sign-out on one ends it on both, and a
 * password guesser spread over both meets one lock-out.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildWebServer } from '../../src/web/server';
import { DIALECTS, useTestStore } from '../support/databases';
import { addUser, Browser, OFFICES } from '../support/web';

describe.each(DIALECTS)('web: several instances on one database (%s)', (dialect) => {
  const db = useTestStore(dialect);
  const clock = { now: () => new Date('2026-11-27T06:30:00Z') };
  let apps: FastifyInstance[] = [];

  afterEach(async () => {
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });

  it('shares sessions and the sign-in lock-out', async () => {
    const second = dialect === 'sqlite' ? db.store : await db.open();
    apps = await Promise.all(
      [db.store, second].map((store) => buildWebServer({ store, logger: pino({ level: 'silent' }), clock, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 1000 })),
    );
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    await addUser(db.store, 'ani', { 'kanim-medan': 'viewer' });

    const onA = new Browser(a);
    expect((await onA.login('ani')).statusCode).toBe(303);
    const onB = new Browser(b);
    onB.cookies.set('qh_session', onA.cookies.get('qh_session')!);
    expect((await onB.get('/admin/o/kanim-medan/')).statusCode).toBe(200);
    expect((await onB.post('/admin/logout')).statusCode).toBe(303);
    expect((await onA.get('/admin/')).statusCode).toBe(303);

    const guessers = [new Browser(a, '203.0.113.5'), new Browser(b, '203.0.113.6')];
    for (let i = 0; i < 5; i++) expect((await guessers[i % 2]!.login('ani', `wrong guess ${i}`)).statusCode).toBe(401);
    expect((await new Browser(b).login('ani')).statusCode).toBe(429);
    expect((await new Browser(a).login('ani')).statusCode).toBe(429);
  });
});
