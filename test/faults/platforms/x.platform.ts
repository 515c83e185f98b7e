/**
 * X as a fault platform: the fake X API v2 (test/fakes/fake-x-server.ts),
 * checking the OAuth 1.0a signatures, with faults on `POST /2/tweets`. X is
 * read back (GET /2/users/:id/tweets): an unclear tweet is reconciled.
 */
import { startFakeXServer } from '../../fakes/fake-x-server';
import type { ArmedFault, StartPlatform } from './platform';

const SECRETS = {
  SIX_X_APP_KEY: 'six-xkey-RECOGNISABLE',
  SIX_X_APP_SECRET: 'six-xsecret-RECOGNISABLE',
  SIX_X_ACCESS_TOKEN: '77-six-xtoken-RECOGNISABLE',
  SIX_X_ACCESS_SECRET: 'six-xaccesssecret-RECOGNISABLE',
};
const CREATE = 'POST /2/tweets';

export const startPlatform: StartPlatform = async () => {
  const fake = await startFakeXServer({
    appKey: SECRETS.SIX_X_APP_KEY,
    appSecret: SECRETS.SIX_X_APP_SECRET,
    accessToken: SECRETS.SIX_X_ACCESS_TOKEN,
    accessSecret: SECRETS.SIX_X_ACCESS_SECRET,
    dailyCap: 10_000,
    windowLimits: { [CREATE]: 10_000 },
  });
  return {
    id: 'x',
    secrets: SECRETS,
    channelYaml: `{ id: x, driver: x, baseUrl: "${fake.url}", credentials: { appKey: SIX_X_APP_KEY, appSecret: SIX_X_APP_SECRET, accessToken: SIX_X_ACCESS_TOKEN, accessSecret: SIX_X_ACCESS_SECRET } }`,
    published: () => fake.tweets.map((tweet) => ({ text: tweet.text, at: tweet.receivedAt, remoteId: tweet.id })),
    calls: () => fake.requests.map((request) => request.route),
    createRoute: CREATE,
    arm(fault: ArmedFault) {
      switch (fault) {
        case 'server-error':
          fake.faults.push({ route: CREATE, status: 503 });
          return true;
        case 'rate-limit': {
          // X's own headers: the 15-minute window used up, reset in 3 s.
          const reset = String(Math.ceil(Date.now() / 1000) + 3);
          fake.faults.push({ route: CREATE, status: 429, headers: { 'x-rate-limit-limit': '10000', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } });
          return true;
        }
        case 'drop-after-create':
          fake.faults.push({ route: CREATE, drop: true, afterEffect: true });
          return true;
        case 'slow':
          fake.faults.push({ route: CREATE, delayMs: 3_000 });
          return true;
      }
    },
    close: () => fake.close(),
  };
};
