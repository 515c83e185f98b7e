/**
 * One contract every channel driver must keep (BullMQ's adapter-conformance
 * style): the same tests run against each driver in the registry. Drivers
 * that talk to a platform join with a fake server on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel, PublishRequest } from '../../src/channels/channel';
import { createOutboxChannel, readOutbox } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock } from '../../src/clock';
import type { ChannelConfig } from '../../src/config/types';
import { createSilentLogger } from '../../src/logger';
import { createXChannel } from '../../src/channels/x/x-channel';
import { startFakeXServer, type FakeXServer } from '../fakes/fake-x-server';
import { createInstagramChannel } from '../../src/channels/instagram/instagram-channel';
import { startMediaServer, type MediaServer } from '../../src/media-server/media-server';
import { startFakeInstagramServer, type FakeInstagramServer } from '../fakes/fake-instagram-server';
import { requestFacts } from '../support/publish-request';
import type { DriverHarness } from './contract/harness';
import { PublishError } from '../../src/channels/publish-error';

const location = { file: 'herald.yaml', line: 1, col: 1 };
const BUILT_IN: DriverHarness[] = [
  {
    name: 'outbox (as instagram)',
    create: (dir, clock) =>
      createOutboxChannel({ id: 'instagram', driver: 'outbox', platform: 'instagram', credentials: {}, enabled: true, location } satisfies ChannelConfig, {
        clock,
        logger: createSilentLogger(),
        outboxDir: dir,
        env: {},
        fetch,
      }),
    published: (dir) => outboxCount(dir),
  },
  {
    name: 'outbox (as x)',
    create: (dir, clock) =>
      createOutboxChannel({ id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location }, { clock, logger: createSilentLogger(), outboxDir: dir, env: {}, fetch }),
    published: (dir) => outboxCount(dir),
  },
  {
    name: 'instagram (Graph API, fake server)',
    create: (dir, clock) => {
      // One fake and one media server for the file; each test gets a clean fake and its own data dir.
      instagramFake.reset();
      instagramClock = clock;
      linkInstagramMedia(dir);
      return createInstagramChannel(
        { id: 'instagram', driver: 'instagram', platform: 'instagram', baseUrl: instagramFake.url, accountId: instagramFake.accountId, credentials: { accessToken: 'IG_ACCESS_TOKEN' }, enabled: true, location },
        { clock, logger: createSilentLogger(), outboxDir: dir, env: { IG_ACCESS_TOKEN: 'contract-ig-token' }, fetch, publicMediaUrl: (file) => instagramMedia.publicUrl(file), stateDir: dir },
        { poll: { maxPolls: 3, initialDelayMs: 1, maxDelayMs: 1 } },
      );
    },
    published: () => instagramFake.published.length,
  },
  {
    name: 'x (API v2 via twitter-api-v2, fake server)',
    create: (dir, clock) => {
      // One fake X for the file, emptied for each test and following the test's virtual clock.
      xFake.reset();
      xFake.now = () => clock.now();
      return createXChannel(
        { id: 'x', driver: 'x', platform: 'x', baseUrl: xFake.url, credentials: {}, enabled: true, location },
        { clock, logger: createSilentLogger(), outboxDir: dir, env: X_CONTRACT_ENV, fetch },
      );
    },
    published: () => xFake.tweets.length,
  },
];

/** Each driver added since joins with its own file (contract/harness.ts). */
const HARNESSES: DriverHarness[] = [
  ...BUILT_IN,
  ...fs
    .readdirSync(path.join(__dirname, 'contract'))
    .filter((file) => file.endsWith('.harness.ts'))
    .sort()
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .map((file) => (require(path.join(__dirname, 'contract', file)) as { harness: DriverHarness }).harness),
];
beforeAll(async () => {
  for (const harness of HARNESSES) await harness.setup?.();
});
afterAll(async () => {
  for (const harness of HARNESSES) await harness.teardown?.();
});

function outboxCount(dir: string): number {
  const file = path.join(dir, 'outbox.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

// X harness: the real twitter-api-v2 against a fake X that checks the OAuth 1.0a signatures.
const X_CONTRACT_ENV = { X_APP_KEY: 'contract-app-key', X_APP_SECRET: 'contract-app-secret', X_ACCESS_TOKEN: '1-contract-token', X_ACCESS_SECRET: 'contract-access-secret' };
let xFake: FakeXServer;
beforeAll(async () => {
  xFake = await startFakeXServer({ appKey: X_CONTRACT_ENV.X_APP_KEY, appSecret: X_CONTRACT_ENV.X_APP_SECRET, accessToken: X_CONTRACT_ENV.X_ACCESS_TOKEN, accessSecret: X_CONTRACT_ENV.X_ACCESS_SECRET });
});
afterAll(async () => xFake.close());

// Instagram harness: the fake Graph server downloads each image from the bot's real media server.
let instagramFake: FakeInstagramServer;
let instagramMedia: MediaServer;
let instagramClock: ReturnType<typeof createVirtualClock> | null = null;
const instagramRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-contract-ig-'));
beforeAll(async () => {
  // The contract's placeholder card is 4 bytes, not a real JPEG: image checks are covered in
  // test/channels/instagram/. Containers finish on the first poll so no virtual time passes.
  instagramFake = await startFakeInstagramServer({ token: 'contract-ig-token', now: () => instagramClock?.now() ?? new Date(), pollsUntilFinished: 0, validateImages: false });
  const base = 'http://media.invalid';
  const server = await startMediaServer({ rootDir: instagramRoot, stateDir: instagramRoot, host: '127.0.0.1', port: 0, publicBaseUrl: base });
  instagramMedia = { ...server, publicUrl: (file) => server.publicUrl(file).replace(base, server.address) };
});
afterAll(async () => {
  await Promise.all([instagramFake.close(), instagramMedia.close()]);
  fs.rmSync(instagramRoot, { recursive: true, force: true });
});
/** The media server's root stays fixed; its media/ points at the current test's data dir. */
function linkInstagramMedia(dir: string): void {
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.rmSync(path.join(instagramRoot, 'media'), { force: true });
  fs.symlinkSync(path.join(dir, 'media'), path.join(instagramRoot, 'media'));
}

function writeCard(dir: string, name: string): { file: string; bytes: number } {
  // A real (tiny) JPEG is not needed for the contract: the media bytes are the driver's to move.
  const file = path.join('media', name);
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, file), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  return { file, bytes: 4 };
}

function request(dir: string, postId: string, text: string): PublishRequest {
  const card = writeCard(dir, `${postId}.jpg`);
  return {
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'ignored-by-request',
    kind: 'announcement',
    ruleId: 'h-60m',
    releaseId: 'mingguan@2026-11-27',
    scheduledAt: new Date('2026-11-27T06:00:00Z'),
    deadline: new Date('2026-11-27T07:00:00Z'),
    post: { text, media: [{ file: card.file, mime: 'image/jpeg', width: 1080, height: 1350, bytes: card.bytes, alt: 'Kartu pengumuman kuota' }] },
    mediaRoot: dir,
  };
}

describe.each(HARNESSES)('channels contract: $name', (harness) => {
  let dir: string;
  let clock: ReturnType<typeof createVirtualClock>;
  let channel: Channel;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-contract-'));
    clock = createVirtualClock(new Date('2026-11-27T06:00:00Z'));
    channel = harness.create(dir, clock);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('declares limits that allow at least one image', () => {
    expect(channel.limits.maxImages).toBeGreaterThanOrEqual(1);
    expect(channel.limits.imageMimes).toContain(channel.limits.preferredMime);
  });

  it('accepts a post within its limits and rejects one over them', () => {
    const ok = request(dir, 'p1', 'Kuota paspor dibuka pukul 14.00 WIB').post;
    expect(channel.check(ok).filter((p) => p.severity === 'error')).toEqual([]);
    const tooLong = { ...ok, text: 'x'.repeat(channel.limits.maxTextLength + 1) };
    expect(channel.check(tooLong).some((p) => p.severity === 'error' && /over the limit/.test(p.message))).toBe(true);
  });

  it('publishes and returns a remote id and the publish time', async () => {
    const result = await channel.publish(request(dir, 'p1', 'Kuota dibuka'));
    expect(result.remoteId).toEqual(expect.any(String));
    expect(result.remoteId.length).toBeGreaterThan(0);
    expect(result.publishedAt.toISOString()).toBe('2026-11-27T06:00:00.000Z');
  });

  it('says when it is about to create the post, and nothing is public before', async () => {
    const seen: [string, number][] = [];
    const result = await channel.publish({
      ...request(dir, 'p1', 'Kuota dibuka'),
      checkpoint: async (phase) => void seen.push([phase, harness.published(dir)]),
    });
    expect(result.remoteId).toEqual(expect.any(String));
    // The scheduler retries an interrupted `preparing` attempt without reading back: only safe if this holds.
    expect(seen).toEqual([['sending', 0]]);
    expect(harness.published(dir)).toBe(1);
  });

  it('sends nothing more when a checkpoint says the post was lost to another sender', async () => {
    const lost = Object.assign(new Error('lease lost'), { name: 'LeaseLostError' });
    await expect(channel.publish({ ...request(dir, 'p1', 'Kuota dibuka'), checkpoint: async () => { throw lost; } })).rejects.toBe(lost);
    expect(harness.published(dir)).toBe(0);
  });

  it('reads back what it published, newest first, by text and time', async () => {
    await channel.publish(request(dir, 'p1', 'pertama'));
    if (harness.deduplicatesResends) {
      // "Found nothing" makes the reconciler send again: safe only because the resend is not a second copy.
      await channel.publish(request(dir, 'p1', 'pertama'));
      expect(harness.published(dir)).toBe(1);
      await expect(channel.readBack(new Date(0))).resolves.toEqual([]);
      return;
    }
    if (harness.readsBack === false) {
      // "Found nothing" would make the reconciler send again: a blind platform must say it cannot tell.
      await expect(channel.readBack(new Date(0))).rejects.toBeInstanceOf(PublishError);
      return;
    }
    await clock.sleep(60_000);
    const second = await channel.publish(request(dir, 'p2', 'kedua'));
    const back = await channel.readBack(new Date('2026-11-27T06:00:30Z'));
    expect(back.map((p) => p.text)).toEqual(['kedua']);
    expect(back[0]!.remoteId).toBe(second.remoteId);
    expect((await channel.readBack(new Date(0))).map((p) => p.text)).toEqual(['kedua', 'pertama']);
  });
});

describe('channels/outbox', () => {
  it('writes the CONTRACT.md record, one JSON object per line, media relative to the outbox', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-outbox-'));
    const clock = createVirtualClock(new Date('2026-11-27T06:00:01Z'));
    const channel = HARNESSES[0]!.create(dir, clock);
    await channel.publish(request(dir, 'abc', 'Halo'));
    const [record, ...rest] = readOutbox(path.join(dir, 'outbox.jsonl'));
    expect(rest).toEqual([]);
    expect(record).toEqual({
      postId: 'abc',
      office: 'kanim-pontianak',
      channel: 'instagram',
      kind: 'announcement',
      rule: 'h-60m',
      releaseId: 'mingguan@2026-11-27',
      scheduledAt: '2026-11-27T06:00:00.000Z',
      deadline: '2026-11-27T07:00:00.000Z',
      publishedAt: '2026-11-27T06:00:01.000Z',
      text: 'Halo',
      media: [{ file: path.join('media', 'abc.jpg'), mime: 'image/jpeg', width: 1080, height: 1350, alt: 'Kartu pengumuman kuota' }],
    });
    expect(fs.existsSync(path.join(dir, record!.media[0]!.file))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies media into the outbox when they were rendered elsewhere', async () => {
    const renderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-render-'));
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-out-'));
    const channel = createOutboxChannel({ id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location }, {
      clock: createVirtualClock(new Date('2026-11-27T06:00:00Z')),
      logger: createSilentLogger(),
      outboxDir: outDir,
      env: {},
      fetch,
    });
    await channel.publish(request(renderDir, 'abc', 'Halo'));
    const [record] = readOutbox(path.join(outDir, 'outbox.jsonl'));
    expect(fs.readFileSync(path.join(outDir, record!.media[0]!.file))).toEqual(fs.readFileSync(path.join(renderDir, 'media', 'abc.jpg')));
    fs.rmSync(renderDir, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('warns about links in X text, with the price', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-outbox-'));
    const channel = HARNESSES[1]!.create(dir, createVirtualClock(new Date()));
    const problems = channel.check({ text: 'Info di imigrasi.go.id', media: [] });
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('$0.20') })]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
