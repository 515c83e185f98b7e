/**
 * The Mastodon driver in the channel contract suite: the real driver against
 * the fake instance (test/fakes/fake-mastodon-server.ts) through `baseUrl`.
 */
import { createMastodonChannel } from '../../../src/channels/mastodon/mastodon-channel';
import { createSilentLogger } from '../../../src/logger';
import { startFakeMastodonServer, type FakeMastodonServer } from '../../fakes/fake-mastodon-server';
import type { ContractClock, DriverHarness } from './harness';

const TOKEN = 'contract-mastodon-token';
let fake: FakeMastodonServer | null = null;
let clock: ContractClock | null = null;

export const harness: DriverHarness = {
  name: 'mastodon (REST API via fetch, fake instance)',
  async setup() {
    fake = await startFakeMastodonServer({ token: TOKEN, now: () => clock?.now() ?? new Date() });
  },
  async teardown() {
    await fake?.close();
  },
  create(dir, testClock) {
    fake!.reset();
    clock = testClock;
    return createMastodonChannel(
      { id: 'mastodon', driver: 'mastodon', platform: 'mastodon', baseUrl: fake!.url, credentials: { accessToken: 'MASTODON_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock: testClock, logger: createSilentLogger(), outboxDir: dir, env: { MASTODON_TOKEN: TOKEN }, fetch },
    );
  },
  published: () => fake!.statuses.length,
};
