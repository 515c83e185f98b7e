/**
 * The fake Mastodon instance as the fault tests use it (platform.ts): the
 * real HTTP API on 127.0.0.1, faults armed on `POST /api/v1/statuses`.
 * Every fault can be produced: the instance answers 5xx and 429 (with
 * `X-RateLimit-Reset` as an ISO instant), and a status can be created and
 * its answer lost.
 */
import { startFakeMastodonServer, rateLimitFault, type FakeMastodonRoute } from '../../fakes/fake-mastodon-server';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platform';

const TOKEN = 'mastodon-token-SEKRET-fault-5150';
const CREATE: FakeMastodonRoute = 'POST /api/v1/statuses';

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeMastodonServer({ token: TOKEN });
  const platform: FaultPlatform = {
    id: 'mastodon',
    secrets: { MASTODON_TOKEN: TOKEN },
    channelYaml: `{ id: mastodon, driver: mastodon, baseUrl: "${fake.url}", credentials: { accessToken: MASTODON_TOKEN } }`,
    published: () => fake.statuses.map((status) => ({ text: status.text, at: status.createdAt, remoteId: status.id })),
    calls: () => fake.requests.map((request) => request.route ?? `${request.method} ${request.path}`),
    createRoute: CREATE,
    arm(fault: ArmedFault): boolean {
      switch (fault) {
        case 'server-error':
          // Before anything is created; on the status request the driver cannot know that: unclear, read back, sent again.
          fake.faults.push({ route: CREATE, status: 503, body: { error: 'There was a temporary problem serving your request, please try again' } });
          return true;
        case 'rate-limit':
          fake.faults.push(rateLimitFault(CREATE, new Date(Date.now() + 3_000)));
          return true;
        case 'drop-after-create':
          fake.faults.push({ route: CREATE, drop: true, when: 'after' });
          return true;
        case 'slow':
          fake.faults.push({ route: CREATE, delayMs: 3_000 });
          return true;
      }
    },
    close: () => fake.close(),
  };
  return platform;
};
