/**
 * Instagram as a fault platform: the fake Graph API
 * (test/fakes/fake-instagram-server.ts), which downloads each card from the
 * bot's media server, with faults on `media_publish` (the call that makes a
 * container public). Instagram is read back: an unclear publish is reconciled.
 */
import { graphErrorBody, GRAPH_ERRORS } from '../../fakes/instagram/graph-error-bodies';
import { startFakeInstagramServer } from '../../fakes/fake-instagram-server';
import type { ArmedFault, StartPlatform } from './platform';

const SECRETS = { SIX_IG_ACCESS_TOKEN: 'IGAA-six-igtoken-RECOGNISABLE' };
const CREATE = 'POST /{ig-user-id}/media_publish';

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeInstagramServer({ token: SECRETS.SIX_IG_ACCESS_TOKEN, pollsUntilFinished: 1, quotaTotal: 10_000 });
  return {
    id: 'instagram',
    secrets: SECRETS,
    channelYaml: `{ id: instagram, driver: instagram, baseUrl: "${fake.url}", accountId: "${fake.accountId}", credentials: { accessToken: SIX_IG_ACCESS_TOKEN } }`,
    published: () => fake.published.map((media) => ({ text: media.caption ?? '', at: media.receivedAt, remoteId: media.id })),
    calls: () => fake.requests.map((request) => request.route ?? '?'),
    createRoute: CREATE,
    arm(fault: ArmedFault) {
      switch (fault) {
        case 'server-error':
          fake.faults.push({ route: CREATE, status: 500, body: graphErrorBody(GRAPH_ERRORS.serverError) });
          return true;
        case 'rate-limit':
          // Meta throttles with HTTP 400 and a code (17: user limit), the regain estimate in a header.
          fake.faults.push({
            route: CREATE,
            status: 400,
            body: graphErrorBody(GRAPH_ERRORS.userThrottled),
            headers: { 'x-business-use-case-usage': JSON.stringify({ [fake.accountId]: [{ type: 'instagram', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 0 }] }) },
          });
          return true;
        case 'drop-after-create':
          fake.faults.push({ route: CREATE, when: 'after', drop: true });
          return true;
        case 'slow':
          fake.faults.push({ route: CREATE, when: 'after', delayMs: 3_000 });
          return true;
      }
    },
    close: () => fake.close(),
  };
};
