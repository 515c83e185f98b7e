/**
 * Every fault the fake PDS can produce, through the real driver: the right
 * PublishError kind, never a doubled post, and unclear outcomes settled by
 * the record key (getRecord) or by reading the account back.
 */
import { PublishError } from '../../../src/channels/publish-error';
import { waitFor } from '../../support/process';
import { SECRET_APP_PASSWORD, startBlueskyWorld, type BlueskyWorld } from './bluesky-world';

const fail = (promise: Promise<unknown>): Promise<PublishError> => promise.then(() => { throw new Error('expected a PublishError'); }, (error: unknown) => error as PublishError);

describe('channels/bluesky: faults', () => {
  let world: BlueskyWorld;
  beforeEach(async () => {
    world = await startBlueskyWorld();
  });
  afterEach(async () => {
    // Whatever happened: no app password and no session token in a log line.
    const logs = world.logLines.join('\n');
    expect(logs).not.toContain(SECRET_APP_PASSWORD);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    await world.close();
  });

  it('5xx on uploadBlob: transient, nothing public; the retry posts once', async () => {
    const channel = world.channel();
    world.fake.faults.push({ route: 'com.atproto.repo.uploadBlob', status: 503, body: { error: 'InternalServerError', message: 'Internal Server Error' } });
    const error = await fail(channel.publish(world.request('f1', 'Kuota', [world.card('f1/card.jpg')])));
    expect(error).toMatchObject({ kind: 'transient', status: 503 });
    expect(world.fake.posts()).toEqual([]);
    await channel.publish(world.request('f1', 'Kuota', [world.card('f1/card.jpg')]));
    expect(world.fake.posts()).toHaveLength(1);
  });

  it('5xx on putRecord with nothing written: getRecord finds nothing, so transient (same key on retry)', async () => {
    const channel = world.channel();
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', status: 500 });
    const error = await fail(channel.publish(world.request('f2', 'Kuota', [])));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/getRecord finds nothing/);
    expect(world.fake.posts()).toEqual([]);
    await channel.publish(world.request('f2', 'Kuota', []));
    expect(world.fake.posts()).toHaveLength(1);
  });

  it('connection dropped after the post was written: confirmed by its record key, published once', async () => {
    const channel = world.channel();
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', drop: true, when: 'after' });
    const result = await channel.publish(world.request('f3', 'Kuota', [world.card('f3/card.jpg')]));
    expect(world.fake.posts()).toHaveLength(1);
    expect(result.remoteId).toBe(world.fake.posts()[0]!.uri);
    expect(world.fake.calls.slice(-2)).toEqual(['POST com.atproto.repo.putRecord', 'GET com.atproto.repo.getRecord']);
  });

  it('dropped after the write and getRecord failing too: unclear; readBack finds it and a retry does not double it', async () => {
    const channel = world.channel();
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', drop: true, when: 'after' }, { route: 'com.atproto.repo.getRecord', status: 502 });
    const error = await fail(channel.publish(world.request('f4', 'Kuota dibuka', [])));
    expect(error.kind).toBe('unclear');
    const back = await channel.readBack(new Date('2026-11-27T05:59:00Z'));
    expect(back.map((p) => [p.text, p.remoteId])).toEqual([['Kuota dibuka', world.fake.posts()[0]!.uri]]);
    const retried = await channel.publish(world.request('f4', 'Kuota dibuka', []));
    expect(retried.remoteId).toBe(back[0]!.remoteId);
    expect(world.fake.posts()).toHaveLength(1);
  });

  it('429 with RateLimit-Reset (Unix seconds): rate-limited until then, on the post and on uploads', async () => {
    const channel = world.channel();
    const reset = Math.floor(new Date('2026-11-27T06:30:00Z').getTime() / 1000);
    const headers = { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset), 'ratelimit-policy': '5000;w=3600', 'retry-after': '1800' };
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers });
    const onPost = await fail(channel.publish(world.request('f5', 'Kuota', [])));
    expect(onPost).toMatchObject({ kind: 'rate-limited', status: 429, retryAt: new Date('2026-11-27T06:30:00Z') });
    world.fake.faults.push({ route: 'com.atproto.repo.uploadBlob', status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'retry-after': '120' } });
    const onUpload = await fail(channel.publish(world.request('f5', 'Kuota', [world.card('f5/card.jpg')])));
    expect(onUpload).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:02:00Z') });
    expect(world.fake.posts()).toEqual([]);
  });

  it('a slow PDS still posts; one slower than the timeout never leads to a second post', async () => {
    const channel = world.channel({ deps: { requestTimeoutMs: 400 } });
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', delayMs: 100 });
    await channel.publish(world.request('f6', 'Kuota', []));
    expect(world.fake.posts()).toHaveLength(1);

    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', delayMs: 1_500 });
    const outcome = await channel.publish(world.request('f7', 'Kuota lambat', [])).catch((error: unknown) => error);
    // The write lands after the driver gave up: its getRecord (usually) saw nothing, so it may be retried...
    if (outcome instanceof PublishError) expect(outcome.kind).toBe('transient');
    await waitFor(() => world.fake.posts().length === 2, 20_000, () => 'the slow write to land');
    // ...and the retry finds the post instead of making a second one.
    await channel.publish(world.request('f7', 'Kuota lambat', []));
    expect(world.fake.posts().filter((p) => p.value.text === 'Kuota lambat')).toHaveLength(1);
  });

  it('an app password revoked in Bluesky: auth, saying what to do; nothing posted', async () => {
    const channel = world.channel();
    await channel.publish(world.request('f8', 'satu', []));
    world.fake.revokeAppPassword();
    const error = await fail(channel.publish(world.request('f9', 'dua', [])));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/new app password.*BLUESKY_APP_PASSWORD/);
    expect(error.message).not.toContain(SECRET_APP_PASSWORD);
    expect(world.fake.posts()).toHaveLength(1);
  });

  it('a record the PDS refuses is permanent', async () => {
    world.fake.faults.push({ route: 'com.atproto.repo.putRecord', status: 400, body: { error: 'InvalidRequest', message: 'Invalid app.bsky.feed.post record' } });
    expect(await fail(world.channel().publish(world.request('f10', 'Kuota', [])))).toMatchObject({ kind: 'permanent', code: 'InvalidRequest' });
  });

  it('an unreachable PDS is transient; an abort stops before anything is sent', async () => {
    const gone = world.channel({ config: { baseUrl: 'http://127.0.0.1:9' } });
    expect(await fail(gone.publish(world.request('f11', 'Kuota', [])))).toMatchObject({ kind: 'transient' });
    const stop = new AbortController();
    stop.abort();
    const error = await fail(world.channel().publish(world.request('f12', 'Kuota', [world.card('f12/card.jpg')]), stop.signal));
    expect(error).toBeInstanceOf(PublishError);
    expect(world.fake.posts()).toEqual([]);
  });
});
