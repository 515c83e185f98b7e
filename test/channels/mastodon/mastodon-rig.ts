/**
 * Shared set-up for the Mastodon driver tests: a fake instance on 127.0.0.1,
 * the real driver pointed at it through `baseUrl`, a virtual clock both
 * follow, and a recognisable token so tests can prove it never leaks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import sharp from 'sharp';
import type { Channel, ChannelDeps, PublishRequest } from '../../../src/channels/channel';
import { createMastodonChannel, type MastodonChannelOptions } from '../../../src/channels/mastodon/mastodon-channel';
import { PublishError } from '../../../src/channels/publish-error';
import { createVirtualClock, type VirtualClock } from '../../../src/clock';
import type { ChannelConfig } from '../../../src/config/types';
import { createSilentLogger } from '../../../src/logger';
import type { RenderedMedia } from '../../../src/render/types';
import { startFakeMastodonServer, type FakeMastodonOptions, type FakeMastodonServer } from '../../fakes/fake-mastodon-server';
import { requestFacts } from '../../support/publish-request';

export const SECRET_TOKEN = 'mastodon-token-SEKRET-7781';
export const START = new Date('2026-11-27T06:00:00Z');

export function mastodonConfig(overrides: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    id: 'mastodon',
    driver: 'mastodon',
    platform: 'mastodon',
    credentials: { accessToken: 'MASTODON_TOKEN' },
    enabled: true,
    location: { file: 'herald.yaml', line: 40, col: 5 },
    ...overrides,
  };
}

export interface MastodonRig {
  fake: FakeMastodonServer;
  clock: VirtualClock;
  dir: string;
  alerts: string[];
  channel(options?: MastodonChannelOptions, deps?: Partial<ChannelDeps>): Channel;
  close(): Promise<void>;
}

export async function startMastodonRig(fakeOptions: FakeMastodonOptions = {}): Promise<MastodonRig> {
  const clock = createVirtualClock(START);
  const fake = await startFakeMastodonServer({ token: SECRET_TOKEN, now: () => clock.now(), ...fakeOptions });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-mastodon-'));
  const alerts: string[] = [];
  return {
    fake,
    clock,
    dir,
    alerts,
    channel: (options = {}, deps = {}) =>
      createMastodonChannel(
        mastodonConfig({ baseUrl: fake.url }),
        { clock, logger: createSilentLogger(), outboxDir: dir, env: { MASTODON_TOKEN: SECRET_TOKEN }, fetch, alert: (kind, message) => void alerts.push(`${kind}: ${message}`), ...deps },
        { poll: { maxPolls: 5, initialDelayMs: 1000, maxDelayMs: 4000 }, ...options },
      ),
    close: async () => {
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real PNG card (sharp), written under `dir/media/`. */
export async function writeCard(dir: string, name: string, alt: string): Promise<RenderedMedia> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350"><rect width="1080" height="1350" fill="#0b3d91"/><circle cx="540" cy="675" r="300" fill="#f5c518"/></svg>`);
  const bytes = await sharp(svg).png().toBuffer();
  const file = path.join('media', name);
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), bytes);
  return { file, mime: 'image/png', width: 1080, height: 1350, bytes: bytes.length, alt };
}

export function publishRequest(dir: string, postId: string, text: string, media: RenderedMedia[] = [], revision = 1): PublishRequest {
  return {
    postId,
    revision,
    facts: requestFacts(),
    officeId: 'kanim-pontianak',
    channelId: 'mastodon',
    kind: 'announcement',
    ruleId: 'h-60m',
    releaseId: 'mingguan@2026-11-27',
    scheduledAt: START,
    deadline: new Date(START.getTime() + 3_600_000),
    post: { text, media },
    mediaRoot: dir,
  };
}

/** The PublishError a promise rejects with; fails when it resolves or throws something else. */
export async function publishError(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PublishError) {
      expectNoSecret(error);
      return error;
    }
    throw error;
  }
  throw new Error('expected a PublishError, and the call succeeded');
}

/** Fails when the token shows up anywhere in the value: message, fields, cause, stack. */
export function expectNoSecret(value: unknown): void {
  const seen = `${util.inspect(value, { depth: 8, showHidden: true })}\n${value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : ''}`;
  expect(seen).not.toContain(SECRET_TOKEN);
}
