/**
 * Every failure X can produce, classified by status, problem type and whether
 * the request had left: the scheduler's retry policy depends on it.
 */
import net from 'node:net';
import { once } from 'node:events';
import { CardMissingError } from '../../../src/channels/card-bytes';
import { PublishError } from '../../../src/channels/publish-error';
import type { FakeXRequestRecord } from '../../fakes/fake-x-server';
import { ENV, expectNoSecrets, failureOf, publishRequest, startXRig, writePngCard, type XRig } from './x-harness';

async function publishFailure(rig: XRig, text: string, withCard = true, signal?: AbortSignal): Promise<PublishError> {
  const media = withCard ? [(await writePngCard(rig.dir, `${text.length}.png`, 'alt')).media] : [];
  const error = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'p', text, media), signal));
  expect(error).toBeInstanceOf(PublishError);
  expectNoSecrets(error);
  return error as PublishError;
}

describe('channels/x errors', () => {
  let rig: XRig;
  beforeEach(async () => {
    rig = await startXRig();
  });
  afterEach(async () => rig.close());

  it('401 (token revoked) is auth, telling staff to regenerate the token, update .env and restart', async () => {
    rig.server.revokeToken();
    const error = await publishFailure(rig, 'dicabut');
    expect(error).toEqual(expect.objectContaining({ kind: 'auth', status: 401 }));
    expect(error.message).toMatch(/developer portal/);
    expect(error.message).toMatch(/\.env/);
    expect(error.message).toMatch(/restart/);
  });

  it('403 duplicate content is permanent and says the text was already posted', async () => {
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'Kuota dibuka'));
    const error = await publishFailure(rig, 'Kuota dibuka');
    expect(error).toEqual(expect.objectContaining({ kind: 'permanent', status: 403, code: 'duplicate-content' }));
    expect(error.message).toMatch(/already posted/);
    expect(error.message).toMatch(/check the account/);
    expect(rig.server.tweets).toHaveLength(1);
  });

  it('403 oauth1-permissions (read-only app) is auth: staff must change the app permissions', async () => {
    rig.server.faults.push({
      route: 'POST /2/tweets',
      status: 403,
      body: { title: 'Unsupported Authentication', detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.', type: 'https://api.twitter.com/2/problems/oauth1-permissions', status: 403 },
    });
    const error = await publishFailure(rig, 'hanya baca', false);
    expect(error).toEqual(expect.objectContaining({ kind: 'auth', status: 403, code: 'oauth1-permissions' }));
    expect(error.message).toMatch(/Read and write/);
  });

  it('400 is permanent and carries what X said', async () => {
    rig.server.faults.push({ route: 'POST /2/tweets', status: 400, body: { errors: [{ message: 'bad' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } });
    const error = await publishFailure(rig, 'salah', false);
    expect(error).toEqual(expect.objectContaining({ kind: 'permanent', status: 400, code: 'invalid-request' }));
    expect(error.message).toContain('One or more parameters to your request was invalid.');
  });

  it('429 on the 15-minute window is rate-limited until x-rate-limit-reset', async () => {
    const reset = Math.floor(Date.parse('2026-11-27T06:12:00Z') / 1000);
    rig.server.faults.push({ route: 'POST /2/tweets', status: 429, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    const error = await publishFailure(rig, 'terlalu cepat');
    expect(error).toEqual(expect.objectContaining({ kind: 'rate-limited', status: 429, retryAt: new Date('2026-11-27T06:12:00Z') }));
    expect(rig.channel.rateLimits().find((s) => s.endpoint === 'POST /2/tweets')?.window?.remaining).toBe(0);
  });

  it('429 from the 24-hour cap is rate-limited until the daily allowance resets', async () => {
    await rig.close();
    rig = await startXRig({ dailyCap: 2 });
    await rig.channel.publish(publishRequest(rig.dir, 'p1', 'satu'));
    await rig.clock.sleep(3_600_000);
    await rig.channel.publish(publishRequest(rig.dir, 'p2', 'dua'));
    const error = await publishFailure(rig, 'tiga', false);
    expect(error).toEqual(expect.objectContaining({ kind: 'rate-limited', retryAt: new Date('2026-11-28T06:00:00Z') }));
    expect(error.message).toMatch(/2 posts per 24 h/);
    expect(rig.server.tweets).toHaveLength(2);
  });

  it('503 during the media upload is transient: nothing was posted', async () => {
    rig.server.faults.push({ route: 'POST /2/media/upload/:id/append', status: 503 });
    const error = await publishFailure(rig, 'media gagal');
    expect(error).toEqual(expect.objectContaining({ kind: 'transient', status: 503 }));
    expect(rig.server.requests.some((r) => r.route === 'POST /2/tweets')).toBe(false);
  });

  it('503 on POST /2/tweets is unclear (it may exist); when X did create it, read-back finds it', async () => {
    rig.server.faults.push({ route: 'POST /2/tweets', status: 503 });
    expect(await publishFailure(rig, 'mungkin', false)).toEqual(expect.objectContaining({ kind: 'unclear', status: 503 }));
    rig.server.faults.push({ route: 'POST /2/tweets', status: 503, afterEffect: true });
    expect(await publishFailure(rig, 'sudah dibuat', false)).toEqual(expect.objectContaining({ kind: 'unclear' }));
    expect((await rig.channel.readBack(new Date(0))).map((p) => p.text)).toEqual(['sudah dibuat']);
  });

  it('a connection dropped after the post was created is unclear', async () => {
    rig.server.faults.push({ route: 'POST /2/tweets', drop: true, afterEffect: true });
    const error = await publishFailure(rig, 'putus');
    expect(error.kind).toBe('unclear');
    expect(rig.server.tweets.map((t) => t.text)).toEqual(['putus']);
  });

  it('malformed JSON is unclear on the post and transient on the media upload', async () => {
    rig.server.faults.push({ route: 'POST /2/tweets', malformedJson: true, afterEffect: true });
    expect((await publishFailure(rig, 'rusak', false)).kind).toBe('unclear');
    rig.server.faults.push({ route: 'POST /2/media/upload/initialize', malformedJson: true });
    expect((await publishFailure(rig, 'rusak media')).kind).toBe('transient');
  });

  it('a timeout after POST /2/tweets was sent is unclear; during the upload it is transient', async () => {
    rig.server.faults.push({ route: 'POST /2/tweets', hang: true, afterEffect: true });
    const controller = new AbortController();
    rig.server.events.once('tweet', () => controller.abort());
    expect(await publishFailure(rig, 'menunggu', false, controller.signal)).toEqual(expect.objectContaining({ kind: 'unclear', code: 'timeout' }));
    expect(rig.server.tweets.map((t) => t.text)).toEqual(['menunggu']);

    rig.server.faults.push({ route: 'POST /2/media/upload/initialize', hang: true });
    const upload = new AbortController();
    const arrived = once(rig.server.events, 'request');
    const failing = publishFailure(rig, 'menunggu media', true, upload.signal);
    expect(((await arrived)[0] as FakeXRequestRecord).route).toBe('POST /2/media/upload/initialize');
    upload.abort();
    expect(await failing).toEqual(expect.objectContaining({ kind: 'transient', code: 'timeout' }));
    expect(rig.server.tweets).toHaveLength(1);
  });

  it('an already expired signal sends nothing and is transient', async () => {
    const error = await publishFailure(rig, 'terlambat', true, AbortSignal.abort());
    expect(error.kind).toBe('transient');
    expect(rig.server.requests).toEqual([]);
  });

  it('connection refused before sending is transient, even for the post itself', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const channel = rig.channelWith(ENV, {}, { baseUrl: `http://127.0.0.1:${port}` });
    const error = await failureOf(channel.publish(publishRequest(rig.dir, 'p', 'tanpa server')));
    expect(error).toEqual(expect.objectContaining({ kind: 'transient', code: 'ECONNREFUSED' }));
    expectNoSecrets(error);
  });

  it('a card file that cannot be read is a missing card (rendered again by the scheduler), not a permanent failure; nothing is sent', async () => {
    const error = await failureOf(rig.channel.publish(publishRequest(rig.dir, 'p', 'hilang', [{ file: 'media/hilang.png', mime: 'image/png', width: 1, height: 1, bytes: 1, alt: 'a' }])));
    expect(error).toBeInstanceOf(CardMissingError);
    expect(error).not.toBeInstanceOf(PublishError);
    expect((error as Error).message).toMatch(/media\/hilang\.png is missing \(not on this machine's disk: ENOENT\)/);
    expect(rig.server.requests).toEqual([]);
  });
});
