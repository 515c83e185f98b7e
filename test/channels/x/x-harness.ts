/**
 * Shared set-up for the X driver tests: a fake X on 127.0.0.1, the real
 * driver pointed at it through `baseUrl`, a virtual clock both follow, and
 * recognisable secrets so tests can prove they never leak.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import sharp from 'sharp';
import type { PublishRequest } from '../../../src/channels/channel';
import { createXChannel, type XChannel, type XChannelOptions } from '../../../src/channels/x/x-channel';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createSilentLogger } from '../../../src/logger';
import type { RenderedMedia } from '../../../src/render/types';
import { startFakeXServer, type FakeXServer, type FakeXServerOptions } from '../../fakes/fake-x-server';
import { requestFacts } from '../../support/publish-request';

/** Values no message, log or error may ever contain. */
export const SECRETS = {
  appKey: 'appkey-SEKRET-0001',
  appSecret: 'appsecret-SEKRET-0002',
  accessToken: '1700000000000000001-token-SEKRET-0003',
  accessSecret: 'accesssecret-SEKRET-0004',
};

export const ENV = {
  X_APP_KEY: SECRETS.appKey,
  X_APP_SECRET: SECRETS.appSecret,
  X_ACCESS_TOKEN: SECRETS.accessToken,
  X_ACCESS_SECRET: SECRETS.accessSecret,
};

export const START = new Date('2026-11-27T06:00:00Z');

export function xConfig(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'x',
    driver: 'x',
    platform: 'x',
    credentials: { appKey: 'X_APP_KEY', appSecret: 'X_APP_SECRET', accessToken: 'X_ACCESS_TOKEN', accessSecret: 'X_ACCESS_SECRET' },
    enabled: true,
    location: { file: 'herald.yaml', line: 30, col: 5 },
    ...overrides,
  };
}

export interface XRig {
  server: FakeXServer;
  clock: VirtualClock;
  channel: XChannel;
  dir: string;
  /** Another channel on the same fake, e.g. with a wrong secret. */
  channelWith(env: Record<string, string>, options?: XChannelOptions, config?: Partial<ChannelConfig>): XChannel;
  close(): Promise<void>;
}

export async function startXRig(serverOptions: Partial<FakeXServerOptions> = {}, options: XChannelOptions = {}): Promise<XRig> {
  const clock = createVirtualClock(START);
  const server = await startFakeXServer({ ...SECRETS, now: () => clock.now(), ...serverOptions });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-x-'));
  const channels: XChannel[] = [];
  const channelWith = (env: Record<string, string>, channelOptions: XChannelOptions = options, config: Partial<ChannelConfig> = {}): XChannel => {
    const channel = createXChannel(xConfig({ baseUrl: server.url, ...config }), { clock, logger: createSilentLogger(), outboxDir: dir, env, fetch }, { mediaPollDelayMs: 0, ...channelOptions });
    channels.push(channel);
    return channel;
  };
  const channel = channelWith(ENV);
  return {
    server,
    clock,
    channel,
    dir,
    channelWith,
    close: async () => {
      await Promise.all(channels.map((c) => c.close?.()));
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real PNG card (sharp), written under `dir/media/`. */
export async function writePngCard(dir: string, name: string, alt: string): Promise<{ media: RenderedMedia; bytes: Buffer }> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675"><rect width="1200" height="675" fill="#0b3d91"/><circle cx="600" cy="337" r="200" fill="#f5c518"/></svg>`);
  const bytes = await sharp(svg).png().toBuffer();
  const file = path.join('media', name);
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, file), bytes);
  return { media: { file, mime: 'image/png', width: 1200, height: 675, bytes: bytes.length, alt }, bytes };
}

export function publishRequest(dir: string, postId: string, text: string, media: RenderedMedia[] = []): PublishRequest {
  return {
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'x',
    kind: 'announcement',
    ruleId: 'h-60m',
    releaseId: 'mingguan@2026-11-27',
    scheduledAt: START,
    deadline: new Date(START.getTime() + 3_600_000),
    post: { text, media },
    mediaRoot: dir,
  };
}

/** The thrown value, for assertions on rejected promises. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/** Fails when any secret shows up anywhere in the error: message, fields, cause, stack. */
export function expectNoSecrets(value: unknown): void {
  const seen = `${util.inspect(value, { depth: 8, showHidden: true })}\n${value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : ''}`;
  for (const secret of Object.values(SECRETS)) expect(seen).not.toContain(secret);
}
