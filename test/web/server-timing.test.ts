/**
 * Every response to a signed-in user says how long the server took for it
 * (`Server-Timing: app;dur=MS`): browsers show it in their network panel, and
 * bench/console.ts reads the console's page times from it. A visitor gets no
 * precise timing of the sign-in's password check.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildWebServer, serverTiming } from '../../src/web/server';
import { useTestStore } from '../support/databases';
import { addUser, Browser, OFFICES } from '../support/web';

const NOW = new Date('2026-11-27T06:30:00Z');
const TIMING = /^app;dur=(\d+\.\d)$/;

describe('web/server Server-Timing (sqlite)', () => {
  const db = useTestStore('sqlite');
  let app: FastifyInstance;

  beforeEach(async () => {
    app = await buildWebServer({ store: db.store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false }, loginRatePerMinute: 1000 });
    await addUser(db.store, 'root', 'global-admin');
  });
  afterEach(async () => {
    await app.close();
  });

  it('is on pages, redirects, errors and assets alike for a signed-in user; not for a visitor', async () => {
    const visitor = new Browser(app);
    for (const response of [await visitor.get('/admin/login'), await visitor.post('/admin/login', { name: 'root', password: 'salah sekali kata sandinya' }), await visitor.get('/admin/')]) {
      expect(response.headers['server-timing']).toBeUndefined();
    }
    const browser = new Browser(app);
    expect((await browser.login('root')).statusCode).toBe(303);
    const asked = { '/admin/': 200, '/admin': 301, '/admin/nothing-here': 404, '/admin/assets/console.css': 200 };
    const responses = await Promise.all(Object.keys(asked).map((url) => browser.get(url)));
    expect(responses.map((r) => r.statusCode)).toEqual(Object.values(asked));
    for (const response of responses) expect(String(response.headers['server-timing'])).toMatch(TIMING);
  });

  it('is in milliseconds with one decimal', () => {
    expect(serverTiming(0)).toBe('app;dur=0.0');
    expect(serverTiming(12.345)).toBe('app;dur=12.3');
    expect(serverTiming(1234.56)).toBe('app;dur=1234.6');
  });
});
