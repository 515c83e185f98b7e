/**
 * The Threads driver in the channel contract suite: the real driver against
 * the fake Threads API, which downloads each card from the bot's real media
 * server. One fake and one media server for the file; each test gets a clean
 * fake, its own data directory, and the fake follows the test's virtual clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createThreadsChannel } from '../../../src/channels/threads/threads-channel';
import { createSilentLogger } from '../../../src/logger';
import { startMediaServer, type MediaServer } from '../../../src/media-server/media-server';
import { startFakeThreadsServer, type FakeThreadsServer } from '../../fakes/fake-threads-server';
import type { ContractClock, DriverHarness } from './harness';

let fake: FakeThreadsServer;
let media: MediaServer;
let clock: ContractClock | null = null;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-contract-threads-'));

export const harness: DriverHarness = {
  name: 'threads (Threads API, fake server)',
  async setup() {
    // The contract's placeholder card is 4 bytes, not a real JPEG: image checks are in
    // test/channels/threads/. Containers finish at the first poll so no virtual time passes.
    fake = await startFakeThreadsServer({ token: 'contract-threads-token', now: () => clock?.now() ?? new Date(), pollsUntilFinished: 0, validateImages: false });
    const base = 'http://media.invalid';
    const server = await startMediaServer({ rootDir: root, stateDir: root, host: '127.0.0.1', port: 0, publicBaseUrl: base });
    media = { ...server, publicUrl: (file) => server.publicUrl(file).replace(base, server.address) };
  },
  async teardown() {
    await Promise.all([fake.close(), media.close()]);
    fs.rmSync(root, { recursive: true, force: true });
  },
  create(dir, testClock) {
    fake.reset();
    clock = testClock;
    // The media server's root stays fixed; its media/ points at the current test's data dir.
    fs.mkdirSync(path.join(dir, 'media'), { recursive: true });
    fs.rmSync(path.join(root, 'media'), { force: true });
    fs.symlinkSync(path.join(dir, 'media'), path.join(root, 'media'));
    return createThreadsChannel(
      { id: 'threads', driver: 'threads', platform: 'threads', baseUrl: fake.url, accountId: fake.userId, credentials: { accessToken: 'THREADS_ACCESS_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: testClock, logger: createSilentLogger(), outboxDir: dir, env: { THREADS_ACCESS_TOKEN: 'contract-threads-token' }, fetch, publicMediaUrl: (file) => media.publicUrl(file), stateDir: dir },
      { poll: { maxPolls: 3, initialDelayMs: 1, maxDelayMs: 1 } },
    );
  },
  published: () => fake.published.length,
};
