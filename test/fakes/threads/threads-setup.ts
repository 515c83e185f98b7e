/**
 * One Threads test world: the fake Threads API, the bot's real media server
 * serving real cards, a captured logger, and a factory for the real driver
 * pointed at the fake through `baseUrl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Channel, ChannelAlertKind, ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import { PublishError } from '../../../src/channels/publish-error';
import { createThreadsChannel, type ThreadsChannelOptions } from '../../../src/channels/threads/threads-channel';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createLogger } from '../../../src/logger';
import { startMediaServer, type MediaServer } from '../../../src/media-server/media-server';
import { requestFacts } from '../../support/publish-request';
import { startFakeThreadsServer, type FakeThreadsOptions, type FakeThreadsServer } from '../fake-threads-server';

/** A recognisable secret: a test fails if it shows up anywhere but the token store. */
export const SECRET_TOKEN = 'THAAsecretTOKEN-8e1d55b0-do-not-leak';

export interface Card {
  file: string;
  bytes: number;
  width: number;
  height: number;
  mime: 'image/jpeg' | 'image/png';
}

export interface ThreadsWorld {
  dir: string;
  clock: VirtualClock;
  fake: FakeThreadsServer;
  media: MediaServer;
  logLines: string[];
  alerts: { kind: ChannelAlertKind; message: string }[];
  env: Record<string, string | undefined>;
  config: ChannelConfig;
  deps(): ChannelDeps;
  channel(overrides?: { config?: Partial<ChannelConfig>; deps?: Partial<ChannelDeps>; options?: ThreadsChannelOptions }): Channel;
  /** Writes a real card under `<dir>/media/<name>` (JPEG, or PNG when the name ends .png). */
  card(name: string, width?: number, height?: number): Promise<Card>;
  request(postId: string, text: string, cards: Card[]): PublishRequest;
  close(): Promise<void>;
}

export const FAST_POLL: ThreadsChannelOptions = { poll: { maxPolls: 5, initialDelayMs: 1, maxDelayMs: 2 }, requestTimeoutMs: 5000 };

export async function startThreadsWorld(options: FakeThreadsOptions & { start?: string } = {}): Promise<ThreadsWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-threads-'));
  const clock = createVirtualClock(new Date(options.start ?? '2026-11-27T06:00:00Z'));
  const fake = await startFakeThreadsServer({ token: SECRET_TOKEN, now: () => clock.now(), pollsUntilFinished: 2, ...options });
  const media = await startMediaServer({ rootDir: dir, stateDir: dir, host: '127.0.0.1', port: 0, publicBaseUrl: 'http://placeholder' });
  // Threads would reach the public HTTPS address; the fake reaches the server directly.
  const publicUrl = (file: string): string => media.publicUrl(file).replace('http://placeholder', media.address);
  const logLines: string[] = [];
  const alerts: ThreadsWorld['alerts'] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const env: Record<string, string | undefined> = { THREADS_ACCESS_TOKEN: SECRET_TOKEN };
  const config: ChannelConfig = {
    id: 'threads',
    driver: 'threads',
    platform: 'threads',
    baseUrl: fake.url,
    credentials: { accessToken: 'THREADS_ACCESS_TOKEN' },
    accountId: fake.userId,
    enabled: true,
    location: { file: 'herald.yaml', line: 14, col: 5 },
  };
  const deps = (): ChannelDeps => ({
    clock,
    logger,
    outboxDir: path.join(dir, 'outbox'),
    env,
    fetch,
    publicMediaUrl: publicUrl,
    stateDir: dir,
    alert: (kind, message) => void alerts.push({ kind, message }),
  });
  return {
    dir,
    clock,
    fake,
    media,
    logLines,
    alerts,
    env,
    config,
    deps,
    channel: (overrides = {}) => createThreadsChannel({ ...config, ...overrides.config }, { ...deps(), ...overrides.deps }, { ...FAST_POLL, ...overrides.options }),
    async card(name, width = 1080, height = 1350) {
      const file = `media/${name}`;
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      const image = sharp({ create: { width, height, channels: 3, background: { r: 20, g: 80, b: 160 } } });
      const png = name.endsWith('.png');
      const data = await (png ? image.png() : image.jpeg({ quality: 80 })).toBuffer();
      fs.writeFileSync(path.join(dir, file), data);
      return { file, bytes: data.length, width, height, mime: png ? 'image/png' : 'image/jpeg' };
    },
    request: (postId, text, cards) => ({
      postId,
      revision: 1,
      facts: requestFacts(),
      officeId: 'kanim-pontianak',
      channelId: 'threads',
      kind: 'announcement',
      ruleId: 'h-60m',
      releaseId: 'mingguan@2026-11-27',
      scheduledAt: clock.now(),
      deadline: new Date(clock.now().getTime() + 3_600_000),
      post: { text, media: cards.map((card, index) => ({ ...card, alt: `Kartu ${index + 1}: kuota paspor` })) },
      mediaRoot: dir,
    }),
    async close() {
      await Promise.all([fake.close(), media.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every string a test can see that must never contain the token. */
export function visibleText(world: ThreadsWorld, errors: unknown[]): string {
  const described = errors.map((error) => `${String(error)} ${JSON.stringify(error)} ${(error as Error)?.stack ?? ''}`);
  return [...world.logLines, ...world.alerts.map((a) => a.message), ...described].join('\n');
}

/** The PublishError a call fails with (fails the test when it succeeds or throws anything else). */
export async function publishError(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PublishError);
    return error as PublishError;
  }
  throw new Error('expected the call to fail');
}
