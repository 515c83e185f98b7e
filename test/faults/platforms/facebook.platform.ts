/**
 * The Facebook Page as the fault tests see it: the fake Page API
 * (test/fakes/fake-facebook-server.ts) on the wall clock, decoding every card
 * the bot uploads. The call that creates a post is `POST /{page-id}/feed`; the
 * photo uploads before it are invisible. How each armed fault reads:
 *
 * - server-error: a 503 with Graph's code 2 on /feed, nothing created. The
 *   driver cannot tell this from koala#699 (the post WAS created under the
 *   same answer), so it is `unclear`: the reconciler reads the Page back,
 *   believes "not found" after its settle delay (20 s), and sends again.
 * - rate-limit: Meta throttles with HTTP 400 code 80001 (not 429) and
 *   `X-Business-Use-Case-Usage`; here with `estimated_time_to_regain_access`
 *   0, Meta's "no estimate", so the retry policy's backoff decides the wait
 *   (a real estimate is whole minutes: test/channels/facebook/rate-limits.test.ts).
 * - drop-after-create: the post is created, then the connection is destroyed.
 * - slow: the right answer after 3 s.
 */
import { startFakeFacebookServer } from '../../fakes/fake-facebook-server';
import { graphErrorBody } from '../../fakes/instagram/graph-error-bodies';
import { FACEBOOK_ERRORS } from '../../fakes/facebook/facebook-error-bodies';
import type { ArmedFault, FaultPlatform, StartPlatform } from './platform';

const TOKEN = 'EAAGfaultPAGEtoken-5b1d0c-do-not-leak';
const CREATE_ROUTE = 'POST /{page-id}/feed' as const;

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeFacebookServer({ token: TOKEN });
  const platform: FaultPlatform = {
    id: 'facebook',
    secrets: { FB_PAGE_TOKEN: TOKEN },
    channelYaml: `{ id: facebook, driver: facebook, baseUrl: "${fake.url}", pageId: "${fake.pageId}", credentials: { accessToken: FB_PAGE_TOKEN } }`,
    published: () => fake.posts.map((post) => ({ text: post.message ?? '', at: post.createdTime, remoteId: post.id })),
    calls: () => fake.requests.map((request) => request.route ?? `${request.method} ${request.path}`),
    createRoute: CREATE_ROUTE,
    arm(fault: ArmedFault): boolean {
      switch (fault) {
        case 'server-error':
          fake.faults.push({ route: CREATE_ROUTE, status: 503, body: graphErrorBody({ ...FACEBOOK_ERRORS.serverError, status: 503 }) });
          return true;
        case 'rate-limit':
          fake.faults.push({
            route: CREATE_ROUTE,
            status: 400,
            body: graphErrorBody(FACEBOOK_ERRORS.pageBucThrottled),
            headers: { 'x-business-use-case-usage': JSON.stringify({ [fake.pageId]: [{ type: 'pages', call_count: 100, total_cputime: 8, total_time: 12, estimated_time_to_regain_access: 0 }] }) },
          });
          return true;
        case 'drop-after-create':
          fake.faults.push({ route: CREATE_ROUTE, when: 'after', drop: true });
          return true;
        case 'slow':
          fake.faults.push({ route: CREATE_ROUTE, delayMs: 3_000 });
          return true;
      }
    },
    close: () => fake.close(),
  };
  return platform;
};
