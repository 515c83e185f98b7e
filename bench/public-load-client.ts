/**
 * bench/public-load.ts's visitors: autocannon in its own process (autocannon
 * in the bot's process would take the event loop it measures). Forked; gets
 * one `LoadRequest`, answers with `LoadResult`, exits.
 *
 * autocannon limits a rate per second: each connection sends as fast as it is
 * answered until its quota for the second is used, then waits for the next
 * second. One instance at 2,000 requests/s is therefore a burst at full speed at
 * the start of every second and silence after it. Visitors do not arrive in step
 * like that, so a rated route runs as STAGGER instances, each with its share of
 * the rate, started 1/STAGGER s apart: ten smaller bursts spread over each second.
 * Latencies are every response's own time, collected over all instances.
 */
import autocannon from 'autocannon';

export interface RouteLoad {
  path: string;
  connections: number;
  /** Requests per second over all its connections; absent: as fast as it answers. */
  rate?: number;
}

export interface LoadRequest {
  type: 'run';
  base: string;
  durationS: number;
  routes: RouteLoad[];
}

export interface RouteFigures {
  path: string;
  requests: number;
  /** Completed responses per second over the run. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
}

export interface LoadResult {
  type: 'result';
  routes: RouteFigures[];
  /** This process's CPU over the run, in % of one core: the visitors share the machine's cores with the bot. */
  cpuPercent: number;
}

const STAGGER = 10;

async function runRoute(base: string, durationS: number, route: RouteLoad): Promise<RouteFigures> {
  const parts = route.rate ? Math.min(STAGGER, route.connections) : 1;
  const times: number[] = [];
  let non2xx = 0;
  let bytes = 0;
  const results = await Promise.all(
    Array.from({ length: parts }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / parts));
      return new Promise<autocannon.Result>((resolve, reject) => {
        const options = {
          url: `${base}${route.path}`,
          connections: Math.ceil(route.connections / parts),
          duration: durationS,
          ...(route.rate ? { overallRate: Math.round(route.rate / parts) } : {}),
        };
        const instance = autocannon(options, (error: unknown, result: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
        instance.on('response', (_client, statusCode, resBytes, responseTime) => {
          times.push(responseTime);
          bytes += resBytes;
          if (statusCode < 200 || statusCode >= 300) non2xx += 1;
        });
      });
    }),
  );
  const sorted = times.sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return {
    path: route.path,
    requests: sorted.length,
    perSecond: sorted.length / durationS,
    p50: at(50),
    p99: at(99),
    max: sorted[sorted.length - 1] ?? 0,
    non2xx,
    errors: results.reduce((n, result) => n + result.errors, 0),
    timeouts: results.reduce((n, result) => n + result.timeouts, 0),
    bytesPerResponse: sorted.length > 0 ? Math.round(bytes / sorted.length) : 0,
  };
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const routes = await Promise.all(request.routes.map((route) => runRoute(request.base, request.durationS, route)));
  const used = process.cpuUsage(cpu);
  return { type: 'result', routes, cpuPercent: ((used.user + used.system) / 1000 / (performance.now() - started)) * 100 };
}

if (process.argv[1] === __filename) {
  process.once('message', (message: LoadRequest) => {
    run(message)
      .then((result) => process.send!(result, () => process.exit(0)))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  });
}
