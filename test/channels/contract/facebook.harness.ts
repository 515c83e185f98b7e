/**
 * The Facebook Page driver in the channel contract suite: the real driver
 * against the fake Page API, following the test's virtual clock. The
 * contract's 4-byte placeholder card passes the fake's magic-byte check;
 * decoding is off (the driver's own tests upload real JPEG/PNG cards).
 */
import { createFacebookChannel } from '../../../src/channels/facebook/facebook-channel';
import { createSilentLogger } from '../../../src/logger';
import { startFakeFacebookServer, type FakeFacebookServer } from '../../fakes/fake-facebook-server';
import type { DriverHarness } from './harness';

const TOKEN = 'contract-fb-page-token';
let fake: FakeFacebookServer;

export const harness: DriverHarness = {
  name: 'facebook (Graph API Page, fake server)',
  async setup() {
    fake = await startFakeFacebookServer({ token: TOKEN, validateImages: false });
  },
  async teardown() {
    await fake.close();
  },
  create(dir, clock) {
    fake.reset();
    fake.now = () => clock.now();
    return createFacebookChannel(
      { id: 'facebook', driver: 'facebook', platform: 'facebook', baseUrl: fake.url, pageId: fake.pageId, credentials: { accessToken: 'FB_PAGE_TOKEN' }, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: { FB_PAGE_TOKEN: TOKEN }, fetch },
    );
  },
  published: () => fake.posts.length,
};
