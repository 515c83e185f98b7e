/**
 * Meta's Page throttling as the Graph API sends it: HTTP 400/403 with code
 * 4, 17, 32, 613 or 80001 (Page business-use-case limit) and
 * `X-Business-Use-Case-Usage` (`type: "pages"`, regain estimate in minutes),
 * not HTTP 429. The real driver against the fake; and the shared classifier:
 * 80001 is throttling for Instagram's classifier too (it was "permanent").
 */
import { GraphRequestError } from '../../../src/channels/instagram/graph-client';
import { classifyGraphError } from '../../../src/channels/instagram/graph-errors';
import { graphErrorBody } from '../../fakes/instagram/graph-error-bodies';
import { publishError } from '../../fakes/instagram/instagram-setup';
import { FACEBOOK_ERRORS } from '../../fakes/facebook/facebook-error-bodies';
import { startFacebookWorld, type FacebookWorld } from '../../fakes/facebook/facebook-setup';

const START = new Date('2026-11-27T06:00:00Z');
const minutes = (n: number): Date => new Date(START.getTime() + n * 60_000);

describe('channels/facebook: Graph rate limits', () => {
  let world: FacebookWorld;
  beforeEach(async () => {
    world = await startFacebookWorld({ start: START.toISOString() });
  });
  afterEach(async () => world.close());

  const publish = async (id: string) => {
    const card = await world.card(`${id}/card.jpg`);
    return publishError(world.channel().publish(world.request(id, 'Kuota paspor dibuka pukul 14.00 WIB', [card])));
  };

  it.each([80001, 32, 17, 613] as const)('code %i with a regain estimate: rate-limited until the time Facebook gives, nothing public', async (code) => {
    world.fake.settings.rateLimit = { code, until: minutes(12) };
    const error = await publish(`c${code}`);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 400, code: `graph:${code}`, retryAt: minutes(12) });
    expect(error.message).toContain(`throttled (code ${code}, usage 100 %)`);
    expect(error.message).toContain('Facebook lets calls through again at 2026-11-27T06:12:00.000Z');
    expect(world.fake.posts).toEqual([]);
  });

  it('throttling on /feed itself is rate-limited, not unclear: Meta refused the call', async () => {
    const card = await world.card('feed/card.jpg');
    world.fake.faults.push({
      route: 'POST /{page-id}/feed',
      status: 400,
      body: graphErrorBody(FACEBOOK_ERRORS.pageBucThrottled),
      headers: { 'x-business-use-case-usage': JSON.stringify({ [world.fake.pageId]: [{ type: 'pages', call_count: 100, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 5 }] }) },
    });
    const error = await publishError(world.channel().publish(world.request('feed', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'rate-limited', code: 'graph:80001', retryAt: minutes(5) });
    expect(world.fake.posts).toEqual([]);
  });

  it('Retry-After wins over the usage estimate (honoured to the second)', async () => {
    const card = await world.card('ra/card.jpg');
    world.fake.faults.push({ route: 'POST /{page-id}/photos', status: 429, body: graphErrorBody({ ...FACEBOOK_ERRORS.pageBucThrottled, status: 429 }), headers: { 'retry-after': '90' } });
    expect(await publishError(world.channel().publish(world.request('ra', 'Halo', [card])))).toMatchObject({ kind: 'rate-limited', retryAt: new Date(START.getTime() + 90_000) });
  });

  it('no estimate (0 minutes): rate-limited without a reset time, so the retry policy backs off', async () => {
    world.fake.settings.rateLimit = { code: 80001, until: minutes(30), withoutEstimate: true };
    const error = await publish('noest');
    expect(error).toMatchObject({ kind: 'rate-limited', retryAt: null });
    expect(error.message).toContain('Facebook gave no time, will retry with backoff');
  });

  it('once the limit is over, the same post goes out', async () => {
    world.fake.settings.rateLimit = { code: 32, until: minutes(3), status: 403 };
    expect(await publish('later')).toMatchObject({ kind: 'rate-limited', status: 403, retryAt: minutes(3) });
    await world.clock.sleep(3 * 60_000);
    const card = await world.card('later/card.jpg');
    await world.channel().publish(world.request('later', 'Kuota paspor dibuka pukul 14.00 WIB', [card]));
    expect(world.fake.posts).toHaveLength(1);
  });

  it('the shared Graph classifier takes 80001 as throttling (Instagram behaviour for its own codes unchanged)', () => {
    const now = START;
    const headers = new Headers({ 'x-business-use-case-usage': JSON.stringify({ '1': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 7 }] }) });
    const refused = (code: number) => new GraphRequestError('http', `POST /x: refused (code ${code})`, 400, { code, message: 'limit' }, headers);
    expect(classifyGraphError(refused(80001), 'publish', { now, tokenVariable: 'T' })).toMatchObject({ kind: 'rate-limited', retryAt: minutes(7) });
    expect(classifyGraphError(refused(32), 'publish', { now, tokenVariable: 'T' })).toMatchObject({ kind: 'rate-limited', retryAt: minutes(7) });
    expect(classifyGraphError(refused(100), 'publish', { now, tokenVariable: 'T' }).kind).toBe('permanent');
  });
});
