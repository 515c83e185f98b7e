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

interface DriverHarness {
  name: string;
  create(dir: string, clock: ReturnType<typeof createVirtualClock>): Channel;
}

const location = { file: 'herald.yaml', line: 1, col: 1 };
const HARNESSES: DriverHarness[] = [
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
  },
  {
    name: 'outbox (as x)',
    create: (dir, clock) =>
      createOutboxChannel({ id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location }, { clock, logger: createSilentLogger(), outboxDir: dir, env: {}, fetch }),
  },
];

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

  it('reads back what it published, newest first, by text and time', async () => {
    await channel.publish(request(dir, 'p1', 'pertama'));
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
