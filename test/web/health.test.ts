/**
 * /healthz and /readyz of the real web server on a real ledger: ready only
 * when the database answers, every served office has a current config
 * revision (and the process finished loading), and the process is not
 * draining; the body names each check. `quota_herald_ready` says the same.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createRevision } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import { buildWebServer } from '../../src/web/server';
import type { Readiness } from '../../src/web/health';
import type { OfficeSummary } from '../../src/web/offices';
import { DIALECTS, useTestStore } from '../support/databases';
import { parseScrape, sampleValue } from '../support/prometheus';
import { OFFICES } from '../support/web';

const NOW = new Date('2026-11-27T06:30:00Z');

async function seedRevisions(store: Store): Promise<void> {
  for (const office of OFFICES) {
    await createRevision(store, { officeId: office.id, parentId: null, author: 'files', message: 'start', files: { 'herald.yaml': `office: ${office.id}\n` }, problems: [] }, NOW);
  }
}

function server(store: Store, options: { offices?: readonly OfficeSummary[]; readiness?: Readiness } = {}): Promise<FastifyInstance> {
  return buildWebServer({
    store,
    logger: pino({ level: 'silent' }),
    clock: { now: () => NOW },
    offices: () => options.offices ?? OFFICES,
    settings: { secureCookies: false, trustProxy: false },
    ...(options.readiness ? { readiness: options.readiness } : {}),
  });
}

async function ready(app: FastifyInstance): Promise<{ code: number; body: unknown; gauge: number | undefined }> {
  const response = await app.inject({ method: 'GET', url: '/readyz' });
  const gauge = sampleValue(parseScrape((await app.inject({ method: 'GET', url: '/metrics' })).body), 'quota_herald_ready');
  return { code: response.statusCode, body: response.json(), gauge };
}

describe.each(DIALECTS)('web/health (%s)', (dialect) => {
  const db = useTestStore(dialect, { seed: seedRevisions });

  it('is ready when the database answers and every served office has a current config revision', async () => {
    const app = await server(db.store);
    try {
      expect(await ready(app)).toEqual({
        code: 200,
        body: { status: 'ok', checks: { database: { ok: true }, config: { ok: true, detail: '2 office(s)' }, draining: { ok: true } } },
        gauge: 1,
      });
      expect((await app.inject({ method: 'GET', url: '/readyz' })).headers['cache-control']).toBe('no-store');
    } finally {
      await app.close();
    }
  });

  it('is not ready while an office it serves has no current config, or the process still loads its config', async () => {
    const withNewOffice = await server(db.store, { offices: [...OFFICES, { id: 'kanim-baru', name: 'Kantor Baru', timezone: 'Asia/Jakarta', locale: 'id-ID' }] });
    const loading = await server(db.store, { readiness: { configLoaded: () => false } });
    try {
      expect(await ready(withNewOffice)).toEqual({
        code: 503,
        body: { status: 'not ready', checks: { database: { ok: true }, config: { ok: false, detail: 'no current config revision: kanim-baru' }, draining: { ok: true } } },
        gauge: 0,
      });
      expect(await ready(loading)).toMatchObject({ code: 503, body: { status: 'not ready', checks: { config: { ok: false, detail: 'the config is still loading' } } }, gauge: 0 });
    } finally {
      await withNewOffice.close();
      await loading.close();
    }
  });

  it('answers 503 `draining` once the process is stopping, while /healthz still says the process is up', async () => {
    let stopping = false;
    const app = await server(db.store, { readiness: { draining: () => stopping } });
    try {
      expect((await ready(app)).code).toBe(200);
      stopping = true;
      expect(await ready(app)).toMatchObject({ code: 503, body: { status: 'draining', checks: { database: { ok: true }, config: { ok: true }, draining: { ok: false, detail: 'the process is stopping' } } }, gauge: 0 });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('is not ready when the database does not answer; /metrics then says the ledger is down instead of failing', async () => {
    const store = await db.database.open();
    const app = await server(store);
    try {
      expect((await ready(app)).code).toBe(200);
      await store.close();
      const after = await app.inject({ method: 'GET', url: '/readyz' });
      expect([after.statusCode, after.json()]).toEqual([
        503,
        { status: 'not ready', checks: { database: { ok: false, detail: 'the database does not answer' }, config: { ok: false, detail: 'not checked: the database does not answer' }, draining: { ok: true } } },
      ]);
      const scrape = await app.inject({ method: 'GET', url: '/metrics' });
      const metrics = parseScrape(scrape.body);
      expect([scrape.statusCode, sampleValue(metrics, 'quota_herald_ledger_up'), sampleValue(metrics, 'quota_herald_ready'), metrics.samples.some((sample) => sample.name === 'quota_herald_posts')]).toEqual([200, 0, 0, false]);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
