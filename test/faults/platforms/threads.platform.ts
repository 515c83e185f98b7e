/**
 * Threads in the fault office: the fake Threads API in the test process, which
 * downloads each card from the bot's media server, like Threads does. The call
 * that creates a post is `threads_publish` (containers are invisible).
 */
import { graphErrorBody, GRAPH_ERRORS } from '../../fakes/instagram/graph-error-bodies';
import { startFakeThreadsServer } from '../../fakes/fake-threads-server';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platform';

const TOKEN = 'THAAfault-threads-secret-3b9e7f01';
const CREATE_ROUTE = 'POST /{threads-user-id}/threads_publish' as const;

export const startPlatform: StartPlatform = async ({ mediaBaseUrl }) => {
  const base = mediaBaseUrl.replace(/\/+$/, '');
  const fake = await startFakeThreadsServer({
    token: TOKEN,
    pollsUntilFinished: 1,
    // The media server finds a card by its signed `/m/<sig>/<file>` tail, whatever the prefix.
    imageUrl: (url) => `${base}${new URL(url).pathname}`,
  });
  fake.settings.quotaTotal = 10_000;
  const platform: FaultPlatform = {
    id: 'threads',
    secrets: { THREADS_ACCESS_TOKEN: TOKEN },
    channelYaml: `{ id: threads, driver: threads, baseUrl: "${fake.url}", accountId: "${fake.userId}", credentials: { accessToken: THREADS_ACCESS_TOKEN } }`,
    createRoute: CREATE_ROUTE,
    published: () => fake.published.map((thread) => ({ text: thread.text ?? '', at: thread.receivedAt, remoteId: thread.id })),
    calls: () => fake.requests.map((request) => request.route ?? `${request.method} ${request.path}`),
    arm(fault: ArmedFault): boolean {
      switch (fault) {
        case 'server-error':
          // Nothing is created; on threads_publish a 5xx is `unclear` (it might be live), so the
          // bot reads the account back, finds nothing, and publishes again.
          fake.faults.push({ route: CREATE_ROUTE, status: 503, body: graphErrorBody({ ...GRAPH_ERRORS.serverError, status: 503 }) });
          return true;
        case 'rate-limit':
          // Meta's throttling answer (code 4) with a Retry-After the driver honours.
          fake.faults.push({ route: CREATE_ROUTE, status: 429, headers: { 'retry-after': '2' }, body: graphErrorBody(GRAPH_ERRORS.throttled) });
          return true;
        case 'drop-after-create':
          fake.faults.push({ route: CREATE_ROUTE, drop: true, when: 'after' });
          return true;
        case 'slow':
          fake.faults.push({ route: CREATE_ROUTE, delayMs: 3000, when: 'after' });
          return true;
      }
    },
    close: () => fake.close(),
  };
  return platform;
};
