/**
 * The fake Bluesky PDS as the fault tests use it (platform.ts): the real XRPC
 * API on 127.0.0.1, faults armed on `com.atproto.repo.putRecord`, the call
 * that creates the post. Every fault can be produced: 5xx before the write,
 * 429 with `RateLimit-Reset` (Unix seconds) and `Retry-After`, the record
 * written and the answer lost (the driver confirms it with getRecord on its
 * record key), and a slow answer.
 */
import { startFakeBlueskyServer, type BlueskyRoute } from '../../fakes/fake-bluesky-server';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platform';

/** In the form of an app password, and recognisable: it must never show up in a log or a file. */
const APP_PASSWORD = 'sekr-etbl-uesk-y515';
const CREATE: BlueskyRoute = 'com.atproto.repo.putRecord';

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeBlueskyServer({ appPassword: APP_PASSWORD });
  const platform: FaultPlatform = {
    id: 'bluesky',
    secrets: { BLUESKY_APP_PASSWORD: APP_PASSWORD },
    channelYaml: `{ id: bluesky, driver: bluesky, baseUrl: "${fake.url}", handle: ${fake.handle}, credentials: { appPassword: BLUESKY_APP_PASSWORD } }`,
    published: () => fake.posts().map((post) => ({ text: post.value.text, at: post.indexedAt, remoteId: post.uri })).sort((a, b) => a.at.getTime() - b.at.getTime()),
    calls: () => [...fake.calls],
    createRoute: `POST ${CREATE}`,
    arm(fault: ArmedFault): boolean {
      switch (fault) {
        case 'server-error':
          fake.faults.push({ route: CREATE, status: 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } });
          return true;
        case 'rate-limit': {
          const reset = Math.ceil((Date.now() + 3_000) / 1000);
          fake.faults.push({
            route: CREATE,
            status: 429,
            body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
            headers: { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset), 'ratelimit-policy': '5000;w=3600', 'retry-after': '3' },
          });
          return true;
        }
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
