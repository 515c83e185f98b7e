/**
 * Bluesky in the channel contract suite: the real driver against the fake PDS
 * (test/fakes/fake-bluesky-server.ts), its session kept in a file vault in the
 * test's data directory.
 */
import { createBlueskyChannel } from '../../../src/channels/bluesky/bluesky-channel';
import { createSilentLogger } from '../../../src/logger';
import { startFakeBlueskyServer, type FakeBlueskyServer } from '../../fakes/fake-bluesky-server';
import type { DriverHarness } from './harness';

const APP_PASSWORD = 'cont-ract-blue-sky1';
let fake: FakeBlueskyServer;

export const harness: DriverHarness = {
  name: 'bluesky (XRPC over fetch, fake PDS)',
  async setup() {
    fake = await startFakeBlueskyServer({ appPassword: APP_PASSWORD });
  },
  teardown: () => fake.close(),
  create(dir, clock) {
    fake.reset();
    fake.now = () => clock.now();
    return createBlueskyChannel(
      { id: 'bluesky', driver: 'bluesky', platform: 'bluesky', baseUrl: fake.url, handle: fake.handle, credentials: { appPassword: 'BLUESKY_APP_PASSWORD' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: { BLUESKY_APP_PASSWORD: APP_PASSWORD }, fetch, stateDir: dir },
    );
  },
  published: () => fake.posts().length,
};
