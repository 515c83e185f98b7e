import { NOT_PROCESSED, rateLimitFault } from '../../fakes/fake-mastodon-server';
import { idempotencyKey } from '../../../src/channels/mastodon/mastodon-channel';
import { createLogger } from '../../../src/logger';
import { expectNoSecret, publishError, publishRequest, SECRET_TOKEN, startMastodonRig, writeCard, type MastodonRig } from './mastodon-rig';

describe('channels/mastodon: publish', () => {
  let rig: MastodonRig;
  beforeEach(async () => {
    rig = await startMastodonRig();
  });
  afterEach(async () => {
    // The token travels only in the Authorization header.
    expect(rig.fake.requests.every((r) => !r.path.includes(SECRET_TOKEN))).toBe(true);
    await rig.close();
  });

  it('publishes one card: upload with alt text, then a public Indonesian status with an Idempotency-Key naming post and revision', async () => {
    const card = await writeCard(rig.dir, 'p1/card.png', 'Kartu kuota paspor: 120 kuota');
    const result = await rig.channel().publish(publishRequest(rig.dir, 'p1', 'Kuota paspor dibuka pukul 14.00 WIB #imigrasi', [card], 3));

    expect(rig.fake.requests.map((r) => r.route)).toEqual(['POST /api/v2/media', 'POST /api/v1/statuses']);
    const [status] = rig.fake.statuses;
    expect(result).toEqual({ remoteId: status!.id, url: `${rig.fake.url}/@kanimpontianak/${status!.id}`, publishedAt: new Date('2026-11-27T06:00:00Z') });
    expect(status).toMatchObject({ text: 'Kuota paspor dibuka pukul 14.00 WIB #imigrasi', visibility: 'public', language: 'id', idempotencyKey: 'quota-herald-p1-r3' });
    const media = rig.fake.media.get(status!.mediaIds[0]!)!;
    expect(media).toMatchObject({ description: 'Kartu kuota paspor: 120 kuota', filename: 'card.png', mime: 'image/png', bytes: card.bytes });
    // Some front-ends refuse chunked multipart: the upload carries an exact length.
    expect(rig.fake.requests[0]!.contentLength).toMatch(/^\d+$/);
    expect(rig.fake.requests.every((r) => r.token === SECRET_TOKEN)).toBe(true);
  });

  it('publishes several cards in order on one status', async () => {
    const cards = await Promise.all([1, 2, 3].map((n) => writeCard(rig.dir, `d1/card-${n}.png`, `Kartu ${n}`)));
    await rig.channel().publish(publishRequest(rig.dir, 'd1', 'Jadwal kuota pekan depan', cards));
    const [status] = rig.fake.statuses;
    expect(status!.mediaIds.map((id) => rig.fake.media.get(id)!.description)).toEqual(['Kartu 1', 'Kartu 2', 'Kartu 3']);
    expect(rig.fake.statuses).toHaveLength(1);
  });

  it('publishes text only when the post has no card', async () => {
    await rig.channel().publish(publishRequest(rig.dir, 't', 'Halo'));
    expect(rig.fake.statuses.map((s) => [s.text, s.mediaIds])).toEqual([['Halo', []]]);
  });

  it('waits for a card the instance answers 202 for: polls GET /api/v1/media/:id (206) on the clock until it has a url, then posts', async () => {
    rig.fake.settings.processingPolls = 2;
    const card = await writeCard(rig.dir, 'slow/card.png', 'Kartu');
    await rig.channel().publish(publishRequest(rig.dir, 'slow', 'Halo', [card]));
    expect(rig.fake.requests.map((r) => r.route)).toEqual(['POST /api/v2/media', 'GET /api/v1/media/:id', 'GET /api/v1/media/:id', 'GET /api/v1/media/:id', 'POST /api/v1/statuses']);
    // 1 s, 2 s, 4 s between checks, on the virtual clock.
    expect(rig.clock.now()).toEqual(new Date('2026-11-27T06:00:07Z'));
    expect(rig.fake.statuses).toHaveLength(1);
  });

  it('gives up on a card still processing after the bound: transient, nothing posted', async () => {
    rig.fake.settings.processingPolls = 50;
    const card = await writeCard(rig.dir, 'stuck/card.png', 'Kartu');
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'stuck', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'transient', code: 'media:timeout' });
    expect(rig.fake.requests.filter((r) => r.route === 'GET /api/v1/media/:id')).toHaveLength(5);
    expect(rig.fake.statuses).toEqual([]);
  });

  it('stops polling when the deadline comes: transient, says why, nothing posted', async () => {
    rig.fake.settings.processingPolls = 50;
    const deadline = new AbortController();
    let waits = 0;
    const clock = { now: () => rig.clock.now(), sleep: async (ms: number) => { if (++waits === 2) deadline.abort(); await rig.clock.sleep(ms); } };
    const card = await writeCard(rig.dir, 'late/card.png', 'Kartu');
    const checkpoints: string[] = [];
    const error = await publishError(rig.channel({}, { clock }).publish({ ...publishRequest(rig.dir, 'late', 'Halo', [card]), checkpoint: async (p) => void checkpoints.push(p) }, deadline.signal));
    expect(error).toMatchObject({ kind: 'transient', code: 'media:stopped' });
    expect(error.message).toContain("the post's deadline or a shutdown came first; nothing was posted");
    expect(checkpoints).toEqual([]);
    expect(rig.fake.statuses).toEqual([]);
  });

  it('a 422 "not finished processing" on the status is transient (nothing was posted)', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', status: 422, body: { error: NOT_PROCESSED } });
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'np', 'Halo')));
    expect(error).toMatchObject({ kind: 'transient', code: 'media-not-ready', status: 422 });
    expect(rig.fake.statuses).toEqual([]);
  });

  it('a status over the instance limit is permanent, quoting the instance', async () => {
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'long', 'a'.repeat(501))));
    expect(error).toMatchObject({ kind: 'permanent', status: 422 });
    expect(error.message).toContain('The instance says: "Validation failed: Text character limit of 500 exceeded"');
  });

  it('counts links as 23 like the instance: a caption of 480 characters plus a long link goes through', async () => {
    const text = `${'a'.repeat(476)} https://imigrasi.go.id/${'x'.repeat(80)}`;
    await rig.channel().publish(publishRequest(rig.dir, 'link', text));
    expect(rig.fake.statuses).toHaveLength(1);
    expect(rig.channel().check({ text, media: [] })).toEqual([]);
    expect(rig.channel().check({ text: `a${text}`, media: [] })).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('501 characters (as Mastodon counts them, each link as 23)') })]);
  });

  it('counts punctuation after a link as text, as the instance does: a caption it refuses is an error in check', async () => {
    // 474 + space + link (23) + ")." = 500 for Mastodon; one more letter is 501.
    const fits = `${'a'.repeat(474)} https://imigrasi.go.id/antrian).`;
    expect(rig.channel().check({ text: fits, media: [] })).toEqual([]);
    await rig.channel().publish(publishRequest(rig.dir, 'fits', fits));
    const over = `a${fits}`;
    expect(rig.channel().check({ text: over, media: [] })).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('caption is 501 characters') })]);
    const refused = await publishError(rig.channel().publish(publishRequest(rig.dir, 'over', over)));
    expect(refused).toMatchObject({ kind: 'permanent', status: 422 });
  });

  it('5xx while uploading is transient and nothing is posted; 5xx on the status is unclear', async () => {
    rig.fake.faults.push({ route: 'POST /api/v2/media', status: 503 });
    const card = await writeCard(rig.dir, 'e/card.png', 'Kartu');
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'e', 'Halo', [card])))).toMatchObject({ kind: 'transient', status: 503 });
    expect(rig.fake.statuses).toEqual([]);
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', status: 502, rawBody: '<html><body>502 Bad Gateway</body></html>' });
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'e', 'Halo', [card])))).toMatchObject({ kind: 'unclear', status: 502 });
  });

  it('429 is rate-limited until X-RateLimit-Reset (an ISO instant), on upload and on the status', async () => {
    const reset = new Date('2026-11-27T06:05:00Z');
    rig.fake.faults.push(rateLimitFault('POST /api/v2/media', reset));
    const card = await writeCard(rig.dir, 'r/card.png', 'Kartu');
    const onUpload = await publishError(rig.channel().publish(publishRequest(rig.dir, 'r', 'Halo', [card])));
    expect(onUpload).toMatchObject({ kind: 'rate-limited', retryAt: reset, status: 429 });
    rig.fake.faults.push(rateLimitFault('POST /api/v1/statuses', new Date('2026-11-27T09:00:00Z')));
    const onStatus = await publishError(rig.channel().publish(publishRequest(rig.dir, 'r', 'Halo', [card])));
    expect(onStatus).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T09:00:00Z') });
    expect(rig.fake.statuses).toEqual([]);
  });

  it('a 429 whose reset has already passed by our clock (skew) tries again in seconds, not five minutes', async () => {
    // The six-channel kill test found it: a one-minute deadline lost to a reset a second in the past.
    rig.fake.faults.push(rateLimitFault('POST /api/v1/statuses', new Date('2026-11-27T05:59:59Z')));
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'r', 'Halo')))).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:00:05Z') });
  });

  it('a 429 without a usable reset waits five minutes', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', status: 429, body: { error: 'Too many requests' }, headers: { 'x-ratelimit-reset': 'soon' } });
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'r', 'Halo')))).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:05:00Z') });
  });

  it('a 429 with only Retry-After (a proxy in front of the instance) waits that many seconds', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', status: 429, body: { error: 'Too many requests' }, headers: { 'x-ratelimit-reset': '', 'retry-after': '120' } });
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'r', 'Halo')))).toMatchObject({ kind: 'rate-limited', retryAt: new Date('2026-11-27T06:02:00Z') });
  });

  it('logs the post and never the token, whatever fails', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    const card = await writeCard(rig.dir, 'l/card.png', 'Kartu');
    await rig.channel({}, { logger }).publish(publishRequest(rig.dir, 'l', 'Halo', [card]));
    rig.fake.revokeToken();
    const error = await publishError(rig.channel({}, { logger }).publish(publishRequest(rig.dir, 'l2', 'Halo', [card])));
    expect(lines.some((line) => line.includes('posted to Mastodon'))).toBe(true);
    expect(`${lines.join('\n')}\n${error.message}`).not.toContain(SECRET_TOKEN);
  });

  it('a revoked token is auth, naming the variable and what to do, never the token', async () => {
    rig.fake.revokeToken();
    const card = await writeCard(rig.dir, 'a/card.png', 'Kartu');
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'a', 'Halo', [card])));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toContain('The instance says: "The access token is invalid"');
    expect(error.message).toContain('put it in .env as MASTODON_TOKEN');
  });

  it('a disabled account (403) is auth', async () => {
    rig.fake.settings.accountDisabled = true;
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'a', 'Halo')));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.message).toContain('Your login is currently disabled');
  });

  it('a slow instance within the timeout still publishes; one past it is unclear on the status and transient on the upload', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', delayMs: 50 });
    await rig.channel({}, { requestTimeoutMs: 10_000 }).publish(publishRequest(rig.dir, 's1', 'Halo'));
    expect(rig.fake.statuses).toHaveLength(1);

    rig.fake.faults.push({ route: 'POST /api/v1/statuses', delayMs: 2_000, when: 'after' });
    const late = await publishError(rig.channel({}, { requestTimeoutMs: 200 }).publish(publishRequest(rig.dir, 's2', 'Halo lagi')));
    expect(late).toMatchObject({ kind: 'unclear', code: 'timeout' });
    expect(late.message).toContain('no answer within 0.2 s');

    rig.fake.silent = true;
    const card = await writeCard(rig.dir, 's3/card.png', 'Kartu');
    expect(await publishError(rig.channel({}, { requestTimeoutMs: 200 }).publish(publishRequest(rig.dir, 's3', 'Halo', [card])))).toMatchObject({ kind: 'transient', code: 'timeout' });
  });

  it('calls checkpoint right before the status request, after the uploads, and sends nothing if it throws', async () => {
    const card = await writeCard(rig.dir, 'c/card.png', 'Kartu');
    const seen: string[] = [];
    await rig.channel().publish({ ...publishRequest(rig.dir, 'c', 'Halo', [card]), checkpoint: async () => void seen.push(rig.fake.requests.map((r) => r.route).join(',')) });
    expect(seen).toEqual(['POST /api/v2/media']);
    const lost = new Error('lease lost');
    await expect(rig.channel().publish({ ...publishRequest(rig.dir, 'c2', 'Halo', [card]), checkpoint: async () => { throw lost; } })).rejects.toBe(lost);
    expect(rig.fake.statuses).toHaveLength(1);
  });

  it('the key names the revision: a new revision of the same post is a new status', async () => {
    expect(idempotencyKey({ postId: 'abc', revision: 2 })).toBe('quota-herald-abc-r2');
    await rig.channel().publish(publishRequest(rig.dir, 'p', 'Versi 1', [], 1));
    await rig.channel().publish(publishRequest(rig.dir, 'p', 'Versi 2', [], 2));
    expect(rig.fake.statuses.map((s) => s.text)).toEqual(['Versi 1', 'Versi 2']);
  });
});

describe('channels/mastodon: an unclear outcome', () => {
  let rig: MastodonRig;
  beforeEach(async () => {
    rig = await startMastodonRig();
  });
  afterEach(async () => rig.close());

  it('dropped after the status was created: unclear, the read-back finds it by text, and a resend within the hour returns the same status', async () => {
    const card = await writeCard(rig.dir, 'u/card.png', 'Kartu');
    const text = 'Kuota paspor Kanim Pontianak dibuka besok 08.00 WIB.\nDaftar di https://antrian.imigrasi.go.id/pontianak/paspor-elektronik\n\n#imigrasi #paspor';
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', drop: true, when: 'after' });
    const error = await publishError(rig.channel().publish(publishRequest(rig.dir, 'u', text, [card])));
    expect(error.kind).toBe('unclear');
    expect(rig.fake.statuses).toHaveLength(1);

    // The reconciler reads back first: the status is there, as plain text again.
    const [found] = await rig.channel().readBack(new Date('2026-11-27T05:59:00Z'));
    expect(found).toEqual({ remoteId: rig.fake.statuses[0]!.id, text, publishedAt: new Date('2026-11-27T06:00:00Z'), url: `${rig.fake.url}/@kanimpontianak/${rig.fake.statuses[0]!.id}` });

    // Had the read-back missed it, the resend (new upload, same key) returns the first status: no double.
    await rig.clock.sleep(59 * 60_000);
    const again = await rig.channel().publish(publishRequest(rig.dir, 'u', text, [card]));
    expect(again.remoteId).toBe(rig.fake.statuses[0]!.id);
    expect(rig.fake.statuses).toHaveLength(1);
  });

  it('after the hour the instance has forgotten the key: a resend would post again, which is why the read-back decides first', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', drop: true, when: 'after' });
    expect((await publishError(rig.channel().publish(publishRequest(rig.dir, 'h', 'Halo')))).kind).toBe('unclear');
    await rig.clock.sleep(61 * 60_000);
    await rig.channel().publish(publishRequest(rig.dir, 'h', 'Halo'));
    expect(rig.fake.statuses).toHaveLength(2);
  });

  it('an unreadable 200 on the status is unclear', async () => {
    rig.fake.faults.push({ route: 'POST /api/v1/statuses', status: 200, rawBody: '<html>ok</html>', when: 'after' });
    expect(await publishError(rig.channel().publish(publishRequest(rig.dir, 'm', 'Halo')))).toMatchObject({ kind: 'unclear', code: 'malformed' });
    expectNoSecret(rig.fake.statuses);
  });
});
