/**
 * The fake instance answers as Mastodon documents it, also for what our
 * driver does not send (form-encoded `media_ids[]`): so a driver change that
 * drifts from the real API fails against it.
 */
import { startFakeMastodonServer, type FakeMastodonServer } from '../../fakes/fake-mastodon-server';

describe('fakes/fake-mastodon-server', () => {
  let fake: FakeMastodonServer;
  const auth = { authorization: 'Bearer t0ken' };
  beforeEach(async () => {
    fake = await startFakeMastodonServer({ token: 't0ken' });
  });
  afterEach(async () => fake.close());

  it('takes the documented form parameters, media_ids[] included, and refuses media still processing with 422', async () => {
    fake.settings.processingPolls = 1;
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('png')], { type: 'image/png' }), 'card.png');
    form.append('description', 'Kartu');
    const upload = await fetch(`${fake.url}/api/v2/media`, { method: 'POST', headers: auth, body: form });
    expect(upload.status).toBe(202);
    const media = (await upload.json()) as { id: string; url: string | null };
    expect(media.url).toBeNull();
    const body = new URLSearchParams({ status: 'Halo', visibility: 'public' });
    body.append('media_ids[]', media.id);
    const early = await fetch(`${fake.url}/api/v1/statuses`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(early.status).toBe(422);
    expect(await early.json()).toEqual({ error: 'Cannot attach files that have not finished processing. Try again in a moment!' });
    expect((await fetch(`${fake.url}/api/v1/media/${media.id}`, { headers: auth })).status).toBe(206);
    expect((await fetch(`${fake.url}/api/v1/media/${media.id}`, { headers: auth })).status).toBe(200);
    const posted = await fetch(`${fake.url}/api/v1/statuses`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(posted.status).toBe(200);
    expect(fake.statuses.map((s) => [s.text, s.mediaIds])).toEqual([['Halo', [media.id]]]);
    // Attached media is no longer visible to GET /api/v1/media/:id.
    expect((await fetch(`${fake.url}/api/v1/media/${media.id}`, { headers: auth })).status).toBe(404);
  });

  it('answers 401 without a valid token, serves the instance and public statuses without one, with X-RateLimit-* on every answer', async () => {
    const refused = await fetch(`${fake.url}/api/v1/accounts/verify_credentials`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'The access token is invalid' });
    const instance = await fetch(`${fake.url}/api/v2/instance`);
    expect(instance.status).toBe(200);
    expect(instance.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await fetch(`${fake.url}/api/v1/accounts/${fake.accountId}/statuses`)).status).toBe(200);
  });
});
