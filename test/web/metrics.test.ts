/**
 * /metrics through the real web server (fastify inject) on a real ledger,
 * read by an independent parser (test/support/prometheus.ts): the ledger
 * gauges on SQLite and PostgreSQL, the bot's daily-cap use, who may scrape,
 * and request latency labelled by route pattern, never by raw URL.
 */
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { ACCOUNTS_STATUS_KEY, type StoredAccountReport } from '../../src/app/account-watch';
import { registerBotMetrics } from '../../src/metrics/bot-metrics';
import { createMetricsRegistry } from '../../src/metrics/registry';
import { insertChannelToken } from '../../src/store/channel-tokens';
import { createRevision } from '../../src/store/config-revisions';
import type { Store } from '../../src/store/open';
import type { PostsTable } from '../../src/store/schema';
import { setRuntimeStatus } from '../../src/store/runtime-status';
import { syncPlan } from '../../src/store/sync-plan';
import { buildWebServer, type WebServerOptions } from '../../src/web/server';
import { at, buildPost } from '../store/post-builder';
import { DIALECTS, useTestStore } from '../support/databases';
import { parseScrape, sampleValue, type Scrape } from '../support/prometheus';
import { OFFICES } from '../support/web';

const NOW = at('2026-11-27T13:30+07:00');
const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

function server(store: Store, options: Partial<WebServerOptions> = {}): Promise<FastifyInstance> {
  return buildWebServer({ store, logger: pino({ level: 'silent' }), clock: { now: () => NOW }, offices: () => OFFICES, settings: { secureCookies: false, trustProxy: false }, ...options });
}

async function scrape(app: FastifyInstance): Promise<Scrape> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect([response.statusCode, response.headers['content-type']]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
  return parseScrape(response.body);
}

/** Two offices' posts in the states operators look at; returns their revision ids. */
async function seedLedger(store: Store): Promise<{ medan: number; pontianak: number }> {
  const medan = 'kanim-medan';
  const pontianak = 'kanim-pontianak';
  const posts = [
    buildPost({ n: 1, officeId: medan, channelId: `${medan}/x`, dueAt: ago(60 * MINUTE), deadline: null }),
    buildPost({ n: 2, officeId: medan, channelId: `${medan}/x`, dueAt: ago(2 * DAY), deadline: null }),
    buildPost({ n: 3, officeId: medan, channelId: `${medan}/x`, dueAt: ago(5 * MINUTE), deadline: ago(-60 * MINUTE) }),
    buildPost({ n: 4, officeId: medan, channelId: `${medan}/x`, dueAt: ago(-60 * MINUTE), deadline: null }),
    buildPost({ n: 5, officeId: pontianak, channelId: `${pontianak}/instagram`, dueAt: ago(10 * DAY), deadline: null }),
    buildPost({ n: 6, officeId: pontianak, channelId: `${pontianak}/instagram`, dueAt: ago(-DAY), deadline: null }),
    buildPost({ n: 7, officeId: pontianak, channelId: `${pontianak}/instagram`, dueAt: ago(10 * MINUTE), deadline: ago(-60 * MINUTE) }),
    buildPost({ n: 8, officeId: pontianak, channelId: `${pontianak}/instagram`, dueAt: ago(5 * MINUTE), deadline: ago(-60 * MINUTE) }),
  ];
  await syncPlan(store, posts, { from: ago(30 * DAY), to: ago(-30 * DAY) }, ago(31 * DAY));
  const set = (n: number, values: Partial<PostsTable>): Promise<unknown> => store.db.updateTable('posts').set(values).where('id', '=', `post-${n}`).execute();
  await set(1, { state: 'published', published_at: ago(55 * MINUTE).getTime(), remote_id: 'r-1' });
  await set(2, { state: 'dead', last_error: 'permanent: refused' });
  await set(3, { state: 'ready', rendered_json: '{}' });
  await set(4, { state: 'ready', rendered_json: '{}' });
  await set(5, { state: 'unknown' });
  await set(7, { state: 'retrying', next_attempt_at: ago(2 * MINUTE).getTime() });
  // Due, but held for a staff approval it never got: not something a bot failed to send.
  await set(8, { state: 'ready', rendered_json: '{}', approve_by: ago(60 * MINUTE).getTime() });

  const revision = async (officeId: string): Promise<number> =>
    (await createRevision(store, { officeId, parentId: null, author: 'files', message: 'start', files: { 'herald.yaml': `office: ${officeId}\n` }, problems: [] }, ago(DAY))).revision.id;
  const ids = { medan: await revision(medan), pontianak: await revision(pontianak) };
  // Medan's Instagram token was refreshed (the shared row knows its expiry); Pontianak's comes from .env (the account check read it).
  await insertChannelToken(store, `${medan}/instagram`, { tokenSealed: null, source: 'env', envFingerprint: 'f', obtainedAt: ago(55 * DAY), expiresAt: ago(-5 * DAY) }, { owner: 'test', now: ago(DAY) });
  const report: StoredAccountReport = { channelId: `${pontianak}/instagram`, account: '@kanim', details: [], tokenExpiresAt: ago(-20 * DAY).toISOString(), problems: [], checkedAt: ago(DAY).toISOString() };
  await setRuntimeStatus(store, ACCOUNTS_STATUS_KEY, [report]);
  return ids;
}

describe.each(DIALECTS)('web/metrics: ledger gauges (%s)', (dialect) => {
  const db = useTestStore(dialect, { seed: seedLedger });

  it('counts posts by office and state in one scrape, with the due-unsent posts, revisions and token days', async () => {
    const app = await server(db.store);
    try {
      const metrics = await scrape(app);
      const value = (name: string, labels: Record<string, string> = {}): number | undefined => sampleValue(metrics, name, labels);
      expect({
        medanPublished: value('quota_herald_posts', { office: 'kanim-medan', state: 'published' }),
        medanDead: value('quota_herald_posts', { office: 'kanim-medan', state: 'dead' }),
        medanReady: value('quota_herald_posts', { office: 'kanim-medan', state: 'ready' }),
        medanPlanned: value('quota_herald_posts', { office: 'kanim-medan', state: 'planned' }),
        pontianakUnknown: value('quota_herald_posts', { office: 'kanim-pontianak', state: 'unknown' }),
        pontianakRetrying: value('quota_herald_posts', { office: 'kanim-pontianak', state: 'retrying' }),
        medanDeadRecent: value('quota_herald_posts_recent', { office: 'kanim-medan', state: 'dead' }),
        pontianakUnknownRecent: value('quota_herald_posts_recent', { office: 'kanim-pontianak', state: 'unknown' }),
        dueUnsent: value('quota_herald_posts_due_unsent'),
        medanRevision: value('quota_herald_config_revision', { office: 'kanim-medan' }),
        pontianakRevision: value('quota_herald_config_revision', { office: 'kanim-pontianak' }),
        medanToken: value('quota_herald_token_days_left', { office: 'kanim-medan', channel: 'kanim-medan/instagram' }),
        pontianakToken: value('quota_herald_token_days_left', { office: 'kanim-pontianak', channel: 'kanim-pontianak/instagram' }),
        ledgerUp: value('quota_herald_ledger_up'),
        ready: value('quota_herald_ready'),
      }).toEqual({
        medanPublished: 1,
        medanDead: 1,
        medanReady: 2,
        medanPlanned: 0,
        pontianakUnknown: 1,
        pontianakRetrying: 1,
        medanDeadRecent: 1,
        // Due 10 days ago: not recent (a state with no recent post has no series).
        pontianakUnknownRecent: undefined,
        dueUnsent: 2,
        medanRevision: db.seeded.medan,
        pontianakRevision: db.seeded.pontianak,
        medanToken: 5,
        pontianakToken: 20,
        ledgerUp: 1,
        ready: 1,
      });
      // Every office has every state (zero when empty): 2 offices × 11 states, from one grouped read.
      expect(metrics.samples.filter((sample) => sample.name === 'quota_herald_posts')).toHaveLength(22);
      // `serve` publishes nothing: no bot metrics, but the process's own.
      expect([metrics.families.has('quota_herald_publish_attempts_total'), metrics.families.has('process_cpu_user_seconds_total')]).toEqual([false, true]);
    } finally {
      await app.close();
    }
  });

  it("`run`'s registry adds the bot's metrics: each capped channel's use of its daily cap", async () => {
    const registry = createMetricsRegistry();
    const channels = [
      { office: 'kanim-medan', channel: 'kanim-medan/x', platform: 'x', dailyCap: 4 },
      { office: 'kanim-pontianak', channel: 'kanim-pontianak/instagram', platform: 'instagram', dailyCap: 50 },
      { office: 'kanim-pontianak', channel: 'kanim-pontianak/outbox', platform: 'outbox', dailyCap: undefined },
    ];
    registerBotMetrics(registry, { store: db.store, clock: { now: () => NOW }, logger: pino({ level: 'silent' }), channels: () => channels });
    const app = await server(db.store, { metrics: registry });
    try {
      const metrics = await scrape(app);
      const ratios = metrics.samples.filter((sample) => sample.name === 'quota_herald_daily_cap_used_ratio').map((sample) => [sample.labels.office, sample.labels.platform, sample.labels.channel, sample.value]);
      expect(ratios.sort()).toEqual([
        ['kanim-medan', 'x', 'kanim-medan/x', 0.25],
        ['kanim-pontianak', 'instagram', 'kanim-pontianak/instagram', 0],
      ]);
      expect(sampleValue(metrics, 'quota_herald_publish_attempts_total', { platform: 'outbox' })).toBe(0);
      expect(sampleValue(metrics, 'quota_herald_posts', { office: 'kanim-medan', state: 'dead' })).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('web/metrics: access and labels (sqlite)', () => {
  const db = useTestStore('sqlite');
  const TOKEN = 'metrics-token-0123456789abcdef';

  it('answers a scraper on this machine; refuses any other address, and a request through a proxy, without a token', async () => {
    const app = await server(db.store);
    try {
      const from = async (remoteAddress: string, headers: Record<string, string> = {}): Promise<number> => (await app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers })).statusCode;
      expect(await from('127.0.0.1')).toBe(200);
      expect(await from('::1')).toBe(200);
      expect(await from('::ffff:127.0.0.1')).toBe(200);
      expect(await from('203.0.113.9')).toBe(403);
      expect(await from('10.1.2.3', { authorization: `Bearer ${TOKEN}` })).toBe(403);
      // A reverse proxy on this machine forwarding a visitor: loopback peer, but not a local scraper.
      expect(await from('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe(403);
      expect(await from('127.0.0.1', { forwarded: 'for=203.0.113.9' })).toBe(403);
      const refused = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' });
      expect(refused.body).not.toContain('quota_herald');
    } finally {
      await app.close();
    }
  });

  it('with settings.web.metricsToken, a remote scraper behind a trusted proxy needs the bearer token', async () => {
    const app = await server(db.store, { settings: { secureCookies: true, trustProxy: ['127.0.0.1'] }, metricsToken: TOKEN });
    try {
      const scrapeWith = (authorization?: string) =>
        app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7', ...(authorization ? { authorization } : {}) } });
      const missing = await scrapeWith();
      expect([missing.statusCode, missing.headers['www-authenticate']]).toEqual([401, 'Bearer realm="quota-herald metrics"']);
      expect((await scrapeWith(`Bearer ${TOKEN}x`)).statusCode).toBe(401);
      expect((await scrapeWith(`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)).statusCode).toBe(401);
      expect((await scrapeWith(TOKEN)).statusCode).toBe(401);
      const allowed = await scrapeWith(`Bearer ${TOKEN}`);
      expect(allowed.statusCode).toBe(200);
      expect(parseScrape(allowed.body).families.has('quota_herald_posts')).toBe(true);
      // Directly from another machine, too (no proxy).
      expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.7', headers: { authorization: `bearer ${TOKEN}` } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('times web requests by route pattern, method and status class, never by the raw URL', async () => {
    const app = await server(db.store);
    try {
      await app.inject({ method: 'GET', url: '/admin/o/kanim-medan/calendar?month=2026-12' });
      await app.inject({ method: 'GET', url: '/admin/o/kanim-pontianak/calendar' });
      await app.inject({ method: 'GET', url: '/no/such/page-8f3a2c' });
      await app.inject({ method: 'GET', url: '/healthz' });
      const metrics = await scrape(app);
      const counts = metrics.samples
        .filter((sample) => sample.name === 'quota_herald_http_request_duration_seconds_count')
        .map((sample) => `${sample.labels.method} ${sample.labels.route} ${sample.labels.status_class} ${sample.value}`);
      expect(counts).toEqual(expect.arrayContaining(['GET /admin/o/:office/calendar 3xx 2', 'GET unmatched 4xx 1', 'GET /healthz 2xx 1']));
      const labels = metrics.samples.filter((sample) => sample.name.startsWith('quota_herald_http_request')).flatMap((sample) => Object.values(sample.labels));
      expect(labels.filter((label) => /kanim-|page-8f3a2c|month=/.test(label))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
