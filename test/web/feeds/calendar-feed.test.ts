/**
 * `/o/{office}/calendar.ics` end to end: real config revisions in a real
 * store (SQLite and PostgreSQL), read back with ical.js and checked against
 * the calendar the bot plans from (public/openings.ts).
 */
import ICAL from 'ical.js';
import type { FastifyInstance } from 'fastify';
import { icsUid } from '../../../src/public/feeds/calendar-ics';
import { publicOpenings } from '../../../src/public/openings';
import { DIALECTS, useTestStore } from '../../support/databases';
import { at, buildFeedServer, DST_OFFICE, EMPTY_OFFICE, loadFiles, NOW, officeFiles, SAMPLE_OFFICE, saveRevision, seedFeedOffices, WIT_OFFICE, type TestClock } from './feeds-fixture';
import { SAMPLE_PUBLIC_BASE_URL } from '../../support/sample-config';

const HOUR = 3_600_000;

function parseEvents(ics: string): Map<string, ICAL.Component> {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
  return new Map(calendar.getAllSubcomponents('vevent').map((event) => [String(event.getFirstPropertyValue('uid')), event]));
}

function instant(event: ICAL.Component, name: string): string {
  return (event.getFirstPropertyValue(name) as ICAL.Time).toJSDate().toISOString();
}

/** The sample calendar with simpatik-desember changed by `edit`. */
function editedSample(edit: (calendar: string) => string): Record<string, string> {
  const files = officeFiles(SAMPLE_OFFICE);
  const edited = edit(files['calendar.yaml']!);
  if (edited === files['calendar.yaml']) throw new Error('the edit changed nothing');
  return { ...files, 'calendar.yaml': edited };
}

describe.each(DIALECTS)('web/feeds calendar.ics on %s', (dialect) => {
  const ctx = useTestStore(dialect, { seed: seedFeedOffices });
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(clock: TestClock = { now: NOW }): Promise<FastifyInstance> {
    app = await buildFeedServer(ctx.store, clock);
    return app;
  }

  it('has one event per public opening, with exact UTC times, cancelled ones CANCELLED, served with cache headers and CORS', async () => {
    const server = await serve();
    const response = await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(response.headers['last-modified']).toBe(NOW.toUTCString());
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const events = parseEvents(response.body);
    const expected = publicOpenings(loadFiles(SAMPLE_OFFICE, officeFiles(SAMPLE_OFFICE), NOW).offices[0]!, NOW);
    expect(expected.length).toBeGreaterThan(5);
    expect([...events.keys()]).toEqual(expected.map(icsUid));
    for (const opening of expected) {
      const event = events.get(icsUid(opening))!;
      expect(instant(event, 'dtstart')).toBe(opening.opensAt.toISOString());
      expect(instant(event, 'dtend')).toBe((opening.closesAt ?? new Date(opening.opensAt.getTime() + HOUR)).toISOString());
      expect(event.getFirstPropertyValue('status')).toBe(opening.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
      expect(event.getFirstPropertyValue('sequence')).toBe(0);
      expect(String(event.getFirstPropertyValue('description'))).toContain(`Pendaftaran GRATIS, waspada calo.\n${SAMPLE_PUBLIC_BASE_URL}/o/kanim-pontianak/`); // the sample's settings.web.publicBaseUrl
    }
    // Read off the sample config by hand: 09.00–17.00 WIB on Friday 11 December.
    const simpatik = events.get('simpatik-desember@kanim-pontianak.quota-herald')!;
    expect([instant(simpatik, 'dtstart'), instant(simpatik, 'dtend')]).toEqual(['2026-12-11T02:00:00.000Z', '2026-12-11T10:00:00.000Z']);
    expect(String(simpatik.getFirstPropertyValue('description'))).toContain('- Sabtu, 19 Desember 2026: Reguler 80');
    expect(events.get('simpatik-november@kanim-pontianak.quota-herald')!.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('raises SEQUENCE on every change of an opening, and only its own: an edit, then a cancellation', async () => {
    const clock = { now: NOW };
    const server = await serve(clock);
    const uid = 'simpatik-desember@kanim-pontianak.quota-herald';
    const first = parseEvents((await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` })).body);
    expect(first.get(uid)!.getFirstPropertyValue('sequence')).toBe(0);

    clock.now = new Date(NOW.getTime() + HOUR);
    const edited = editedSample((calendar) => calendar.replace('{ date: 2026-12-19, quota: { regular: 80 } }', '{ date: 2026-12-19, quota: { regular: 60 } }'));
    const editRevision = await saveRevision(ctx.store, SAMPLE_OFFICE, edited, ctx.seeded.revisions[SAMPLE_OFFICE]!, clock.now);
    const afterEdit = await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` });
    const events = parseEvents(afterEdit.body);
    expect(events.get(uid)!.getFirstPropertyValue('sequence')).toBe(1);
    expect(instant(events.get(uid)!, 'last-modified')).toBe(clock.now.toISOString());
    expect(String(events.get(uid)!.getFirstPropertyValue('description'))).toContain('Sabtu, 19 Desember 2026: Reguler 60');
    for (const [other, event] of events) {
      if (other === uid) continue;
      expect([other, event.getFirstPropertyValue('sequence'), instant(event, 'last-modified')]).toEqual([other, 0, NOW.toISOString()]);
    }
    expect(afterEdit.headers['last-modified']).toBe(clock.now.toUTCString());

    // Asked again later, nothing changed: the same sequence, the same body.
    clock.now = new Date(NOW.getTime() + 2 * HOUR);
    const again = await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` });
    expect(again.body).toBe(afterEdit.body);
    expect(again.headers.etag).toBe(afterEdit.headers.etag);

    clock.now = new Date(NOW.getTime() + 3 * HOUR);
    const cancelled = editedSample((calendar) => calendar.replace('closesAt: "2026-12-11 17:00"\n', 'closesAt: "2026-12-11 17:00"\n    cancelled: true\n    cancelReason: Gangguan sistem antrean\n'));
    await saveRevision(ctx.store, SAMPLE_OFFICE, { ...cancelled, 'calendar.yaml': cancelled['calendar.yaml']!.replace('quota: { regular: 80 } }', 'quota: { regular: 60 } }') }, editRevision, clock.now);
    const event = parseEvents((await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` })).body).get(uid)!;
    expect(event.getFirstPropertyValue('sequence')).toBe(2);
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('summary')).toBe('DIBATALKAN: Pembukaan kuota antrean Paspor Reguler — Imigrasi Pontianak');
    expect(String(event.getFirstPropertyValue('description'))).toMatch(/^DIBATALKAN: Gangguan sistem antrean\./);
  });

  it('writes the versions once: requests that change nothing leave the stored rows alone', async () => {
    const clock = { now: NOW };
    const server = await serve(clock);
    await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` });
    const rows = () => ctx.store.db.selectFrom('public_versions').selectAll().where('office_id', '=', SAMPLE_OFFICE).orderBy('item').execute();
    const stored = await rows();
    expect(stored.length).toBeGreaterThan(5);
    for (const minutes of [1, 30, 59]) {
      clock.now = new Date(NOW.getTime() + minutes * 60_000);
      await server.inject({ method: 'GET', url: `/o/${SAMPLE_OFFICE}/calendar.ics` });
      await server.inject({ method: 'GET', url: `/api/v1/offices/${SAMPLE_OFFICE}/openings` });
    }
    expect(await rows()).toEqual(stored);
  });

  it('answers 304 to If-None-Match or If-Modified-Since while nothing changed, and 200 once something did', async () => {
    const clock = { now: NOW };
    const server = await serve(clock);
    const url = `/o/${SAMPLE_OFFICE}/calendar.ics`;
    const first = await server.inject({ method: 'GET', url });
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    const byTag = await server.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect([byTag.statusCode, byTag.body, byTag.headers.etag, byTag.headers['cache-control']]).toEqual([304, '', etag, 'public, max-age=60']);
    expect((await server.inject({ method: 'GET', url, headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode).toBe(304);
    expect((await server.inject({ method: 'GET', url, headers: { 'if-modified-since': lastModified } })).statusCode).toBe(304);
    expect((await server.inject({ method: 'HEAD', url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    // An ETag that does not match wins over a date that would (RFC 9110 §13.2.2).
    expect((await server.inject({ method: 'GET', url, headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url, headers: { 'if-modified-since': new Date(NOW.getTime() - 1000).toUTCString() } })).statusCode).toBe(200);

    clock.now = new Date(NOW.getTime() + HOUR);
    await saveRevision(ctx.store, SAMPLE_OFFICE, editedSample((calendar) => calendar.replace('quota: { regular: 80 } }', 'quota: { regular: 70 } }')), ctx.seeded.revisions[SAMPLE_OFFICE]!, clock.now);
    const changedByTag = await server.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
    expect(changedByTag.statusCode).toBe(200);
    expect(changedByTag.headers.etag).not.toBe(etag);
    expect((await server.inject({ method: 'GET', url, headers: { 'if-modified-since': lastModified } })).statusCode).toBe(200);
  });

  it('an office unlike the sample (WIT, Asia/Jayapura): exact times, five services', async () => {
    const server = await serve();
    const events = parseEvents((await server.inject({ method: 'GET', url: `/o/${WIT_OFFICE}/calendar.ics` })).body);
    const expected = publicOpenings(loadFiles(WIT_OFFICE, officeFiles(WIT_OFFICE), NOW).offices[0]!, NOW);
    expect([...events.keys()]).toEqual(expected.map(icsUid));
    for (const opening of expected) expect(instant(events.get(icsUid(opening))!, 'dtstart')).toBe(opening.opensAt.toISOString());
    // 08.00 WIT (UTC+9) on Monday 14 December is 23.00 UTC the day before.
    const saturday = events.get('layanan-sabtu@kanim-jayapura.quota-herald')!;
    expect(instant(saturday, 'dtstart')).toBe('2026-12-13T23:00:00.000Z');
    expect(String(saturday.getFirstPropertyValue('description'))).toContain('Dibuka Senin, 14 Desember 2026 pukul 08.00 WIT.');
    expect(String(saturday.getFirstPropertyValue('description'))).toContain('- Sabtu, 19 Desember 2026: Reguler 20, Lansia 10');
    // 09.00 WIT on the 25th is midnight UTC.
    expect(instant(events.get('bulanan@2026-12-25@kanim-jayapura.quota-herald')!, 'dtstart')).toBe('2026-12-25T00:00:00.000Z');
  });

  it('a zone with summer time (Europe/Amsterdam): exact before, after and across the spring change', async () => {
    const now = at('2027-03-20T12:00Z');
    const server = await serve({ now });
    const events = parseEvents((await server.inject({ method: 'GET', url: `/o/${DST_OFFICE}/calendar.ics` })).body);
    const times = (id: string): string[] => [instant(events.get(`${id}@${DST_OFFICE}.quota-herald`)!, 'dtstart'), instant(events.get(`${id}@${DST_OFFICE}.quota-herald`)!, 'dtend')];
    // 10.00 CET (UTC+1), then 10.00 CEST (UTC+2); the night one opens in CET and closes in CEST: 11 hours, not 12.
    expect(times('sebelum-dst')).toEqual(['2027-03-26T09:00:00.000Z', '2027-03-26T10:00:00.000Z']);
    expect(times('melewati-dst')).toEqual(['2027-03-27T21:00:00.000Z', '2027-03-28T08:00:00.000Z']);
    expect(times('sesudah-dst')).toEqual(['2027-03-29T08:00:00.000Z', '2027-03-29T09:00:00.000Z']);
    expect(events.get(`sesudah-dst@${DST_OFFICE}.quota-herald`)!.getFirstPropertyValue('summary')).toBe('Pembukaan kuota antrean Paspor, Sponsor — KBRI Den Haag');
  });

  it('an office without openings gives a valid empty calendar; an office not served here a JSON 404', async () => {
    const server = await serve();
    const empty = await server.inject({ method: 'GET', url: `/o/${EMPTY_OFFICE}/calendar.ics` });
    expect(empty.statusCode).toBe(200);
    expect(parseEvents(empty.body).size).toBe(0);
    const unknown = await server.inject({ method: 'GET', url: '/o/kanim-entah/calendar.ics' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not-found', message: 'There is no office "kanim-entah" here: GET /api/v1/offices lists them.' });
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
  });
});
