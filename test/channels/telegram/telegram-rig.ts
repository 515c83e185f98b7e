/**
 * Shared set-up for the Telegram driver tests: the fake Bot API on 127.0.0.1,
 * the real driver pointed at it through `baseUrl`, a virtual clock both
 * follow, the driver's alerts collected, and a recognisable token so tests can
 * prove it never leaks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import sharp from 'sharp';
import type { Channel, ChannelAlertKind, PublishRequest } from '../../../src/channels/channel';
import { createTelegramChannel, type TelegramChannelOptions } from '../../../src/channels/telegram/telegram-channel';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createSilentLogger } from '../../../src/logger';
import type { RenderedMedia } from '../../../src/render/types';
import { startFakeTelegramServer, type FakeTelegramChat, type FakeTelegramServer } from '../../fakes/fake-telegram-server';
import { requestFacts } from '../../support/publish-request';

/** A value no message, log, alert or error may ever contain. */
export const TOKEN = '7000000001:AAH-telegram-SEKRET-0001';
export const ENV = { TG_CHANNEL_BOT_TOKEN: TOKEN };
export const START = new Date('2026-11-27T06:00:00Z');
export const CHANNEL: FakeTelegramChat = { id: '-1001234567890', username: 'kanimptk', title: 'Kanim Pontianak', type: 'channel' };
export const PRIVATE_CHANNEL: FakeTelegramChat = { id: '-1009876543210', title: 'Kanim Pontianak (staf)', type: 'channel' };

export function telegramConfig(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'telegram',
    driver: 'telegram',
    platform: 'telegram',
    chatId: CHANNEL.id,
    credentials: { botToken: 'TG_CHANNEL_BOT_TOKEN' },
    enabled: true,
    location: { file: 'herald.yaml', line: 40, col: 5 },
    ...overrides,
  };
}

export interface TelegramRig {
  server: FakeTelegramServer;
  clock: VirtualClock;
  channel: Channel;
  dir: string;
  alerts: { kind: ChannelAlertKind; message: string }[];
  /** Another channel on the same fake (another chat, other options). */
  channelWith(config?: Partial<ChannelConfig>, options?: TelegramChannelOptions): Channel;
  close(): Promise<void>;
}

export async function startTelegramRig(options: TelegramChannelOptions = {}): Promise<TelegramRig> {
  const clock = createVirtualClock(START);
  const server = await startFakeTelegramServer({ token: TOKEN, chats: [CHANNEL, PRIVATE_CHANNEL], now: () => clock.now() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-telegram-'));
  const alerts: TelegramRig['alerts'] = [];
  const channelWith = (config: Partial<ChannelConfig> = {}, channelOptions: TelegramChannelOptions = options): Channel =>
    createTelegramChannel(
      telegramConfig({ baseUrl: server.url, ...config }),
      { clock, logger: createSilentLogger(), outboxDir: dir, env: ENV, fetch, alert: (kind, message) => alerts.push({ kind, message }) },
      channelOptions,
    );
  return {
    server,
    clock,
    channel: channelWith(),
    dir,
    alerts,
    channelWith,
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real JPEG card (sharp), written under `dir/media/`. */
export async function writeJpegCard(dir: string, name: string, alt = 'Kartu kuota paspor'): Promise<{ media: RenderedMedia; bytes: Buffer }> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350"><rect width="1080" height="1350" fill="#0b3d91"/><circle cx="540" cy="675" r="300" fill="#f5c518"/></svg>`);
  const bytes = await sharp(svg).jpeg().toBuffer();
  const file = path.join('media', name);
  fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
  fs.writeFileSync(path.join(dir, file), bytes);
  return { media: { file, mime: 'image/jpeg', width: 1080, height: 1350, bytes: bytes.length, alt }, bytes };
}

export function publishRequest(dir: string, postId: string, text: string, media: RenderedMedia[] = []): PublishRequest {
  return {
    postId,
    revision: 1,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'telegram',
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

/** Fails when the token shows up anywhere in the value: message, fields, cause, stack. */
export function expectNoToken(value: unknown): void {
  const seen = `${util.inspect(value, { depth: 8, showHidden: true })}\n${value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : ''}`;
  expect(seen).not.toContain(TOKEN);
  expect(seen).not.toContain(TOKEN.split(':')[1]);
}
