/**
 * `/metrics` (Prometheus text format) and what only the web server can
 * measure: the latency of its own requests and its readiness. The ledger
 * gauges are registered here too, so `serve` exposes them as `run` does; the
 * bot's own metrics are in the registry `run` hands over (metrics/bot-metrics.ts).
 * Access: web/metrics-access.ts.
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, Histogram } from 'prom-client';
import { registerLedgerGauges } from '../metrics/ledger-gauges';
import { METRIC_PREFIX, type MetricsRegistry } from '../metrics/registry';
import { PUBLIC } from './access';
import type { WebContext } from './console-page';
import { checkReadiness, type Readiness } from './health';
import { decideMetricsAccess } from './metrics-access';

export interface WebMetricsOptions {
  metrics: MetricsRegistry;
  /** The bearer token for scrapers not on loopback; null: loopback only. */
  token: string | null;
  readiness: Readiness;
}

/** Seconds; a console page takes tens of milliseconds, a preview a second or more. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Call before the routes are registered: the latency hook must see them all. */
export function registerWebMetrics(app: FastifyInstance, web: WebContext, options: WebMetricsOptions): void {
  const { metrics } = options;
  const registers = [metrics.registry];
  registerLedgerGauges(metrics, { store: web.store, clock: web.clock, logger: web.logger, offices: web.offices });
  new Gauge({
    name: `${METRIC_PREFIX}ready`,
    help: 'Whether /readyz answers 200 (1) or 503 (0: database, config or draining; /readyz says which).',
    registers,
    async collect() {
      this.set((await checkReadiness(web, options.readiness)).report.status === 'ok' ? 1 : 0);
    },
  });
  const requests = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Web requests by route pattern (never the raw URL), method and status class.',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });

  app.addHook('onResponse', async (request, reply) => {
    // The pattern (`/admin/o/:office/`) keeps the labels bounded; anything unrouted is one label.
    const route = request.routeOptions.url ?? 'unmatched';
    const method = METHODS.has(request.method) ? request.method : 'OTHER';
    requests.observe({ route, method, status_class: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      // Not for everyone, but not for a console user either: a machine with loopback or the token (web/metrics-access.ts).
      config: { access: PUBLIC },
      onRequest: async (request, reply) => {
        const decision = decideMetricsAccess({ ip: request.ip, peer: request.socket.remoteAddress, headers: request.headers }, options.token);
        if (decision === 'allowed') return;
        if (decision === 'token-required') {
          await reply.code(401).header('www-authenticate', 'Bearer realm="quota-herald metrics"').send({ error: 'a bearer token is required' });
        } else {
          await reply.code(403).send({ error: '/metrics is served to this machine only; settings.web.metricsToken enables a bearer token for remote scrapers' });
        }
        return reply;
      },
    },
    async (_request, reply) => reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(await metrics.scrape()),
  );
}
