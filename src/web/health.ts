/**
 * `/healthz`: the process answers (a container's liveness probe: restart it when not).
 * `/readyz`: this instance should get traffic (a load balancer's readiness check):
 *
 * - `database`: the ledger answers a `select 1` within READY_DB_TIMEOUT_MS;
 * - `config`: the process finished loading its config, and every office it
 *   serves has a current config revision (the one truth its pages show);
 * - `draining`: the process is not stopping. After SIGTERM `run` finishes the
 *   post in flight before it closes the web server; meanwhile /readyz says 503
 *   `draining`, so the load balancer takes the instance out first.
 *
 * 200 `{ "status": "ok", "checks": { … } }` when all pass, else 503 with the
 * status `draining` or `not ready` and each check's `ok` and `detail`.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { listCurrentIds } from '../store/config-revisions';
import { PUBLIC } from './access';
import type { WebContext } from './console-page';

/** What the process knows of itself; both default to the answer of a process that runs normally. */
export interface Readiness {
  /** The process finished loading its config (default true: servers start after it). */
  configLoaded?: () => boolean;
  /** The process is stopping (default false). */
  draining?: () => boolean;
}

export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'draining' | 'not ready';
  checks: { database: ReadinessCheck; config: ReadinessCheck; draining: ReadinessCheck };
}

/** A database that takes longer to answer `select 1` is as good as away, for a load balancer. */
export const READY_DB_TIMEOUT_MS = 2_000;

export async function checkReadiness(web: Pick<WebContext, 'store' | 'offices'>, readiness: Readiness = {}): Promise<{ report: ReadinessReport; error?: unknown }> {
  const draining = readiness.draining?.() ?? false;
  let error: unknown;
  let database: ReadinessCheck;
  let currentIds: Map<string, number> | null = null;
  try {
    await withTimeout(sql`select 1`.execute(web.store.db), READY_DB_TIMEOUT_MS);
    currentIds = await withTimeout(listCurrentIds(web.store), READY_DB_TIMEOUT_MS);
    database = { ok: true };
  } catch (thrown) {
    error = thrown;
    database = { ok: false, detail: 'the database does not answer' };
  }
  const config = configCheck(web.offices().map((office) => office.id), readiness.configLoaded?.() ?? true, currentIds);
  const checks = { database, config, draining: draining ? { ok: false, detail: 'the process is stopping' } : { ok: true } };
  const status = draining ? 'draining' : database.ok && config.ok ? 'ok' : 'not ready';
  return { report: { status, checks }, ...(error === undefined ? {} : { error }) };
}

function configCheck(served: readonly string[], loaded: boolean, currentIds: Map<string, number> | null): ReadinessCheck {
  if (!loaded) return { ok: false, detail: 'the config is still loading' };
  if (served.length === 0) return { ok: false, detail: 'no office is served' };
  if (!currentIds) return { ok: false, detail: 'not checked: the database does not answer' };
  const missing = served.filter((id) => !currentIds.has(id));
  if (missing.length > 0) return { ok: false, detail: `no current config revision: ${missing.join(', ')}` };
  return { ok: true, detail: `${served.length} office(s)` };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export function registerHealth(app: FastifyInstance, web: WebContext, readiness: Readiness = {}): void {
  app.get('/healthz', { config: { access: PUBLIC } }, async () => ({ status: 'ok' }));
  let warned = false;
  app.get('/readyz', { config: { access: PUBLIC } }, async (request, reply) => {
    const { report, error } = await checkReadiness(web, readiness);
    // Load balancers ask every few seconds: a database outage is logged once, not at every check.
    if (error !== undefined && !warned) request.log.warn({ err: error }, 'readyz: the database does not answer');
    warned = error !== undefined;
    return reply.code(report.status === 'ok' ? 200 : 503).header('cache-control', 'no-store').send(report);
  });
}
