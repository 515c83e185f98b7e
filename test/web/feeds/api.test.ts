/**
 * The JSON API under /api/v1 end to end on both engines: the OpenAPI document
 * checked by an independent validator (@seriousme/openapi-schema-validator),
 * every endpoint's real answers validated against the schemas it documents
 * (ajv, JSON Schema 2020-12), paging over announcements that share a minute,
 * and CORS on the API and feeds but not on the console.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv2020 from 'ajv/dist/2020';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { listAnnouncements } from '../../../src/public/announcements';
import { icsUid } from '../../../src/public/feeds/calendar-ics';
import { publicOpenings } from '../../../src/public/openings';
import { DIALECTS, useTestStore } from '../../support/databases';
import { at, buildFeedServer, DST_OFFICE, EMPTY_OFFICE, FEED_OFFICES, loadFiles, NOW, officeFiles, SAMPLE_OFFICE, seedFeedOffices, WIT_OFFICE } from './feeds-fixture';
import { SAMPLE_PUBLIC_BASE_URL } from '../../support/sample-config';

const run = promisify(execFile);
const VALIDATOR_CLI = path.resolve('node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates bodies against the schemas the document gives for (path, status, type). */
function responseChecker(document: object): (apiPath: string, status: number, response: LightMyRequestResponse) => void {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', { type: 'string', validate: (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)) });
  ajv.addFormat('uri', { type: 'string', validate: (value: string) => URL.canParse(value) });
  ajv.addSchema(document, 'openapi.json');
  const pointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  return (apiPath, status, response) => {
    const type = String(response.headers['content-type']).split(';')[0]!;
    const validate = ajv.compile({ $ref: `openapi.json#/paths/${pointer(apiPath)}/get/responses/${status}/content/${pointer(type)}/schema` });
    expect(response.statusCode).toBe(status);
    const body: unknown = type === 'application/json' ? response.json() : response.body;
    if (!validate(body)) throw new Error(`${apiPath} ${status}: the answer does not match its documented schema:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  };
}

describe.each(DIALECTS)('web/feeds /api/v1 on %s', (dialect) => {
  const ctx = useTestStore(dialect, { seed: seedFeedOffices });
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function get(url: string, headers: Record<string, string> = {}, clock = { now: NOW }): Promise<LightMyRequestResponse> {
    app ??= await buildFeedServer(ctx.store, clock);
    return app.inject({ method: 'GET', url, headers });
  }

  // The document and the route table come from the code, not from the store: checked on one engine
  // (two runs of the validator each time). The answers, which do read the store, are validated
  // against the document's schemas on both (the next test).
  if (dialect === DIALECTS[0]) it('documents itself in OpenAPI 3.1: a valid document, every API route in it and nothing else', async () => {
    const response = await get('/api/v1/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'herald-openapi-')), 'openapi.json');
    fs.writeFileSync(file, response.body);
    const result = await run(process.execPath, [VALIDATOR_CLI, file]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(JSON.parse(result.stdout)).toEqual({ valid: true });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    // The validator does reject a broken document (this check can fail).
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, JSON.stringify({ ...document, paths: { '/x': { get: { responses: { '200': { content: 'nonsense' } } } } } }));
    await expect(run(process.execPath, [VALIDATOR_CLI, file])).rejects.toMatchObject({ code: 1 });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });

    const served = app!.routeTable
      // The catch-all under /api/v1 only answers 404 for what is not an endpoint.
      .filter((route) => route.method === 'GET' && route.url !== '/api/v1/*' && (route.url.startsWith('/api/v1/') || /\.(ics|atom)$/.test(route.url)))
      .map((route) => route.url.replace(/:(\w+)/g, '{$1}'))
      .sort();
    expect(Object.keys(document.paths).sort()).toEqual(served);
  });

  it('every endpoint answers what it documents: offices, openings, announcements, a code, errors', async () => {
    const check = responseChecker((await get('/api/v1/openapi.json')).json() as object);
    check('/api/v1/openapi.json', 200, await get('/api/v1/openapi.json'));
    const offices = await get('/api/v1/offices');
    check('/api/v1/offices', 200, offices);
    expect((offices.json() as { offices: { id: string }[] }).offices.map((office) => office.id)).toEqual(FEED_OFFICES.map((office) => office.id));
    for (const office of FEED_OFFICES) {
      check('/api/v1/offices/{office}', 200, await get(`/api/v1/offices/${office.id}`));
      check('/api/v1/offices/{office}/openings', 200, await get(`/api/v1/offices/${office.id}/openings`));
      check('/api/v1/offices/{office}/announcements', 200, await get(`/api/v1/offices/${office.id}/announcements`));
      check('/o/{office}/calendar.ics', 200, await get(`/o/${office.id}/calendar.ics`));
      check('/o/{office}/feed.atom', 200, await get(`/o/${office.id}/feed.atom`));
    }
    const [announcement] = await listAnnouncements(ctx.store, SAMPLE_OFFICE);
    check('/api/v1/announcements/{code}', 200, await get(`/api/v1/announcements/${announcement!.code}`));
    check('/api/v1/announcements/{code}', 404, await get('/api/v1/announcements/ZZZZZZZZ'));
    for (const missing of ['/api/v1/offices/{office}', '/api/v1/offices/{office}/openings', '/api/v1/offices/{office}/announcements']) {
      check(missing, 404, await get(missing.replace('{office}', 'kanim-entah')));
    }
    check('/api/v1/offices/{office}/announcements', 400, await get(`/api/v1/offices/${SAMPLE_OFFICE}/announcements?from=kemarin`));
  });

  it('openings: the calendar the bot plans from, with instants in UTC, state, UID and SEQUENCE', async () => {
    const body = (await get(`/api/v1/offices/${WIT_OFFICE}/openings`)).json() as { office: string; modifiedAt: string; openings: Record<string, unknown>[] };
    const expected = publicOpenings(loadFiles(WIT_OFFICE, officeFiles(WIT_OFFICE), NOW).offices[0]!, NOW);
    expect(body.office).toBe(WIT_OFFICE);
    expect(body.modifiedAt).toBe(NOW.toISOString());
    expect(body.openings.map((opening) => [opening.releaseId, opening.uid, opening.opensAt, opening.state, opening.sequence])).toEqual(
      expected.map((opening) => [opening.releaseId, icsUid(opening), opening.opensAt.toISOString(), opening.state, 0]),
    );
    expect(body.openings.find((opening) => opening.releaseId === 'layanan-sabtu')).toMatchObject({ opensAt: '2026-12-13T23:00:00.000Z', opensLabel: 'Senin, 14 Desember 2026 pukul 08.00 WIT', timezone: 'Asia/Jayapura', status: 'open' });
    const empty = (await get(`/api/v1/offices/${EMPTY_OFFICE}/openings`)).json() as { openings: unknown[] };
    expect(empty.openings).toEqual([]);
  });

  it('announcements: newest first as in the ledger; the next links page through every one, those sharing a minute too', async () => {
    const ledger = await listAnnouncements(ctx.store, SAMPLE_OFFICE, { includeDryRun: true });
    // Two announcements went out at 19.00 WIB on the 10th: a page boundary falls between them.
    expect(ledger.filter((a) => a.publishedAt.getTime() === ledger[0]!.publishedAt.getTime()).length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let url: string | null = `/api/v1/offices/${SAMPLE_OFFICE}/announcements?limit=1`;
    while (url !== null) {
      const page = (await get(url)).json() as { announcements: { code: string; url: string; cards: { url: string }[] }[]; next: string | null };
      expect(page.announcements.length).toBeLessThanOrEqual(1);
      seen.push(...page.announcements.map((a) => a.code));
      url = page.next === null ? null : page.next.replace(SAMPLE_PUBLIC_BASE_URL, '');
      expect(seen.length).toBeLessThanOrEqual(ledger.length + 1);
    }
    expect(seen).toEqual(ledger.map((a) => a.code));
    const all = (await get(`/api/v1/offices/${SAMPLE_OFFICE}/announcements`)).json() as { announcements: { code: string; url: string; cards: { url: string }[]; channels: { text: string }[] }[]; next: string | null };
    expect(all.next).toBeNull();
    expect(all.announcements[0]).toMatchObject({
      // The sample sets settings.web.publicBaseUrl: links are built from it, not from the request.
      url: `${SAMPLE_PUBLIC_BASE_URL}/o/${SAMPLE_OFFICE}/archive/${ledger[0]!.code}`,
      cards: [{ url: `${SAMPLE_PUBLIC_BASE_URL}/o/${SAMPLE_OFFICE}/archive/${ledger[0]!.code}/card-1.jpg` }],
      channels: ledger[0]!.channels.map((channel) => ({ text: channel.text })),
    });
  });

  it('announcements by date: a plain date is its start in the office zone; bad parameters are a 400 naming them', async () => {
    const codes = async (query: string): Promise<string[]> => ((await get(`/api/v1/offices/${SAMPLE_OFFICE}/announcements?${query}`)).json() as { announcements: { publishedAt: string }[] }).announcements.map((a) => a.publishedAt);
    // 10 December WIB starts at 17.00 UTC on the 9th: the 19.00 WIB posts of the 10th are in, Sunday's digest is not.
    const tenth = await codes('from=2026-12-10');
    expect(tenth.length).toBeGreaterThan(0);
    expect(tenth.every((publishedAt) => publishedAt >= '2026-12-09T17:00:00.000Z')).toBe(true);
    const before = await codes('to=2026-12-10');
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((publishedAt) => publishedAt < '2026-12-09T17:00:00.000Z')).toBe(true);
    expect(await codes('from=2026-12-10T19:00:01%2B07:00')).toEqual([]);
    for (const [query, parameter] of [['from=kemarin', 'from'], ['to=2026-13-01', 'to'], ['before=2026-12-10T19:00', 'before'], ['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=dua', 'limit'], ['beforeCode=ABCDEFGH', 'beforeCode']]) {
      const response = await get(`/api/v1/offices/${SAMPLE_OFFICE}/announcements?${query}`);
      expect([query, response.statusCode, (response.json() as { error: string }).error]).toEqual([query, 400, 'bad-request']);
      expect((response.json() as { message: string }).message.startsWith(`${parameter}:`)).toBe(true);
    }
  });

  it('verifies a code as printed or typed; a code nobody published is a 404', async () => {
    const [announcement] = await listAnnouncements(ctx.store, SAMPLE_OFFICE);
    for (const typed of [announcement!.code, announcement!.codeLabel, announcement!.codeLabel.toLowerCase()]) {
      const body = (await get(`/api/v1/announcements/${encodeURIComponent(typed)}`)).json() as { code: string; announcements: { officeId: string; code: string }[] };
      expect(body).toMatchObject({ code: announcement!.code, announcements: [{ officeId: SAMPLE_OFFICE, code: announcement!.code }] });
    }
    const unknown = await get('/api/v1/announcements/K7M2-Q9XD');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not-found', message: 'No published announcement has the code K7M2-Q9XD: it is not an announcement of any office here.' });
    expect((await get('/api/v1/announcements/bukan-kode')).statusCode).toBe(404);
  });

  it('answers 304 to a client whose copy is current', async () => {
    for (const url of [`/api/v1/offices/${SAMPLE_OFFICE}/announcements`, `/api/v1/offices/${SAMPLE_OFFICE}/openings`, '/api/v1/offices', `/api/v1/offices/${DST_OFFICE}`]) {
      const first = await get(url);
      expect(first.headers['cache-control']).toBe('public, max-age=60');
      const again = await get(url, { 'if-none-match': String(first.headers.etag) });
      expect([url, again.statusCode, again.body]).toEqual([url, 304, '']);
    }
    const openings = await get(`/api/v1/offices/${SAMPLE_OFFICE}/openings`);
    expect((await get(`/api/v1/offices/${SAMPLE_OFFICE}/openings`, { 'if-modified-since': String(openings.headers['last-modified']) })).statusCode).toBe(304);
  });

  it('CORS: any origin may read the API and the feeds, preflight answered; the console gets none of it', async () => {
    const origin = { origin: 'https://portal.pontianak.example' };
    for (const url of ['/api/v1/offices', `/o/${SAMPLE_OFFICE}/calendar.ics`, `/o/${SAMPLE_OFFICE}/feed.atom`, '/api/v1/tidak-ada', '/o/kanim-entah/feed.atom']) {
      const response = await get(url, origin);
      expect([url, response.headers['access-control-allow-origin'], response.headers['access-control-allow-credentials']]).toEqual([url, '*', undefined]);
    }
    for (const url of ['/api/v1/offices', `/api/v1/offices/${SAMPLE_OFFICE}/announcements`, `/o/${SAMPLE_OFFICE}/calendar.ics`, `/o/${SAMPLE_OFFICE}/feed.atom`]) {
      const preflight = await app!.inject({ method: 'OPTIONS', url, headers: { ...origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
      expect([url, preflight.statusCode, preflight.headers['access-control-allow-origin'], preflight.headers['access-control-allow-methods'], preflight.headers['access-control-allow-headers']]).toEqual([
        url,
        204,
        '*',
        'GET, HEAD, OPTIONS',
        'if-none-match',
      ]);
    }
    for (const url of ['/admin/login', '/admin/', '/healthz']) {
      const response = await get(url, origin);
      expect([url, response.headers['access-control-allow-origin']]).toEqual([url, undefined]);
      const preflight = await app!.inject({ method: 'OPTIONS', url, headers: { ...origin, 'access-control-request-method': 'POST' } });
      expect([url, preflight.statusCode === 204, preflight.headers['access-control-allow-origin']]).toEqual([url, false, undefined]);
    }
  });

  it('every feed and API route is public (the guard refuses a route without access)', async () => {
    await get('/api/v1/offices');
    const ours = app!.routeTable.filter((route) => route.url.startsWith('/api/v1') || /\.(ics|atom)$/.test(route.url));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    for (const route of ours) expect([route.method, route.url, route.access]).toEqual([route.method, route.url, { kind: 'public' }]);
  });

  it('the openings of a zone with summer time, read when it is summer time, are the same instants', async () => {
    const body = (await get(`/api/v1/offices/${DST_OFFICE}/openings`, {}, { now: at('2027-03-28T12:00Z') })).json() as { openings: { releaseId: string; opensAt: string; closesAt: string | null; state: string }[] };
    expect(body.openings.map((opening) => [opening.releaseId, opening.opensAt, opening.closesAt, opening.state])).toEqual([
      ['sebelum-dst', '2027-03-26T09:00:00.000Z', null, 'dibuka'],
      ['melewati-dst', '2027-03-27T21:00:00.000Z', '2027-03-28T08:00:00.000Z', 'ditutup'],
      ['sesudah-dst', '2027-03-29T08:00:00.000Z', null, 'akan-dibuka'],
    ]);
  });
});
