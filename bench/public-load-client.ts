/**
 * bench/public-load.ts's visitors: autocannon, one instance per route, in
 * its own process (autocannon in the bot's process would take the event loop
 * it measures). Forked; gets one `LoadRequest`, answers with `LoadResult`, exits.
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
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const results = await Promise.all(
    request.routes.map((route) =>
      autocannon({
        url: `${request.base}${route.path}`,
        connections: route.connections,
        duration: request.durationS,
        ...(route.rate ? { overallRate: route.rate } : {}),
      }).then((result): RouteFigures => {
        const responses = result.requests.total;
        return {
          path: route.path,
          requests: responses,
          perSecond: responses / request.durationS,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          bytesPerResponse: responses > 0 ? Math.round(result.throughput.total / responses) : 0,
        };
      }),
    ),
  );
  return { type: 'result', routes: results };
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
