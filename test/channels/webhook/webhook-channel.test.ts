/**
 * The webhook driver against a fake receiver that verifies signatures with its
 * own code and de-duplicates by webhook-id, as docs/channels/webhook.md asks
 * receivers to: publish (links or inline cards), each answer → the right
 * PublishError, retries with the same id, readBack, verify, config problems.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import type { ChannelConfig } from '../../../src/config/types';
import { PublishError } from '../../../src/channels/publish-error';
import { createWebhookChannel, resolveWebhookSettings } from '../../../src/channels/webhook/webhook-channel';
import { MAX_BODY_BYTES } from '../../../src/channels/webhook/webhook-payload';
import { signWebhook, parseWebhookSecret } from '../../../src/channels/webhook/webhook-signature';
import { createVirtualClock } from '../../../src/clock';
import { createSilentLogger } from '../../../src/logger';
import { startFakeWebhookServer, verifyStandardWebhook, type FakeWebhookServer } from '../../fakes/fake-webhook-server';
import { requestFacts } from '../../support/publish-request';
import { loadConfig } from '../../../src/config/load';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, problemAt, writeTempDir } from '../../config/helpers';

const SECRET = `whsec_${Buffer.from('webhook-test-secret-RECOGNISABLE!').toString('base64')}`;
const location = { file: 'herald.yaml', line: 7, col: 5 };

let fake: FakeWebhookServer;
let dir: string;
const clock = createVirtualClock(new Date('2026-11-27T06:00:00Z'));

beforeAll(async () => {
  fake = await startFakeWebhookServer({ secret: SECRET, now: () => clock.now() });
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.reset();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-webhook-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function config(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return { id: 'situs', driver: 'webhook', platform: 'webhook', url: fake.url, credentials: { secret: 'WEBHOOK_SECRET' }, enabled: true, location, ...overrides };
}

function channel(options: { deps?: Partial<ChannelDeps>; config?: Partial<ChannelConfig> } = {}) {
  return createWebhookChannel(config(options.config), {
    clock,
    logger: createSilentLogger(),
    outboxDir: dir,
    env: { WEBHOOK_SECRET: SECRET },
    fetch,
    ...options.deps,
  });
}

function card(name: string, bytes: Buffer): { file: string; bytes: number } {
  const file = path.join('media', name);
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, file), bytes);
  return { file, bytes: bytes.length };
}

function request(cards = 1, overrides: Partial<PublishRequest> = {}): PublishRequest {
  const media = Array.from({ length: cards }, (_, i) => {
    const written = card(`card-${i}.png`, Buffer.from(`\x89PNG fake card ${i}`));
    return { ...written, mime: 'image/png' as const, width: 1080, height: 1350, alt: `Kartu kuota ${i + 1}` };
  });
  return {
    postId: '3f9a1c2e7b40d15e8a27',
    revision: 2,
    officeId: 'kanim-pontianak',
    channelId: 'situs',
    kind: 'announcement',
    ruleId: 'opening',
    releaseId: 'mingguan@2026-11-27',
    scheduledAt: new Date('2026-11-27T06:00:00Z'),
    deadline: new Date('2026-11-27T07:00:00Z'),
    post: { text: 'Kuota paspor dibuka sekarang: Reguler 120', media },
    facts: requestFacts(),
    mediaRoot: dir,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<PublishError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PublishError);
  return error as PublishError;
}

describe('channels/webhook: signing', () => {
  it("reproduces the Standard Webhooks specification's published test vector", () => {
    const parsed = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    if (!('key' in parsed)) throw new Error(parsed.problem);
    expect(signWebhook([parsed.key], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('refuses secrets that are not whsec_ + base64 of 24–64 bytes, without echoing them', () => {
    expect(parseWebhookSecret('hunter2')).toEqual({ problem: expect.stringContaining('whsec_') });
    expect(parseWebhookSecret(`whsec_${Buffer.from('short').toString('base64')}`)).toEqual({ problem: expect.stringContaining('5 bytes') });
    expect(JSON.stringify(parseWebhookSecret('whsec_not base64!'))).not.toContain('not base64!');
  });
});

describe('channels/webhook: publish', () => {
  it('POSTs the post as signed JSON with card links; an independent verifier accepts it; the receipt is the remote id', async () => {
    const seen: number[] = [];
    const result = await channel({ deps: { publicMediaUrl: (file) => `https://media.example.go.id/herald/${file}` } }).publish({
      ...request(1),
      checkpoint: async () => void seen.push(fake.attempts.length),
    });
    // Nothing reached the receiver before the checkpoint.
    expect(seen).toEqual([0]);
    expect(fake.deliveries).toHaveLength(1);
    const [attempt] = fake.attempts;
    expect(attempt).toMatchObject({ webhookId: 'qh_3f9a1c2e7b40d15e8a27_r2', outcome: 'published', status: 200 });
    expect(attempt!.timestamp).toBe(String(Math.floor(clock.now().getTime() / 1000)));
    const delivery = fake.deliveries[0]!;
    expect(result).toEqual({ remoteId: delivery.receiptId, url: delivery.url, publishedAt: clock.now() });
    const bytes = fs.readFileSync(path.join(dir, 'media', 'card-0.png'));
    expect(delivery.body).toEqual({
      type: 'quota-herald.post',
      office: { id: 'kanim-pontianak', name: requestFacts().office.name },
      channel: 'situs',
      post: { id: '3f9a1c2e7b40d15e8a27', revision: 2, kind: 'announcement', rule: 'opening', release: 'mingguan@2026-11-27', scheduledAt: '2026-11-27T06:00:00.000Z', deadline: '2026-11-27T07:00:00.000Z' },
      text: 'Kuota paspor dibuka sekarang: Reguler 120',
      cards: [{ url: 'https://media.example.go.id/herald/media/card-0.png', mime: 'image/png', width: 1080, height: 1350, bytes: bytes.length, alt: 'Kartu kuota 1', sha256: createHash('sha256').update(bytes).digest('hex') }],
      facts: JSON.parse(JSON.stringify(requestFacts())),
    });
  });

  it('the signature is the spec\'s HMAC over "id.timestamp.body", checked here with a verifier written from the spec', async () => {
    let raw: Buffer | null = null;
    let headers: Headers | null = null;
    const recording: typeof fetch = async (input, init) => {
      raw = Buffer.from(init!.body as string);
      headers = new Headers(init!.headers);
      return fetch(input, init);
    };
    await channel({ deps: { fetch: recording } }).publish(request(1));
    const id = headers!.get('webhook-id')!;
    const timestamp = headers!.get('webhook-timestamp')!;
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${raw!.toString('utf8')}`).digest('base64');
    expect(headers!.get('webhook-signature')).toBe(`v1,${expected}`);
    expect(verifyStandardWebhook([SECRET], id, timestamp, raw!, headers!.get('webhook-signature')!)).toBe(true);
    expect(verifyStandardWebhook([SECRET], id, timestamp, Buffer.concat([raw!, Buffer.from(' ')]), headers!.get('webhook-signature')!)).toBe(false);
    expect(headers!.get('content-type')).toBe('application/json');
  });

  it('without a media server, several cards travel inline as data: URLs with their SHA-256', async () => {
    await channel().publish(request(3));
    const cards = fake.deliveries[0]!.body.cards;
    expect(cards).toHaveLength(3);
    cards.forEach((sent, i) => {
      const bytes = fs.readFileSync(path.join(dir, 'media', `card-${i}.png`));
      expect(sent.url).toBe(`data:image/png;base64,${bytes.toString('base64')}`);
      expect(sent.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(sent.alt).toBe(`Kartu kuota ${i + 1}`);
    });
  });

  it('a body over the limit is refused as permanent before anything is sent (no checkpoint)', async () => {
    const big = card('big.png', Buffer.alloc(Math.ceil((MAX_BODY_BYTES * 3) / 4) + 1024));
    const checkpoint = jest.fn(async () => undefined);
    const error = await failure(channel().publish({ ...request(0), post: { text: 'besar', media: [{ ...big, mime: 'image/png', width: 1080, height: 1350, alt: 'besar' }] }, checkpoint }));
    expect(error.kind).toBe('permanent');
    expect(error.message).toMatch(/settings\.mediaServer/);
    expect(checkpoint).not.toHaveBeenCalled();
    expect(fake.attempts).toEqual([]);
  });

  it('without a receipt (204), the remote id is the webhook-id', async () => {
    fake.receipts = false;
    const result = await channel().publish(request(1));
    expect(result).toEqual({ remoteId: 'qh_3f9a1c2e7b40d15e8a27_r2', url: null, publishedAt: clock.now() });
  });

  it('baseUrl replaces the url\'s origin', async () => {
    const result = await channel({ config: { url: 'https://humas.example.go.id/hooks/quota-herald', baseUrl: fake.origin } }).publish(request(1));
    expect(result.remoteId).toBe(fake.deliveries[0]!.receiptId);
  });

  it('while a secret is rotated, both signatures go out and a receiver on either secret accepts', async () => {
    const next = `whsec_${Buffer.from('the-next-secret-after-rotation-RECOGNISABLE').toString('base64')}`;
    const rotating = channel({ config: { credentials: { secret: 'WEBHOOK_SECRET', previousSecret: 'WEBHOOK_SECRET_OLD' } }, deps: { env: { WEBHOOK_SECRET: next, WEBHOOK_SECRET_OLD: SECRET } } });
    await rotating.publish(request(1));
    expect(fake.attempts[0]!.signature!.split(' ')).toHaveLength(2);
    fake.changeSecret(next);
    await rotating.publish(request(1, { postId: 'b0b0b0b0b0b0b0b0b0b0' }));
    expect(fake.deliveries).toHaveLength(2);
  });
});

describe('channels/webhook: answers and failures', () => {
  const cases: [string, string, RegExp, () => void][] = [
    ['500', 'transient', /same webhook-id/, () => fake.faults.push({ status: 500 })],
    ['503 with Retry-After', 'rate-limited', /503/, () => fake.faults.push({ status: 503, headers: { 'retry-after': '120' } })],
    ['429 with Retry-After', 'rate-limited', /429/, () => fake.faults.push({ status: 429, headers: { 'retry-after': '30' } })],
    ['410 Gone', 'permanent', /enabled: false/, () => fake.faults.push({ status: 410 })],
    ['404', 'permanent', /url/, () => fake.faults.push({ status: 404 })],
    ['302', 'permanent', /redirect/, () => fake.faults.push({ status: 302, headers: { location: 'https://elsewhere.example/' } })],
    ['413', 'permanent', /client_max_body_size/, () => fake.faults.push({ status: 413 })],
    ['a dropped connection', 'transient', /could not be reached/, () => fake.faults.push({ drop: true })],
    ['another secret on the receiver (401)', 'auth', /WEBHOOK_SECRET/, () => fake.changeSecret(`whsec_${Buffer.from('a-different-secret-of-the-receiver').toString('base64')}`)],
  ];
  it.each(cases)('%s → %s', async (_name, kind, message, arm) => {
    arm();
    const error = await failure(channel().publish(request(1)));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SECRET);
    expect(fake.deliveries).toHaveLength(0);
  });

  it('honours Retry-After, in seconds or as an HTTP date; a bare 429 waits a minute', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '30' } }, { status: 429, headers: { 'retry-after': new Date(clock.now().getTime() + 90_000).toUTCString() } }, { status: 429 });
    const at = async (): Promise<number> => (await failure(channel().publish(request(1)))).retryAt!.getTime() - clock.now().getTime();
    expect(await at()).toBe(30_000);
    expect(await at()).toBe(90_000);
    expect(await at()).toBe(60_000);
  });

  it('a receiver that does not answer in time: transient, and the timeout is the request timeout', async () => {
    fake.faults.push({ hang: true });
    const error = await failure(channel({ deps: { requestTimeoutMs: 300 } }).publish(request(1)));
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/did not answer within 0.3 s/);
  });

  it('after a drop once the post was stored, the retry carries the same webhook-id with a fresh timestamp, and the receiver keeps one copy', async () => {
    fake.faults.push({ drop: true, afterEffect: true });
    const webhook = channel();
    expect((await failure(webhook.publish(request(1)))).kind).toBe('transient');
    expect(fake.deliveries).toHaveLength(1);
    await clock.sleep(15_000);
    const result = await webhook.publish(request(1));
    expect(fake.deliveries).toHaveLength(1);
    expect(result.remoteId).toBe(fake.deliveries[0]!.receiptId);
    const [first, second] = fake.attempts;
    expect(second!.webhookId).toBe(first!.webhookId);
    expect(Number(second!.timestamp) - Number(first!.timestamp)).toBe(15);
    expect(second!.signature).not.toBe(first!.signature);
    expect(second!.outcome).toBe('duplicate');
  });

  it('a 5xx after the receiver stored the post: sent again, the same receipt comes back', async () => {
    fake.faults.push({ status: 500, afterEffect: true });
    const webhook = channel();
    expect((await failure(webhook.publish(request(1)))).kind).toBe('transient');
    const result = await webhook.publish(request(1));
    expect(fake.deliveries).toHaveLength(1);
    expect(result.remoteId).toBe(fake.deliveries[0]!.receiptId);
  });

  it('a new revision is a new event (another webhook-id)', async () => {
    const webhook = channel();
    await webhook.publish(request(1));
    await webhook.publish(request(1, { revision: 3 }));
    expect(fake.deliveries.map((d) => d.webhookId)).toEqual(['qh_3f9a1c2e7b40d15e8a27_r2', 'qh_3f9a1c2e7b40d15e8a27_r3']);
  });

  it('stops when the caller aborts (the scheduler\'s deadline): transient, nothing more sent', async () => {
    fake.faults.push({ hang: true });
    const controller = new AbortController();
    const pending = channel().publish(request(1), controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect((await failure(pending)).kind).toBe('transient');
  });

  it('readBack answers [] by design: a resend is safe because receivers de-duplicate by webhook-id', async () => {
    const webhook = channel();
    await webhook.publish(request(1));
    await expect(webhook.readBack(new Date(0))).resolves.toEqual([]);
  });
});

describe('channels/webhook: verify (check --online)', () => {
  it('sends a signed ping the receiver accepts, and publishes nothing', async () => {
    const report = await channel().verify!(clock.now());
    expect(report).toMatchObject({ channelId: 'situs', account: fake.origin, tokenExpiresAt: null, problems: [] });
    expect(report.details.join('\n')).toMatch(/accepted a signed quota-herald\.ping/);
    expect(fake.attempts.map((a) => a.outcome)).toEqual(['ping']);
    expect(fake.deliveries).toEqual([]);
  });

  it('reports a secret the receiver does not share, and an unreachable receiver, as errors saying what to do', async () => {
    fake.changeSecret(`whsec_${Buffer.from('a-different-secret-of-the-receiver').toString('base64')}`);
    const refused = await channel().verify!(clock.now());
    expect(refused.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/refused the signature \(401\).*WEBHOOK_SECRET/) })]);
    const unreachable = await channel({ config: { url: 'http://127.0.0.1:9/hooks' } }).verify!(clock.now());
    expect(unreachable.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/could not be reached/) })]);
  });
});

describe('channels/webhook: settings', () => {
  const resolve = (overrides: Partial<ChannelConfig>, env: Record<string, string> = { WEBHOOK_SECRET: SECRET }) => () => resolveWebhookSettings(config(overrides), env);

  it('refuses plain http except to this machine, and a missing url, with file:line:col', () => {
    expect(resolve({ url: 'http://humas.example.go.id/hook' })).toThrow(/^herald\.yaml:7:5: .*plain http/);
    expect(resolve({ url: undefined })).toThrow(/^herald\.yaml:7:5: .*needs url/);
    expect(resolve({ url: 'ftp://example.org/x' })).toThrow(/not an http\(s\) address/);
    expect(resolve({ url: 'http://localhost:8080/hook' })).not.toThrow();
    expect(resolve({ url: 'https://humas.example.go.id/hook' })).not.toThrow();
  });

  it('names a missing or malformed secret variable, never its value', () => {
    expect(resolve({ credentials: {} })).toThrow(/herald\.yaml:7:5: .*credentials\.secret/);
    expect(resolve({}, {})).toThrow(/WEBHOOK_SECRET is not set/);
    const malformed = 'not-a-whsec-RECOGNISABLE';
    expect(resolve({}, { WEBHOOK_SECRET: malformed })).toThrow(/WEBHOOK_SECRET does not start with whsec_/);
    try {
      resolveWebhookSettings(config(), { WEBHOOK_SECRET: malformed });
    } catch (error) {
      expect((error as Error).message).not.toContain(malformed);
    }
  });
});

describe('config: a webhook channel in herald.yaml', () => {
  it('needs url (https, or http to this machine) and credentials.secret, each problem at its file:line:col', () => {
    const x = '  - { id: x, driver: outbox, platform: x }';
    const herald = MINIMAL_HERALD.replace(x, `${x}\n  - { id: a, driver: webhook, url: "http://humas.example.go.id/hook", credentials: { secret: WEBHOOK_SECRET } }\n  - { id: b, driver: webhook }\n  - { id: c, driver: webhook, url: "http://127.0.0.1:8080/hook", credentials: { secret: WEBHOOK_SECRET } }`);
    const dir = writeTempDir({ 'herald.yaml': herald, ...MINIMAL_TEMPLATES });
    const { problems } = loadConfig(dir);
    const file = path.join(dir, 'herald.yaml');
    const line = (id: string): number => herald.split('\n').findIndex((l) => l.includes(`id: ${id},`)) + 1;
    expect(problemAt(problems, file, line('a'), herald.split('\n')[line('a') - 1]!.indexOf('"http') + 1).message).toMatch(/plain http: a webhook must use https/);
    const missing = problems.filter((p) => p.location?.line === line('b')).map((p) => p.message);
    expect(missing).toEqual([expect.stringMatching(/needs url/), expect.stringMatching(/needs credentials\.secret/)]);
    expect(problems.filter((p) => p.location?.line === line('c'))).toEqual([]);
  });
});
