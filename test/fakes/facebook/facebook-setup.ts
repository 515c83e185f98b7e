/**
 * One Facebook test world: the fake Page API, real JPEG cards on disk, a
 * captured logger, and the real driver pointed at the fake through `baseUrl`.
 * No media server: the driver uploads the card bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Channel, ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import { createFacebookChannel, type FacebookChannelOptions } from '../../../src/channels/facebook/facebook-channel';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createLogger } from '../../../src/logger';
import { startFakeFacebookServer, type FakeFacebookOptions, type FakeFacebookServer } from '../fake-facebook-server';
import { requestFacts } from '../../support/publish-request';

/** A recognisable Page token: a test fails if it shows up in a log line or an error. */
export const SECRET_PAGE_TOKEN = 'EAAGsecretPAGEtoken-91c3e7-do-not-leak';

export interface Card {
  file: string;
  bytes: number;
  width: number;
  height: number;
  mime: 'image/jpeg' | 'image/png';
}

export interface FacebookWorld {
  dir: string;
  clock: VirtualClock;
  fake: FakeFacebookServer;
  logLines: string[];
  config: ChannelConfig;
  channel(overrides?: { config?: Partial<ChannelConfig>; deps?: Partial<ChannelDeps>; options?: FacebookChannelOptions }): Channel;
  /** Writes a real card under `<dir>/media/<name>`. */
  card(name: string, options?: { width?: number; height?: number; png?: boolean }): Promise<Card>;
  request(postId: string, text: string, cards: Card[]): PublishRequest;
  close(): Promise<void>;
}

export async function startFacebookWorld(options: FakeFacebookOptions & { start?: string } = {}): Promise<FacebookWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-fb-'));
  const clock = createVirtualClock(new Date(options.start ?? '2026-11-27T06:00:00Z'));
  const fake = await startFakeFacebookServer({ token: SECRET_PAGE_TOKEN, now: () => clock.now(), ...options });
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const config: ChannelConfig = {
    id: 'facebook',
    driver: 'facebook',
    platform: 'facebook',
    baseUrl: fake.url,
    credentials: { accessToken: 'FB_PAGE_TOKEN' },
    pageId: fake.pageId,
    enabled: true,
    location: { file: 'herald.yaml', line: 14, col: 5 },
  };
  const deps = (): ChannelDeps => ({ clock, logger, outboxDir: path.join(dir, 'outbox'), env: { FB_PAGE_TOKEN: SECRET_PAGE_TOKEN }, fetch });
  return {
    dir,
    clock,
    fake,
    logLines,
    config,
    channel: (overrides = {}) => createFacebookChannel({ ...config, ...overrides.config }, { ...deps(), ...overrides.deps }, { requestTimeoutMs: 5000, ...overrides.options }),
    async card(name, { width = 1080, height = 1350, png = false } = {}) {
      const file = `media/${name}`;
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      const image = sharp({ create: { width, height, channels: 3, background: { r: 20, g: 80, b: 160 } } });
      const data = png ? await image.png().toBuffer() : await image.jpeg({ quality: 80 }).toBuffer();
      fs.writeFileSync(path.join(dir, file), data);
      return { file, bytes: data.length, width, height, mime: png ? 'image/png' : 'image/jpeg' };
    },
    request: (postId, text, cards) => ({
      postId,
      revision: 1,
      facts: requestFacts(),
      officeId: 'kanim-pontianak',
      channelId: 'facebook',
      kind: 'announcement',
      ruleId: 'h-60m',
      releaseId: 'mingguan@2026-11-27',
      scheduledAt: clock.now(),
      deadline: new Date(clock.now().getTime() + 3_600_000),
      post: { text, media: cards.map((card, index) => ({ ...card, alt: `Kartu ${index + 1}: kuota paspor` })) },
      mediaRoot: dir,
    }),
    async close() {
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
